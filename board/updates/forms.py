"""The update form: the month it is about, what happened next, and an optional new outcome."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from board.case_studies.forms import FIRST_YEAR, _month_number, plain_errors
from board.forms import BaseForm, strip
from board.models import Outcome

BODY_LIMIT = 5000
NO_CHANGE = "no-change"


def no_change_label(outcome: Outcome) -> str:
    """ "No change: still ongoing", a whole sentence for each outcome."""
    return {
        Outcome.WORKED: _("No change: still worked"),
        Outcome.PARTLY_WORKED: _("No change: still partly worked"),
        Outcome.DID_NOT_WORK: _("No change: still did not work"),
        Outcome.ONGOING: _("No change: still ongoing"),
    }[outcome]


class UpdateForm(BaseForm):
    happened_month = StringField(_l("Month"), filters=[strip])
    happened_year = StringField(_l("Year"), filters=[strip])
    body = TextAreaField(
        _l("What happened next"),
        description=_l(
            "What changed since the case study was published, and what you learned. "
            "You can use Markdown."
        ),
        widget=GovCharacterCount(),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter what happened next")),
            Length(
                max=BODY_LIMIT,
                message=_l(
                    "What happened next must be %(limit)s characters or fewer",
                    limit=format(BODY_LIMIT, ","),
                ),
            ),
        ],
    )
    new_outcome = RadioField(
        _l("Has the outcome changed?"),
        default=NO_CHANGE,
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select whether the outcome has changed"))],
    )

    BODY_LIMIT = BODY_LIMIT

    # The month the update is about, the first of it, once validated.
    happened_on: date | None = None

    def __init__(self, *args, current_outcome: Outcome, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_outcome = current_outcome
        self.new_outcome.choices = [SelectChoice(NO_CHANGE, no_change_label(current_outcome))] + [
            SelectChoice(outcome.value, outcome.label)
            for outcome in Outcome
            if outcome is not current_outcome
        ]

    def _month(self, today: date) -> date | None:
        """The first of the month given, or None with an error on the part to correct."""
        month_text, year_text = self.happened_month.data or "", self.happened_year.data or ""
        if not month_text:
            self.happened_month.errors.append(_("Enter the month the update is about"))
            return None
        month = _month_number(month_text)
        if month is None:
            self.happened_month.errors.append(_("Enter the month as a number from 1 to 12"))
            return None
        if not year_text:
            self.happened_year.errors.append(_("Enter the year the update is about"))
            return None
        year_range = _("Enter a year from %(first)s to %(last)s", first=FIRST_YEAR, last=today.year)
        if not (year_text.isascii() and year_text.isdigit() and len(year_text) <= 4):
            self.happened_year.errors.append(year_range)
            return None
        if not FIRST_YEAR <= int(year_text) <= today.year:
            self.happened_year.errors.append(year_range)
            return None
        happened_on = date(int(year_text), month, 1)
        if happened_on > today:
            self.happened_month.errors.append(_("The month must be this month or before"))
            return None
        return happened_on

    def validate(self, extra_validators=None, *, today: date | None = None) -> bool:
        valid = super().validate(extra_validators)
        plain_errors(self)
        self.happened_on = self._month(today or date.today())
        return valid and self.happened_on is not None

    @property
    def outcome(self) -> Outcome | None:
        """The outcome chosen, or None for no change."""
        value = self.new_outcome.data
        return None if value in (None, "", NO_CHANGE) else Outcome(value)

    def fill_from(self, update) -> None:
        self.happened_month.data = str(update.happened_on.month)
        self.happened_year.data = str(update.happened_on.year)
        self.body.data = update.body
        outcome = update.new_outcome
        self.new_outcome.data = (
            outcome.value
            if outcome is not None and outcome is not self.current_outcome
            else NO_CHANGE
        )
