"""The case-study form: a structure that makes a failure as easy to write up as a success."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
    GovTextArea,
)
from wtforms import (
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from board.forms import BaseForm, strip
from board.models import CaseStudy, CostBand, Outcome, Visibility

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
TITLE_LIMIT = 200
SUMMARY_LIMIT = 300
FIRST_YEAR = 2000


class CheckboxesField(SelectMultipleField):
    widget = GovCheckboxesInput()

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


def _date_part(label: str) -> StringField:
    """A month or a year of a GOV.UK date input; checked together in StudyForm.validate."""
    return StringField(label, filters=[strip])


def _section(label: str, description: str = "") -> TextAreaField:
    return TextAreaField(label, description=description, widget=GovTextArea(), filters=[strip])


class StudyForm(BaseForm):
    # Labels follow the GOV.UK rule: what a study needs before review is unmarked, everything
    # else says "(optional)". A draft needs only a title and an outcome (and the two choices
    # that have defaults); require_for_submission adds the rest.
    title = StringField(
        "Title",
        description="Say what you tried, plainly. For example: Chatbot for council tax queries.",
        # A StringField, so BaseForm keeps it on one line although the Character count
        # component types it in a textarea.
        widget=GovCharacterCount(),
        filters=[strip],
        validators=[
            InputRequired("Enter a title"),
            Length(max=TITLE_LIMIT, message=f"Title must be {TITLE_LIMIT} characters or fewer"),
        ],
    )
    summary = TextAreaField(
        "Summary",
        description="One paragraph, plain text.",
        widget=GovCharacterCount(),
        filters=[strip],
        validators=[
            Length(
                max=SUMMARY_LIMIT, message=f"Summary must be {SUMMARY_LIMIT} characters or fewer"
            )
        ],
    )
    topics = CheckboxesField("Topics", description="Select all that apply.", coerce=int)
    outcome = RadioField(
        "Outcome",
        choices=[SelectChoice(outcome.value, outcome.label) for outcome in Outcome],
        widget=GovRadioInput(),
        validators=[InputRequired("Select the outcome, including 'Did not work' if it did not")],
    )
    challenge = _section(
        "The challenge (optional)",
        "What problem were you solving, and why had it been done that way before?",
    )
    what_we_tried = _section("What we tried (optional)")
    what_happened = _section("What happened (optional)")
    what_we_learned = _section("What we learned", "This is what other councils most want to read.")
    what_we_would_do_differently = _section("What we would do differently (optional)")
    started_month = _date_part("Month")
    started_year = _date_part("Year")
    ended_month = _date_part("Month")
    ended_year = _date_part("Year")
    cost_band = RadioField(
        "Cost",
        choices=[SelectChoice(band.value, band.label) for band in CostBand],
        default=CostBand.NOT_DISCLOSED.value,
        widget=GovRadioInput(),
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
        widget=GovRadioInput(),
        validators=[InputRequired("Select who can read it")],
    )

    TITLE_LIMIT = TITLE_LIMIT
    SUMMARY_LIMIT = SUMMARY_LIMIT
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
        self._topics_by_id = {topic.id: topic for topic in topic_choices}

    # Dates: month and year are separate fields (GOV.UK date pattern), both or neither.
    started_on: date | None = None
    ended_on: date | None = None

    def _month_start(self, month_field, year_field, what: str) -> date | None:
        """The first of the month given, or None; an error on the part to correct first."""
        month_text, year_text = month_field.data or "", year_field.data or ""
        if not month_text and not year_text:
            return None
        month = _month_number(month_text)
        if month is None:
            message = (
                f"Enter the month {what} as a number from 1 to 12"
                if month_text
                else f"Enter the month {what}"
            )
            month_field.errors.append(message)
            return None
        # The rule: from 2000 to next year.
        year_range = f"Enter a year from {FIRST_YEAR} to {date.today().year + 1} for when {what}"
        if not year_text:
            year_field.errors.append(f"Enter the year {what}")
            return None
        # isascii: "²" and other Unicode digits pass isdigit() but not int(); and int() refuses
        # a string of thousands of digits.
        if not (year_text.isascii() and year_text.isdigit() and len(year_text) <= 4):
            year_field.errors.append(year_range)
            return None
        if not FIRST_YEAR <= int(year_text) <= date.today().year + 1:
            year_field.errors.append(year_range)
            return None
        return date(int(year_text), month, 1)

    def validate(self, extra_validators=None, *, for_submission: bool = False) -> bool:
        """Check every field in one go, so a single submit names every problem; with
        for_submission, also what a study needs before review (require_for_submission)."""
        valid = super().validate(extra_validators)
        self.started_on = self._month_start(self.started_month, self.started_year, "it started")
        self.ended_on = self._month_start(self.ended_month, self.ended_year, "it ended")
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            self.ended_year.errors.append("The end date must be the same as or after the start")
        date_fields = (self.started_month, self.started_year, self.ended_month, self.ended_year)
        valid = valid and not any(field.errors for field in date_fields)
        if for_submission:
            valid = self.require_for_submission() and valid
        return valid

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

    def preview(self, council, author) -> SimpleNamespace:
        """The study as it would be published, from what the form holds, valid or not (call
        validate first for the dates): what is missing or not understood shows as not given."""

        def member(enum, value):
            try:
                return enum(value)
            except ValueError:
                return None

        return SimpleNamespace(
            title=self.title.data or "",
            summary=self.summary.data or "",
            outcome=member(Outcome, self.outcome.data),
            topics=[
                self._topics_by_id[topic_id]
                for topic_id in self.topics.data or []
                if topic_id in self._topics_by_id
            ],
            council=council,
            author=author,
            started_on=self.started_on,
            ended_on=self.ended_on,
            cost_band=member(CostBand, self.cost_band.data),
            visibility=member(Visibility, self.visibility.data),
            published_at=None,
            SECTIONS=CaseStudy.SECTIONS,
            **{name: self[name].data or "" for name in self.SECTION_FIELDS},
        )

    def require_for_submission(self) -> bool:
        """The stricter check before review: what a published study must have. A field that
        already has an error (a summary too long, a topic not on the list) keeps that one."""
        missing = False
        if not self.summary.data and not self.summary.errors:
            self.summary.errors.append("Enter a summary")
            missing = True
        if not self.topics.data and not self.topics.errors:
            self.topics.errors.append("Choose at least one topic")
            missing = True
        if not self.what_we_learned.data and not self.what_we_learned.errors:
            self.what_we_learned.errors.append("Enter what you learned")
            missing = True
        return not missing


def _month_number(text: str) -> int | None:
    """1 to 12 from "3", "03", "March" or "Mar"; None for anything else."""
    if text.isascii() and text.isdigit():
        return int(text) if len(text) <= 2 and 1 <= int(text) <= 12 else None
    for number, name in enumerate(MONTHS, start=1):
        if len(text) >= 3 and name.lower().startswith(text.lower()):
            return number
    return None
