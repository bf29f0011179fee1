from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextInput
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length

from board.forms import BaseForm, strip
from board.models import DigestFrequency

NAME_LIMIT = 120


class SearchNameForm(BaseForm):
    """The name of a saved search, when saving it and when renaming it."""

    name = StringField(
        "Name this search",
        description="You will see this name in your digest emails and on the page that lists "
        "what you follow.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired("Enter a name for this search"),
            Length(
                max=NAME_LIMIT,
                message=f"The name must be {NAME_LIMIT} characters or fewer",
            ),
        ],
    )


class DigestForm(BaseForm):
    frequency = RadioField(
        "How often do you want a digest email?",
        choices=[SelectChoice(choice.value, choice.label) for choice in DigestFrequency],
        widget=GovRadioInput(),
        validators=[
            InputRequired("Choose how often you want a digest email"),
            AnyOf(
                [choice.value for choice in DigestFrequency],
                message="Choose how often you want a digest email",
            ),
        ],
        validate_choice=False,  # AnyOf says it in the form's words
    )
