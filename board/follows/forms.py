from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextInput
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length

from board.forms import BaseForm, strip
from board.models import DigestFrequency

NAME_LIMIT = 120


class _TranslatedErrorPrefix:
    """The Design System's hidden "Error:" before a field's message, in the page's language
    (the widgets leave the component's English default in place)."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        if params.get("errorMessage"):
            params["errorMessage"]["visuallyHiddenText"] = _("Error")
        return params


class TextInput(_TranslatedErrorPrefix, GovTextInput):
    pass


class RadioInput(_TranslatedErrorPrefix, GovRadioInput):
    pass


class SearchNameForm(BaseForm):
    """The name of a saved search, when saving it and when renaming it."""

    name = StringField(
        _l("Name this search"),
        description=_l(
            "You will see this name in your digest emails and on the page that lists "
            "what you follow."
        ),
        widget=TextInput(),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter a name for this search")),
            Length(
                max=NAME_LIMIT,
                message=_l("The name must be %(limit)d characters or fewer", limit=NAME_LIMIT),
            ),
        ],
    )


def _label_of(choice: DigestFrequency) -> LazyString:
    """The choice's label in the language of the page it is shown on, not of import time."""
    return LazyString(lambda: choice.label)


class DigestForm(BaseForm):
    frequency = RadioField(
        _l("How often do you want a digest email?"),
        choices=[SelectChoice(choice.value, _label_of(choice)) for choice in DigestFrequency],
        widget=RadioInput(),
        validators=[
            InputRequired(_l("Choose how often you want a digest email")),
            AnyOf(
                [choice.value for choice in DigestFrequency],
                message=_l("Choose how often you want a digest email"),
            ),
        ],
        validate_choice=False,  # AnyOf says it in the form's words
    )
