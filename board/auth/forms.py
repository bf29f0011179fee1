from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, ValidationError

from board.auth.passwords import password_weakness
from board.auth.widgets import (
    GovEmailInput,
    GovPasswordInput,
    GovRadioInput,
    GovTextInput,
)
from board.forms import BaseForm, strip
from board.models import CouncilRole

# Said under both password fields that choose a new password.
NEW_PASSWORD_HINT = _l("At least 12 characters. Three random words together work well.")
JOB_TITLE_HINT = _l("For example, Cabinet Member for Digital, or Data Protection Officer.")
EMAIL_FORMAT = _l("Enter an email address in the correct format, like name@council.gov.uk")


class RegistrationForm(BaseForm):
    name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        filters=[strip],
        validators=[InputRequired(_l("Enter your full name")), Length(max=120)],
    )
    email = EmailField(
        _l("Work email address"),
        description=_l("Use your council address to join your council straight away."),
        widget=GovEmailInput(),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter your email address")),
            Email(EMAIL_FORMAT),
            Length(max=254),
        ],
    )
    council_role = RadioField(
        _l("Your role at the council"),
        # Each role's label in the language of the page that shows it.
        choices=[
            SelectChoice(role.value, LazyString(lambda role=role: role.label))
            for role in CouncilRole
        ],
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select whether you are a councillor or an officer"))],
    )
    job_title = StringField(
        _l("Job title"),
        description=JOB_TITLE_HINT,
        widget=GovTextInput(),
        filters=[strip],
        validators=[InputRequired(_l("Enter your job title")), Length(max=120)],
    )
    password = PasswordField(
        _l("Password"),
        description=NEW_PASSWORD_HINT,
        widget=GovPasswordInput(),
        validators=[InputRequired(_l("Enter a password")), Length(max=200)],
    )

    def validate_password(self, field):
        weakness = password_weakness(field.data or "", self.email.data or "", self.name.data or "")
        if weakness:
            raise ValidationError(weakness)


class LoginForm(BaseForm):
    email = EmailField(
        _l("Email address"),
        widget=GovEmailInput(),
        filters=[strip],
        validators=[InputRequired(_l("Enter your email address")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(_l("Enter your password")), Length(max=200)],
    )


class ResetRequestForm(BaseForm):
    email = EmailField(
        _l("Email address"),
        description=_l("The address you registered with."),
        widget=GovEmailInput(),
        filters=[strip],
        validators=[InputRequired(_l("Enter your email address")), Length(max=254)],
    )


class NewPasswordForm(BaseForm):
    password = PasswordField(
        _l("New password"),
        description=NEW_PASSWORD_HINT,
        widget=GovPasswordInput(),
        validators=[InputRequired(_l("Enter a new password")), Length(max=200)],
    )
