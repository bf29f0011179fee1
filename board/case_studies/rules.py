"""Who may do what to a case study. Views call these before calling a service."""

from __future__ import annotations

from board.models import CaseStudy, RevisionStatus, Status, User

# States in which the study's own row is the working copy an author edits.
UNPUBLISHED_EDITABLE = frozenset(
    {Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.WITHDRAWN}
)
SUBMITTABLE = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED, Status.WITHDRAWN})
REVISION_SUBMITTABLE = frozenset({RevisionStatus.DRAFT, RevisionStatus.CHANGES_REQUESTED})


def is_signed_in(user: User | None) -> bool:
    return user is not None and user.is_authenticated


def can_write_studies(user: User | None) -> bool:
    """Verified members of a council may write up their council's experiments."""
    return is_signed_in(user) and user.is_verified


def belongs_to_council_of(study: CaseStudy, user: User | None) -> bool:
    return can_write_studies(user) and user.council_id == study.council_id


def can_edit(study: CaseStudy, user: User | None) -> bool:
    """Any verified member of the study's council may edit it, except once it is rejected."""
    if not belongs_to_council_of(study, user):
        return False
    return study.status in UNPUBLISHED_EDITABLE or study.status is Status.PUBLISHED


def can_submit(study: CaseStudy, user: User | None) -> bool:
    if not belongs_to_council_of(study, user):
        return False
    if study.status is Status.PUBLISHED:
        revision = study.open_revision
        return revision is not None and revision.status in REVISION_SUBMITTABLE
    return study.status in SUBMITTABLE


def can_withdraw(study: CaseStudy, user: User | None) -> bool:
    if not belongs_to_council_of(study, user):
        return False
    if study.status is Status.PUBLISHED:
        return True  # withdraws the open edit if there is one, otherwise the study itself
    return study.status in {Status.SUBMITTED, Status.CHANGES_REQUESTED}


def can_moderate(user: User | None) -> bool:
    return is_signed_in(user) and user.is_moderator


def can_decide(study: CaseStudy, user: User | None) -> bool:
    """Moderators decide on what is awaiting review, but never on their own writing."""
    if not can_moderate(user):
        return False
    pending = awaiting_review(study)
    return pending is not None and pending.author_id != user.id


def awaiting_review(study: CaseStudy):
    """What a moderator would be deciding on: the study, an edit of it, or nothing."""
    if study.status is Status.SUBMITTED:
        return study
    revision = study.open_revision if study.status is Status.PUBLISHED else None
    if revision is not None and revision.status is RevisionStatus.SUBMITTED:
        return revision
    return None
