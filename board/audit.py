"""The one writer of the moderation log (board/models/moderation.py), and the actions it
records, each with the words the log page shows."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

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
    # Administration
    COUNCIL_ADDED = "council.added"
    COUNCIL_EDITED = "council.edited"
    COUNCIL_RETIRED = "council.retired"
    COUNCIL_REINSTATED = "council.reinstated"
    COUNCIL_IMPORTED = "council.imported"
    COUNCIL_REQUEST_MADE = "council_request.made"
    COUNCIL_REQUEST_APPROVED = "council_request.approved"
    COUNCIL_REQUEST_DECLINED = "council_request.declined"
    MEMBER_ROLE_CHANGED = "member.role_changed"
    MEMBER_MOVED = "member.moved"
    MEMBER_SUSPENDED = "member.suspended"
    MEMBER_RESTORED = "member.restored"
    MEMBER_DELETED_ACCOUNT = "member.deleted_account"
    TOPIC_EDITED = "topic.edited"
    # Updates to published studies ("six months on")
    UPDATE_SUBMITTED = "update.submitted"
    UPDATE_APPROVED = "update.approved"
    UPDATE_CHANGES_REQUESTED = "update.changes_requested"
    UPDATE_REJECTED = "update.rejected"
    UPDATE_WITHDRAWN = "update.withdrawn"
    # Questions and answers
    QUESTION_HIDDEN = "question.hidden"
    QUESTION_RESTORED = "question.restored"
    ANSWER_HIDDEN = "answer.hidden"
    ANSWER_RESTORED = "answer.restored"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]

    @property
    def target_type(self) -> str:
        return TARGET_TYPES[self.value.partition(".")[0]]


ACTION_LABELS = {
    LogAction.STUDY_SUBMITTED: _l("Submitted for review"),
    LogAction.STUDY_APPROVED: _l("Approved and published"),
    LogAction.STUDY_CHANGES_REQUESTED: _l("Asked for changes"),
    LogAction.STUDY_REJECTED: _l("Rejected"),
    LogAction.STUDY_WITHDRAWN: _l("Withdrawn by its council"),
    LogAction.STUDY_UNPUBLISHED: _l("Unpublished"),
    LogAction.REVISION_SUBMITTED: _l("Changes submitted for review"),
    LogAction.REVISION_APPROVED: _l("Changes approved"),
    LogAction.REVISION_CHANGES_REQUESTED: _l("Asked for changes to an edit"),
    LogAction.REVISION_REJECTED: _l("Changes rejected"),
    LogAction.REVISION_WITHDRAWN: _l("Changes withdrawn by its council"),
    LogAction.MEMBER_VERIFIED: _l("Member verified"),
    LogAction.REPORT_FILED: _l("Report made"),
    LogAction.REPORT_RESOLVED: _l("Report resolved"),
    LogAction.COMMENT_HIDDEN: _l("Comment hidden"),
    LogAction.COMMENT_RESTORED: _l("Comment restored"),
    LogAction.COUNCIL_ADDED: _l("Council added"),
    LogAction.COUNCIL_EDITED: _l("Council changed"),
    LogAction.COUNCIL_RETIRED: _l("Council retired"),
    LogAction.COUNCIL_REINSTATED: _l("Council reinstated"),
    LogAction.COUNCIL_IMPORTED: _l("Council imported from a file"),
    LogAction.COUNCIL_REQUEST_MADE: _l("Council asked for"),
    LogAction.COUNCIL_REQUEST_APPROVED: _l("Council request approved"),
    LogAction.COUNCIL_REQUEST_DECLINED: _l("Council request declined"),
    LogAction.MEMBER_ROLE_CHANGED: _l("Role changed"),
    LogAction.MEMBER_MOVED: _l("Moved to another council"),
    LogAction.MEMBER_SUSPENDED: _l("Account suspended"),
    LogAction.MEMBER_RESTORED: _l("Account restored"),
    LogAction.MEMBER_DELETED_ACCOUNT: _l("Account deleted by its owner"),
    LogAction.TOPIC_EDITED: _l("Topic description changed"),
    LogAction.UPDATE_SUBMITTED: _l("Update submitted for review"),
    LogAction.UPDATE_APPROVED: _l("Update approved and published"),
    LogAction.UPDATE_CHANGES_REQUESTED: _l("Asked for changes to an update"),
    LogAction.UPDATE_REJECTED: _l("Update rejected"),
    LogAction.UPDATE_WITHDRAWN: _l("Update withdrawn by its council"),
    LogAction.QUESTION_HIDDEN: _l("Question hidden"),
    LogAction.QUESTION_RESTORED: _l("Question restored"),
    LogAction.ANSWER_HIDDEN: _l("Answer hidden"),
    LogAction.ANSWER_RESTORED: _l("Answer restored"),
}

# What each family of actions points at. Revisions are logged against their study, which is
# what a reader of the log looks for.
TARGET_TYPES = {
    "study": "case_study",
    "revision": "case_study",
    # Updates too, like revisions: the log's reader looks for the study.
    "update": "case_study",
    "member": "user",
    "report": "report",
    "comment": "comment",
    "council": "council",
    "council_request": "council_request",
    "topic": "topic",
    "question": "question",
    "answer": "answer",
}


def label_for(action: str) -> str:
    """The words for a stored action; an action this version does not know shows as stored."""
    try:
        return str(LogAction(action).label)
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
