"""The moderators' forms: the decision on a study or an edit (the GOV.UK pattern of radios with
a conditionally revealed note under the two decisions the author must be told about), taking a
study off the board, hiding or restoring a comment, resolving a report and verifying a member."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSelect
from wtforms import BooleanField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, ValidationError

from board.case_studies.services import NOTE_LIMIT
from board.forms import BaseForm, text_area

APPROVE, REQUEST_CHANGES, REJECT = "approve", "request-changes", "reject"


def _note(label):
    return text_area(
        label,
        limit=NOTE_LIMIT,
        too_long=_l(
            "Keep the note to %(limit)s characters or fewer", limit=format(NOTE_LIMIT, ",")
        ),
    )


class DecisionForm(BaseForm):
    decision = RadioField(
        _l("Your decision"),
        choices=[
            SelectChoice(APPROVE, _l("Approve and publish")),
            SelectChoice(REQUEST_CHANGES, _l("Request changes")),
            SelectChoice(REJECT, _l("Reject")),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select whether to approve, request changes or reject"))],
    )
    # One note per decision, each revealed under its radio: the author sees it.
    changes_note = _note(_l("What should the author change?"))
    reject_note = _note(_l("Why is it rejected?"))

    def validate_changes_note(self, field):
        if self.decision.data == REQUEST_CHANGES and not field.data:
            raise ValidationError(_l("Enter what the author should change"))

    def validate_reject_note(self, field):
        if self.decision.data == REJECT and not field.data:
            raise ValidationError(_l("Enter why it is rejected"))

    @property
    def note(self) -> str:
        chosen = {REQUEST_CHANGES: self.changes_note, REJECT: self.reject_note}
        field = chosen.get(self.decision.data)
        return field.data if field is not None else ""


class UnpublishForm(BaseForm):
    """Taking a published study off the board, from its page: the author is told why."""

    note = text_area(
        _l("Why are you taking it off the board?"),
        description=_l("The author sees this."),
        required=_l("Enter why you are taking it off the board"),
        limit=NOTE_LIMIT,
        too_long=_l(
            "Keep the reason to %(limit)s characters or fewer", limit=format(NOTE_LIMIT, ",")
        ),
    )


REASON_LIMIT = 2000
RESOLUTION_LIMIT = 500


def reason_label(action: str):
    if action == "hide":
        return _l("Reason for hiding it (its author sees this)")
    return _l("Reason for restoring it (its author sees this)")


class CommentVisibilityForm(BaseForm):
    """Hiding a comment, or restoring it: its author is told the reason."""

    reason = text_area(
        _l("Reason (its author sees this)"),
        required=_l("Enter a reason"),
        limit=REASON_LIMIT,
        too_long=_l(
            "Keep the reason to %(limit)s characters or fewer", limit=format(REASON_LIMIT, ",")
        ),
    )
    keep_report_open = BooleanField(_l("Keep its reports open"), widget=GovCheckboxInput())

    def __init__(self, *args, action: str = "hide", **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.label.text = reason_label(action)


class ResolveReportForm(BaseForm):
    """Closing a report, with an optional note for the other moderators."""

    note = text_area(
        _l("Note on what you did (optional)"),
        description=_l("Only moderators see this."),
        limit=RESOLUTION_LIMIT,
        too_long=_l(
            "Keep the note to %(limit)s characters or fewer", limit=format(RESOLUTION_LIMIT, ",")
        ),
    )


class VerifyMemberForm(BaseForm):
    council_id = SelectField(
        _l("Council"),
        coerce=int,
        widget=GovSelect(),
        validators=[
            InputRequired(_l("Choose the person's council")),
            NumberRange(min=1, message=_l("Choose the person's council")),
        ],
    )

    def __init__(self, *args, councils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.council_id.choices = [SelectChoice(0, _l("Choose a council"))] + [
            SelectChoice(council.id, council.name) for council in councils
        ]
