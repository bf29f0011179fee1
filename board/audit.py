"""The one writer of the moderation log (board/models/moderation.py), and the actions it
records, each with the words the log page shows."""

from __future__ import annotations

from enum import StrEnum

from board.extensions import db
from board.models import ModerationLog, User


class LogAction(StrEnum):
    STUDY_SUBMITTED = "study.submitted"
    STUDY_APPROVED = "study.approved"
    STUDY_CHANGES_REQUESTED = "study.changes_requested"
    STUDY_REJECTED = "study.rejected"
    STUDY_WITHDRAWN = "study.withdrawn"
    STUDY_UNPUBLISHED = "study.unpublished"
    REVISION_SUBMITTED = "revision.submitted"
    REVISION_APPROVED = "revision.approved"
    REVISION_CHANGES_REQUESTED = "revision.changes_requested"
    REVISION_REJECTED = "revision.rejected"
    REVISION_WITHDRAWN = "revision.withdrawn"
    MEMBER_VERIFIED = "member.verified"
    REPORT_FILED = "report.filed"
    REPORT_RESOLVED = "report.resolved"
    COMMENT_HIDDEN = "comment.hidden"
    COMMENT_RESTORED = "comment.restored"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]

    @property
    def target_type(self) -> str:
        return TARGET_TYPES[self.value.partition(".")[0]]


ACTION_LABELS = {
    LogAction.STUDY_SUBMITTED: "Submitted for review",
    LogAction.STUDY_APPROVED: "Approved and published",
    LogAction.STUDY_CHANGES_REQUESTED: "Asked for changes",
    LogAction.STUDY_REJECTED: "Rejected",
    LogAction.STUDY_WITHDRAWN: "Withdrawn by its council",
    LogAction.STUDY_UNPUBLISHED: "Unpublished",
    LogAction.REVISION_SUBMITTED: "Changes submitted for review",
    LogAction.REVISION_APPROVED: "Changes approved",
    LogAction.REVISION_CHANGES_REQUESTED: "Asked for changes to an edit",
    LogAction.REVISION_REJECTED: "Changes rejected",
    LogAction.REVISION_WITHDRAWN: "Changes withdrawn by its council",
    LogAction.MEMBER_VERIFIED: "Member verified",
    LogAction.REPORT_FILED: "Report made",
    LogAction.REPORT_RESOLVED: "Report resolved",
    LogAction.COMMENT_HIDDEN: "Comment hidden",
    LogAction.COMMENT_RESTORED: "Comment restored",
}

# What each family of actions points at. Revisions are logged against their study, which is
# what a reader of the log looks for.
TARGET_TYPES = {
    "study": "case_study",
    "revision": "case_study",
    "member": "user",
    "report": "report",
    "comment": "comment",
}


def label_for(action: str) -> str:
    """The words for a stored action; an action this version does not know shows as stored."""
    try:
        return LogAction(action).label
    except ValueError:
        return action


def record(actor: User | None, action: LogAction, target_id: int, reason: str = "") -> None:
    """Append one row: who (None for the system), what, which target, why."""
    db.session.add(
        ModerationLog(
            actor_id=actor.id if actor else None,
            action=action.value,
            target_type=action.target_type,
            target_id=target_id,
            reason=reason or "",
        )
    )
