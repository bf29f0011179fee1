"""The question form: a question to other councils, one line, with details if they help."""

from __future__ import annotations

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
        "Your question",
        description="One line, ending with a question mark. For example: Has any council "
        "used a chatbot for council tax queries?",
        widget=GovCharacterCount(),
        filters=[strip],
        validators=[
            DataRequired("Enter your question"),
            Length(
                max=TITLE_LIMIT,
                message=f"Your question must be {TITLE_LIMIT} characters or fewer",
            ),
        ],
    )
    details = TextAreaField(
        "Details (optional)",
        description="What you are trying to do, what you have tried and what would help. "
        "You can use Markdown.",
        widget=GovCharacterCount(),
        filters=[strip],
        validators=[
            Length(
                max=DETAILS_LIMIT,
                message=f"Details must be {DETAILS_LIMIT:,} characters or fewer",
            )
        ],
    )
    topics = CheckboxesField("Topics", description="Select all that apply.", coerce=int)
    visibility = RadioField(
        "Who can read it",
        choices=[
            SelectChoice(Visibility.PUBLIC.value, "Everyone"),
            SelectChoice(Visibility.MEMBERS.value, "Signed-in council members only"),
        ],
        default=Visibility.PUBLIC.value,
        widget=GovRadioInput(),
        validators=[InputRequired("Select who can read it")],
    )

    TITLE_LIMIT = TITLE_LIMIT
    DETAILS_LIMIT = DETAILS_LIMIT

    def __init__(self, *args, topic_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.topics.choices = [SelectChoice(topic.id, topic.name) for topic in topic_choices]

    def validate_title(self, field):
        if field.data and not field.data.endswith("?"):
            raise ValidationError("Your question must end with a question mark")

    def validate_topics(self, field):
        if not field.data:
            raise ValidationError("Select at least one topic")
