from govuk_frontend_wtf.wtforms_widgets import (
    GovInput,
    GovPasswordInput,
    GovRadioInput,
    GovTextInput,
)
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, ValidationError

from board.auth.passwords import password_weakness
from board.forms import BaseForm, strip
from board.models import CouncilRole


class GovEmailInput(GovInput):
    """An email field as the GOV.UK Input component (govuk-frontend-wtf has no email widget)."""

    input_type = "email"


class RegistrationForm(BaseForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[InputRequired("Enter your full name"), Length(max=120)],
    )
    email = EmailField(
        "Work email address",
        description="Use your council address to join your council straight away.",
        widget=GovEmailInput(),
        filters=[strip],
        validators=[
            InputRequired("Enter your email address"),
            Email("Enter an email address in the correct format, like name@council.gov.uk"),
            Length(max=254),
        ],
    )
    council_role = RadioField(
        "Your role at the council",
        choices=[SelectChoice(role.value, role.label) for role in CouncilRole],
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether you are a councillor or an officer")],
    )
    job_title = StringField(
        "Job title",
        description="For example, Cabinet Member for Digital, or Data Protection Officer.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[InputRequired("Enter your job title"), Length(max=120)],
    )
    password = PasswordField(
        "Password",
        description="At least 12 characters. Three random words together work well.",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter a password"), Length(max=200)],
    )

    def validate_password(self, field):
        weakness = password_weakness(field.data or "", self.email.data or "", self.name.data or "")
        if weakness:
            raise ValidationError(weakness)


class LoginForm(BaseForm):
    email = EmailField(
        "Email address",
        widget=GovEmailInput(),
        filters=[strip],
        validators=[InputRequired("Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=200)],
    )


class ResetRequestForm(BaseForm):
    email = EmailField(
        "Email address",
        description="The address you registered with.",
        widget=GovEmailInput(),
        filters=[strip],
        validators=[InputRequired("Enter your email address"), Length(max=254)],
    )


class NewPasswordForm(BaseForm):
    password = PasswordField(
        "New password",
        description="At least 12 characters. Three random words together work well.",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter a new password"), Length(max=200)],
    )
