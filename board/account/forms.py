from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovTextInput,
)
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length

from board.auth.forms import GovEmailInput
from board.forms import BaseForm, strip


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password"), Length(max=200)],
    )
    password = PasswordField(
        "New password",
        description="At least 12 characters. Three random words together work well.",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter a new password"), Length(max=200)],
    )


class ProfileForm(BaseForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired("Enter your full name"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
    )
    job_title = StringField(
        "Job title",
        description="For example, Cabinet Member for Digital, or Data Protection Officer.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired("Enter your job title"),
            Length(max=120, message="Job title must be 120 characters or fewer"),
        ],
    )
    show_job_title = BooleanField(
        "Show my job title beside my name on case studies",
        widget=GovCheckboxInput(),
    )


class ChangeEmailForm(BaseForm):
    email = EmailField(
        "New email address",
        description="We will send a link to this address. Your address changes when you open it.",
        widget=GovEmailInput(),
        filters=[strip],
        validators=[
            InputRequired("Enter your new email address"),
            Email("Enter an email address in the correct format, like name@council.gov.uk"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password"), Length(max=200)],
    )


class PreferencesForm(BaseForm):
    email_on_comments = BooleanField(
        "Email me when someone comments on a case study I wrote or replies to my comment",
        widget=GovCheckboxInput(),
    )


class DeleteAccountForm(BaseForm):
    comments = RadioField(
        "What should happen to your comments?",
        choices=[
            SelectChoice("keep", "Keep them, shown as from a former member of my council"),
            SelectChoice("delete", "Delete them"),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired("Select what should happen to your comments")],
    )
    current_password = PasswordField(
        "Your password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=200)],
    )
