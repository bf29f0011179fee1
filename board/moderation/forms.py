"""The moderators' forms: the decision on a study or an edit (the GOV.UK pattern of radios with
a conditionally revealed note under the two decisions the author must be told about), taking a
study off the board, hiding or restoring a comment, resolving a report and verifying a member."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSelect
from wtforms import BooleanField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, ValidationError

from board.case_studies.services import NOTE_LIMIT
from board.forms import BaseForm, text_area

APPROVE, REQUEST_CHANGES, REJECT = "approve", "request-changes", "reject"


def _note(label: str):
    return text_area(
        label, limit=NOTE_LIMIT, too_long=f"Keep the note to {NOTE_LIMIT:,} characters or fewer"
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


class UnpublishForm(BaseForm):
    """Taking a published study off the board, from its page: the author is told why."""

    note = text_area(
        "Why are you taking it off the board?",
        description="The author sees this.",
        required="Enter why you are taking it off the board",
        limit=NOTE_LIMIT,
        too_long=f"Keep the reason to {NOTE_LIMIT:,} characters or fewer",
    )


REASON_LIMIT = 2000
RESOLUTION_LIMIT = 500


def reason_label(action: str) -> str:
    return f"Reason for {'hiding' if action == 'hide' else 'restoring'} it (its author sees this)"


class CommentVisibilityForm(BaseForm):
    """Hiding a comment, or restoring it: its author is told the reason."""

    reason = text_area(
        "Reason (its author sees this)",
        required="Enter a reason",
        limit=REASON_LIMIT,
        too_long=f"Keep the reason to {REASON_LIMIT:,} characters or fewer",
    )
    keep_report_open = BooleanField("Keep its reports open", widget=GovCheckboxInput())

    def __init__(self, *args, action: str = "hide", **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.label.text = reason_label(action)


class ResolveReportForm(BaseForm):
    """Closing a report, with an optional note for the other moderators."""

    note = text_area(
        "Note on what you did (optional)",
        description="Only moderators see this.",
        limit=RESOLUTION_LIMIT,
        too_long=f"Keep the note to {RESOLUTION_LIMIT:,} characters or fewer",
    )


class VerifyMemberForm(BaseForm):
    council_id = SelectField(
        "Council",
        coerce=int,
        widget=GovSelect(),
        validators=[
            InputRequired("Choose the person's council"),
            NumberRange(min=1, message="Choose the person's council"),
        ],
    )

    def __init__(self, *args, councils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.council_id.choices = [SelectChoice(0, "Choose a council")] + [
            SelectChoice(council.id, council.name) for council in councils
        ]
