"""The question form: a question to other councils, one line, with details if they help."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput
from wtforms import RadioField, StringField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from board.case_studies.forms import CheckboxesField
from board.forms import BaseForm, strip
from board.models import Visibility

TITLE_LIMIT = 200
DETAILS_LIMIT = 5_000


class QuestionForm(BaseForm):
    # A StringField: BaseForm folds any line break into a space, so the question stays on one
    # line wherever it is shown (a card, a notification, an email subject).
    title = StringField(
        _l("Your question"),
        description=_l(
            "One line, ending with a question mark. For example: Has any council "
            "used a chatbot for council tax queries?"
        ),
        widget=GovCharacterCount(),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your question")),
            Length(
                max=TITLE_LIMIT,
                message=_l(
                    "Your question must be %(limit)s characters or fewer", limit=TITLE_LIMIT
                ),
            ),
        ],
    )
    details = TextAreaField(
        _l("Details (optional)"),
        description=_l(
            "What you are trying to do, what you have tried and what would help. "
            "You can use Markdown."
        ),
        widget=GovCharacterCount(),
        filters=[strip],
        validators=[
            Length(
                max=DETAILS_LIMIT,
                message=_l(
                    "Details must be %(limit)s characters or fewer",
                    limit=format(DETAILS_LIMIT, ","),
                ),
            )
        ],
    )
    topics = CheckboxesField(_l("Topics"), description=_l("Select all that apply."), coerce=int)
    visibility = RadioField(
        _l("Who can read it"),
        choices=[
            SelectChoice(Visibility.PUBLIC.value, _l("Everyone")),
            SelectChoice(Visibility.MEMBERS.value, _l("Signed-in council members only")),
        ],
        default=Visibility.PUBLIC.value,
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select who can read it"))],
    )

    TITLE_LIMIT = TITLE_LIMIT
    DETAILS_LIMIT = DETAILS_LIMIT

    def __init__(self, *args, topic_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.topics.choices = [SelectChoice(topic.id, topic.name) for topic in topic_choices]

    def validate_title(self, field):
        if field.data and not field.data.endswith("?"):
            raise ValidationError(_("Your question must end with a question mark"))

    def validate_topics(self, field):
        if not field.data:
            raise ValidationError(_("Select at least one topic"))
