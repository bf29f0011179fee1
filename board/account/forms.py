from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from board.auth.forms import EMAIL_FORMAT, JOB_TITLE_HINT, NEW_PASSWORD_HINT
from board.auth.widgets import (
    GovCheckboxInput,
    GovEmailInput,
    GovPasswordInput,
    GovRadioInput,
    GovTextInput,
)
from board.forms import BaseForm, strip
from board.i18n import LANGUAGES


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(_l("Enter your current password")), Length(max=200)],
    )
    password = PasswordField(
        _l("New password"),
        description=NEW_PASSWORD_HINT,
        widget=GovPasswordInput(),
        validators=[InputRequired(_l("Enter a new password")), Length(max=200)],
    )


class ProfileForm(BaseForm):
    name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your full name")),
            Length(max=120, message=_l("Name must be 120 characters or fewer")),
        ],
    )
    job_title = StringField(
        _l("Job title"),
        description=JOB_TITLE_HINT,
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your job title")),
            Length(max=120, message=_l("Job title must be 120 characters or fewer")),
        ],
    )
    show_job_title = BooleanField(
        _l("Show my job title beside my name on case studies"),
        widget=GovCheckboxInput(),
    )


class ChangeEmailForm(BaseForm):
    email = EmailField(
        _l("New email address"),
        description=_l(
            "We will send a link to this address. Your address changes when you open it."
        ),
        widget=GovEmailInput(),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter your new email address")),
            Email(EMAIL_FORMAT),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        ],
    )
    current_password = PasswordField(
        _l("Current password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(_l("Enter your current password")), Length(max=200)],
    )


CHOOSE_LANGUAGE = _l("Select the language you want to use: English or Cymraeg")


def one_of_the_languages(form, field):
    """Left out (a form from before there was a choice), the language stays as it is."""
    if field.data is not None and field.data not in LANGUAGES:
        raise ValidationError(CHOOSE_LANGUAGE)


class PreferencesForm(BaseForm):
    # Each language is named in itself, and its label says so (lang), whatever the page's
    # language: someone looking for their own language finds it.
    language = RadioField(
        _l("Language"),
        description=_l("The language of these pages and of the emails we send you."),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
        widget=GovRadioInput(),
        # Any other value is answered by one_of_the_languages, in words, not "Not a valid choice".
        validate_choice=False,
        validators=[one_of_the_languages],
    )
    email_on_comments = BooleanField(
        _l("Email me when someone comments on a case study I wrote or replies to my comment"),
        widget=GovCheckboxInput(),
    )


class DeleteAccountForm(BaseForm):
    comments = RadioField(
        _l("What should happen to your comments?"),
        choices=[
            SelectChoice("keep", _l("Keep them, shown as from a former member of my council")),
            SelectChoice("delete", _l("Delete them")),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select what should happen to your comments"))],
    )
    current_password = PasswordField(
        _l("Your password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(_l("Enter your password")), Length(max=200)],
    )
