"""The moderator's decision on a study or an edit: the GOV.UK pattern of radios with a
conditionally revealed note under the two decisions the author must be told about."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from board.case_studies.services import NOTE_LIMIT
from board.forms import BaseForm

APPROVE, REQUEST_CHANGES, REJECT = "approve", "request-changes", "reject"


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _note(label: str) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        filters=[_strip],
        validators=[
            Length(max=NOTE_LIMIT, message=f"Keep the note to {NOTE_LIMIT:,} characters or fewer")
        ],
    )


class DecisionForm(BaseForm):
    decision = RadioField(
        "Your decision",
        choices=[
            SelectChoice(APPROVE, "Approve and publish"),
            SelectChoice(REQUEST_CHANGES, "Request changes"),
            SelectChoice(REJECT, "Reject"),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether to approve, request changes or reject")],
    )
    # One note per decision, each revealed under its radio: the author sees it.
    changes_note = _note("What should the author change?")
    reject_note = _note("Why is it rejected?")

    def validate_changes_note(self, field):
        if self.decision.data == REQUEST_CHANGES and not field.data:
            raise ValidationError("Enter what the author should change")

    def validate_reject_note(self, field):
        if self.decision.data == REJECT and not field.data:
            raise ValidationError("Enter why it is rejected")

    @property
    def note(self) -> str:
        chosen = {REQUEST_CHANGES: self.changes_note, REJECT: self.reject_note}
        field = chosen.get(self.decision.data)
        return field.data if field is not None else ""
