"""The case-study form: a structure that makes a failure as easy to write up as a success."""

from __future__ import annotations

from datetime import date

from wtforms import (
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from board.forms import BaseForm
from board.models import CostBand, Outcome, Visibility

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
SUMMARY_LIMIT = 300


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist):
        try:
            self.data = [self.coerce(value) for value in valuelist]
        except (TypeError, ValueError) as error:
            self.data = []
            raise ValueError(f"Choose {self.label.text.lower()} from the list") from error

    def pre_validate(self, form):
        known = {choice.value for choice in self.choices}
        if any(value not in known for value in self.data or []):
            raise ValidationError(f"Choose {self.label.text.lower()} from the list")


def _month_field(label: str) -> SelectField:
    return SelectField(
        label,
        choices=[SelectChoice("", "Month")]
        + [SelectChoice(str(number), name) for number, name in enumerate(MONTHS, start=1)],
        validators=[Optional()],
    )


def _year_field(label: str) -> StringField:
    return StringField(label, filters=[_strip], validators=[Optional(), Length(max=4)])


class StudyForm(BaseForm):
    title = StringField(
        "Title",
        description="Say what you tried, plainly. For example: Chatbot for council tax queries.",
        filters=[_strip],
        validators=[InputRequired("Enter a title"), Length(max=200)],
    )
    summary = TextAreaField(
        "Summary",
        description=f"One paragraph, plain text, at most {SUMMARY_LIMIT} characters.",
        filters=[_strip],
        validators=[
            Length(
                max=SUMMARY_LIMIT, message=f"Summary must be {SUMMARY_LIMIT} characters or fewer"
            )
        ],
    )
    topics = CheckboxesField("Topics", description="Choose one or more.", coerce=int)
    outcome = RadioField(
        "Outcome",
        choices=[SelectChoice(outcome.value, outcome.label) for outcome in Outcome],
        validators=[InputRequired("Select the outcome, including 'Did not work' if it did not")],
    )
    challenge = TextAreaField(
        "The challenge",
        description="What problem were you solving, and why had it been done that way before?",
        filters=[_strip],
    )
    what_we_tried = TextAreaField("What we tried", filters=[_strip])
    what_happened = TextAreaField("What happened", filters=[_strip])
    what_we_learned = TextAreaField(
        "What we learned",
        description="Required before you submit. This is what other councils most want to read.",
        filters=[_strip],
    )
    what_we_would_do_differently = TextAreaField("What we would do differently", filters=[_strip])
    started_month = _month_field("Month started")
    started_year = _year_field("Year started")
    ended_month = _month_field("Month ended")
    ended_year = _year_field("Year ended")
    cost_band = RadioField(
        "Cost",
        choices=[SelectChoice(band.value, band.label) for band in CostBand],
        default=CostBand.NOT_DISCLOSED.value,
        validators=[InputRequired("Select a cost band, or 'Not disclosed'")],
    )
    visibility = RadioField(
        "Who can read it",
        choices=[
            SelectChoice(Visibility.PUBLIC.value, "Everyone: it is published on the open board"),
            SelectChoice(
                Visibility.MEMBERS.value,
                "Signed-in council members only: for sensitive lessons to share with peers",
            ),
        ],
        default=Visibility.PUBLIC.value,
        validators=[InputRequired("Select who can read it")],
    )

    SECTION_FIELDS = (
        "challenge",
        "what_we_tried",
        "what_happened",
        "what_we_learned",
        "what_we_would_do_differently",
    )

    def __init__(self, *args, topic_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.topics.choices = [SelectChoice(topic.id, topic.name) for topic in topic_choices]

    # Dates: month and year are separate fields (GOV.UK date pattern), both or neither.
    started_on: date | None = None
    ended_on: date | None = None

    def _month_start(self, month_field, year_field, what: str) -> date | None:
        if not month_field.data and not year_field.data:
            return None
        if not month_field.data:
            month_field.errors.append(f"Select the month {what}")
            return None
        year = year_field.data or ""
        # isascii: "²" and other Unicode digits pass isdigit() but not int().
        if not (year.isascii() and year.isdigit() and 2000 <= int(year) <= date.today().year + 1):
            year_field.errors.append(f"Enter the year {what} as 4 digits, like 2024")
            return None
        return date(int(year), int(month_field.data), 1)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.started_on = self._month_start(self.started_month, self.started_year, "it started")
        self.ended_on = self._month_start(self.ended_month, self.ended_year, "it ended")
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            self.ended_year.errors.append("The end date must be the same as or after the start")
        date_fields = (self.started_month, self.started_year, self.ended_month, self.ended_year)
        return valid and not any(field.errors for field in date_fields)

    def fill_from(self, content) -> None:
        """Show a study or revision in the form (for a GET; a POST keeps what was typed)."""
        for name in (
            "title",
            "summary",
            "outcome",
            "cost_band",
            "visibility",
            *self.SECTION_FIELDS,
        ):
            getattr(self, name).data = getattr(content, name)
        self.topics.data = list(content.topic_ids)
        for prefix, value in (("started", content.started_on), ("ended", content.ended_on)):
            getattr(self, f"{prefix}_month").data = str(value.month) if value else ""
            getattr(self, f"{prefix}_year").data = str(value.year) if value else ""

    def fill_content(self, content) -> None:
        """Copy what the form holds onto a study or revision (topics are set by the caller)."""
        for name in ("title", "summary", *self.SECTION_FIELDS):
            setattr(content, name, getattr(self, name).data or "")
        content.outcome = Outcome(self.outcome.data)
        content.cost_band = CostBand(self.cost_band.data)
        content.visibility = Visibility(self.visibility.data)
        content.started_on = self.started_on
        content.ended_on = self.ended_on

    def require_for_submission(self) -> bool:
        """The stricter check before review: what a published study must have."""
        missing = False
        if not self.summary.data:
            self.summary.errors.append("Enter a summary")
            missing = True
        if not self.topics.data:
            self.topics.errors.append("Choose at least one topic")
            missing = True
        if not self.what_we_learned.data:
            self.what_we_learned.errors.append("Enter what you learned")
            missing = True
        return not missing


class DecisionForm(BaseForm):
    """A moderator's note: required to request changes, reject or unpublish."""

    note = TextAreaField(
        "Note to the author",
        filters=[_strip],
        validators=[InputRequired("Enter a note explaining the decision"), Length(max=5000)],
    )
