"""The study lifecycle as one table: (state, action) -> next state.

Both the permissions (what is offered to whom) and the services (what a change does) read it,
so a state or action is written down once. A study's own row carries the lifecycle until it is
published; after that, edits are revisions with a lifecycle of their own, while the published
version stays live.
"""

from __future__ import annotations

from enum import StrEnum

from board.models import CaseStudy, RevisionStatus, Status, StudyRevision


class Action(StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    APPROVE = "approve"
    REQUEST_CHANGES = "request-changes"
    REJECT = "reject"
    UNPUBLISH = "unpublish"


# Decisions a moderator takes on what is waiting for review.
DECISIONS = frozenset({Action.APPROVE, Action.REQUEST_CHANGES, Action.REJECT})
# Decisions that must say why: the author reads the note.
NEEDS_NOTE = frozenset({Action.REQUEST_CHANGES, Action.REJECT, Action.UNPUBLISH})

STUDY_TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.DRAFT, Action.SUBMIT): Status.SUBMITTED,
    (Status.CHANGES_REQUESTED, Action.SUBMIT): Status.SUBMITTED,
    (Status.WITHDRAWN, Action.SUBMIT): Status.SUBMITTED,
    (Status.SUBMITTED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.CHANGES_REQUESTED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.PUBLISHED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.SUBMITTED, Action.APPROVE): Status.PUBLISHED,
    (Status.SUBMITTED, Action.REQUEST_CHANGES): Status.CHANGES_REQUESTED,
    (Status.SUBMITTED, Action.REJECT): Status.REJECTED,
    # Unpublishing hands the study back to its council to fix and submit again.
    (Status.PUBLISHED, Action.UNPUBLISH): Status.CHANGES_REQUESTED,
}

REVISION_TRANSITIONS: dict[tuple[RevisionStatus, Action], RevisionStatus] = {
    (RevisionStatus.DRAFT, Action.SUBMIT): RevisionStatus.SUBMITTED,
    (RevisionStatus.CHANGES_REQUESTED, Action.SUBMIT): RevisionStatus.SUBMITTED,
    (RevisionStatus.DRAFT, Action.WITHDRAW): RevisionStatus.WITHDRAWN,
    (RevisionStatus.SUBMITTED, Action.WITHDRAW): RevisionStatus.WITHDRAWN,
    (RevisionStatus.CHANGES_REQUESTED, Action.WITHDRAW): RevisionStatus.WITHDRAWN,
    (RevisionStatus.SUBMITTED, Action.APPROVE): RevisionStatus.APPROVED,
    (RevisionStatus.SUBMITTED, Action.REQUEST_CHANGES): RevisionStatus.CHANGES_REQUESTED,
    (RevisionStatus.SUBMITTED, Action.REJECT): RevisionStatus.REJECTED,
    # Unpublishing the study closes any edit of it.
    (RevisionStatus.DRAFT, Action.UNPUBLISH): RevisionStatus.WITHDRAWN,
    (RevisionStatus.SUBMITTED, Action.UNPUBLISH): RevisionStatus.WITHDRAWN,
    (RevisionStatus.CHANGES_REQUESTED, Action.UNPUBLISH): RevisionStatus.WITHDRAWN,
}

# States in which the study's own row is the working copy its council edits. Once published,
# edits go to a revision; a rejected study is final.
EDITABLE = frozenset(
    {Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.WITHDRAWN, Status.PUBLISHED}
)


def next_state(content: CaseStudy | StudyRevision, action: Action):
    """The state ``action`` would move ``content`` to, or None when it does not apply."""
    if isinstance(content, StudyRevision):
        return REVISION_TRANSITIONS.get((content.status, action))
    return STUDY_TRANSITIONS.get((content.status, action))


def allows(content: CaseStudy | StudyRevision | None, action: Action) -> bool:
    return content is not None and next_state(content, action) is not None


def subject_of(study: CaseStudy, action: Action) -> CaseStudy | StudyRevision:
    """What ``action`` on ``study`` acts on: its open edit while it is published (for the
    council's own actions and moderators' decisions), otherwise the study itself."""
    if study.status is Status.PUBLISHED and action is not Action.UNPUBLISH:
        revision = study.open_revision
        if revision is not None:
            return revision
    return study


def awaiting_review(study: CaseStudy) -> CaseStudy | StudyRevision | None:
    """What a moderator would be deciding on: the study, an edit of it, or nothing."""
    subject = subject_of(study, Action.APPROVE)
    return subject if allows(subject, Action.APPROVE) else None
