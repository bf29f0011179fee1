"""The case-study form: a structure that makes a failure as easy to write up as a success."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from babel.dates import get_month_names
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
from wtforms.validators import AnyOf, InputRequired, Length

from board.forms import BaseForm, strip
from board.i18n import LANGUAGES, current_language
from board.models import CaseStudy, CostBand, Outcome, Visibility

# Month names a person may type instead of a number, in either of the interface's languages
# ("March", "Mar", "Mawrth"), from Babel's calendar data.
MONTHS = {
    language: [get_month_names("wide", locale=language)[number] for number in range(1, 13)]
    for language in LANGUAGES
}
TITLE_LIMIT = 200
SUMMARY_LIMIT = 300
FIRST_YEAR = 2000


class CheckboxesField(SelectMultipleField):
    """Checkboxes of topics: ``not_listed`` is the message for a value not on the list."""

    widget = GovCheckboxesInput()

    def __init__(self, *args, not_listed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.not_listed = not_listed or _l("Choose topics from the list")

    def process_formdata(self, valuelist):
        try:
            self.data = [self.coerce(value) for value in valuelist]
        except (TypeError, ValueError) as error:
            self.data = []
            raise ValueError(str(self.not_listed)) from error

    def pre_validate(self, form):
        known = {choice.value for choice in self.choices}
        if any(value not in known for value in self.data or []):
            raise ValidationError(str(self.not_listed))


def plain_errors(form) -> None:
    """Make the validators' messages (lazy strings, in the form's language) plain text, so that
    pages escape them like any other text."""
    for field in form:
        field.errors = [str(error) for error in field.errors]


def _date_part(label) -> StringField:
    """A month or a year of a GOV.UK date input; checked together in StudyForm.validate."""
    return StringField(label, filters=[strip])


def _section(label, description="") -> TextAreaField:
    return TextAreaField(label, description=description, widget=GovTextArea(), filters=[strip])


# What each date's errors say, whole sentences for each (Welsh words them differently).
DATE_MESSAGES = {
    "started": {
        "month_not_understood": _l("Enter the month it started as a number from 1 to 12"),
        "month_missing": _l("Enter the month it started"),
        "year_missing": _l("Enter the year it started"),
        "year_range": _l("Enter a year from %(first)s to %(last)s for when it started"),
    },
    "ended": {
        "month_not_understood": _l("Enter the month it ended as a number from 1 to 12"),
        "month_missing": _l("Enter the month it ended"),
        "year_missing": _l("Enter the year it ended"),
        "year_range": _l("Enter a year from %(first)s to %(last)s for when it ended"),
    },
}


class StudyForm(BaseForm):
    # Labels follow the GOV.UK rule: what a study needs before review is unmarked, everything
    # else says "(optional)". A draft needs only a title and an outcome (and the choices
    # that have defaults); require_for_submission adds the rest.
    title = StringField(
        _l("Title"),
        description=_l(
            "Say what you tried, plainly. For example: Chatbot for council tax queries."
        ),
        # A StringField, so BaseForm keeps it on one line although the Character count
        # component types it in a textarea.
        widget=GovCharacterCount(),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter a title")),
            Length(max=TITLE_LIMIT, message=_l("Title must be %(max)d characters or fewer")),
        ],
    )
    summary = TextAreaField(
        _l("Summary"),
        description=_l("One paragraph, plain text."),
        widget=GovCharacterCount(),
        filters=[strip],
        validators=[
            Length(max=SUMMARY_LIMIT, message=_l("Summary must be %(max)d characters or fewer"))
        ],
    )
    topics = CheckboxesField(_l("Topics"), description=_l("Select all that apply."), coerce=int)
    # Choices are made for each form (__init__), so that their labels are in its language.
    outcome = RadioField(
        _l("Outcome"),
        widget=GovRadioInput(),
        validators=[
            InputRequired(_l("Select the outcome, including 'Did not work' if it did not"))
        ],
    )
    challenge = _section(
        _l("The challenge (optional)"),
        _l("What problem were you solving, and why had it been done that way before?"),
    )
    what_we_tried = _section(_l("What we tried (optional)"))
    what_happened = _section(_l("What happened (optional)"))
    what_we_learned = _section(
        _l("What we learned"), _l("This is what other councils most want to read.")
    )
    what_we_would_do_differently = _section(_l("What we would do differently (optional)"))
    started_month = _date_part(_l("Month"))
    started_year = _date_part(_l("Year"))
    ended_month = _date_part(_l("Month"))
    ended_year = _date_part(_l("Year"))
    cost_band = RadioField(
        _l("Cost"),
        default=CostBand.NOT_DISCLOSED.value,
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select a cost band, or 'Not disclosed'"))],
    )
    visibility = RadioField(
        _l("Who can read it"),
        choices=[
            SelectChoice(
                Visibility.PUBLIC.value, _l("Everyone: it is published on the open board")
            ),
            SelectChoice(
                Visibility.MEMBERS.value,
                _l("Signed-in council members only: for sensitive lessons to share with peers"),
            ),
        ],
        default=Visibility.PUBLIC.value,
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select who can read it"))],
    )
    # The language the study is written in: its text is marked with it (lang) wherever it is
    # shown. Each language is named in itself, as the header's language switch names them.
    language = RadioField(
        _l("Which language is this case study written in?"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
        default=current_language,
        widget=GovRadioInput(),
        validate_choice=False,
        # A form posted without the question (from before it was asked) keeps the default.
        validators=[
            AnyOf(
                list(LANGUAGES),
                message=_l("Select English or Cymraeg for the language the case study is in"),
            ),
        ],
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
        self.outcome.choices = [SelectChoice(outcome.value, outcome.label) for outcome in Outcome]
        self.cost_band.choices = [SelectChoice(band.value, band.label) for band in CostBand]

    # Dates: month and year are separate fields (GOV.UK date pattern), both or neither.
    started_on: date | None = None
    ended_on: date | None = None

    def _month_start(self, month_field, year_field, which: str) -> date | None:
        """The first of the month given, or None; an error on the part to correct first."""
        messages = DATE_MESSAGES[which]
        month_text, year_text = month_field.data or "", year_field.data or ""
        if not month_text and not year_text:
            return None
        month = _month_number(month_text)
        if month is None:
            message = messages["month_not_understood" if month_text else "month_missing"]
            month_field.errors.append(str(message))
            return None
        # The rule: from 2000 to next year.
        year_range = str(messages["year_range"]) % {
            "first": FIRST_YEAR,
            "last": date.today().year + 1,
        }
        if not year_text:
            year_field.errors.append(str(messages["year_missing"]))
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
        plain_errors(self)
        self.started_on = self._month_start(self.started_month, self.started_year, "started")
        self.ended_on = self._month_start(self.ended_month, self.ended_year, "ended")
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            self.ended_year.errors.append(_("The end date must be the same as or after the start"))
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
            "language",
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
        content.language = self.language.data
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
            language=self.language.data if self.language.data in LANGUAGES else None,
            published_at=None,
            SECTIONS=CaseStudy.SECTIONS,
            **{name: self[name].data or "" for name in self.SECTION_FIELDS},
        )

    def require_for_submission(self) -> bool:
        """The stricter check before review: what a published study must have. A field that
        already has an error (a summary too long, a topic not on the list) keeps that one."""
        missing = False
        if not self.summary.data and not self.summary.errors:
            self.summary.errors.append(_("Enter a summary"))
            missing = True
        if not self.topics.data and not self.topics.errors:
            self.topics.errors.append(_("Choose at least one topic"))
            missing = True
        if not self.what_we_learned.data and not self.what_we_learned.errors:
            self.what_we_learned.errors.append(_("Enter what you learned"))
            missing = True
        return not missing


def _month_number(text: str) -> int | None:
    """1 to 12 from "3", "03", "March", "Mar" or "Mawrth"; None for anything else."""
    if text.isascii() and text.isdigit():
        return int(text) if len(text) <= 2 and 1 <= int(text) <= 12 else None
    if len(text) < 3:
        return None
    for names in MONTHS.values():
        for number, name in enumerate(names, start=1):
            if name.lower().startswith(text.lower()):
                return number
    return None
