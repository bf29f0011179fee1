"""Changes to case studies: writing, the review lifecycle and moderators' decisions.

Each function changes state, writes the moderation log, tells the author, and flushes; the view
commits once. Callers check permission first (board.case_studies.rules); these functions check
that the change makes sense for the study's state and raise LifecycleError when it does not.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import url_for

from board.case_studies.rules import awaiting_review
from board.extensions import db
from board.models import (
    CaseStudy,
    ModerationLog,
    RevisionStatus,
    Status,
    StudyRevision,
    Topic,
    User,
)
from board.models.base import utcnow
from board.notifications.services import notify


class LifecycleError(Exception):
    """The change does not fit the study's state; the message says why, for the person."""


def _log(actor: User | None, action: str, study: CaseStudy, reason: str = "") -> None:
    db.session.add(
        ModerationLog(
            actor_id=actor.id if actor else None,
            action=action,
            target_type="case_study",
            target_id=study.id,
            reason=reason,
        )
    )


def topics_by_id(topic_ids: Iterable[int]) -> list[Topic]:
    ids = list(topic_ids)
    if not ids:
        return []
    return list(db.session.scalars(db.select(Topic).where(Topic.id.in_(ids))))


def create_study(author: User) -> CaseStudy:
    """A new draft for the author's council; the caller fills in its content."""
    study = CaseStudy(author=author, council_id=author.council_id, status=Status.DRAFT)
    db.session.add(study)
    return study


def working_copy(study: CaseStudy, editor: User) -> CaseStudy | StudyRevision:
    """What an edit changes: the study itself until it is published; after that, a revision
    reviewed separately while the published version stays live."""
    if study.status is not Status.PUBLISHED:
        return study
    revision = study.open_revision
    if revision is None:
        revision = StudyRevision(study=study, author_id=editor.id, status=RevisionStatus.DRAFT)
        for field in CaseStudy.CONTENT_FIELDS:
            setattr(revision, field, getattr(study, field))
        revision.topic_ids = study.topic_ids
        db.session.add(revision)
    return revision


def set_topics(content: CaseStudy | StudyRevision, topic_ids: list[int]) -> None:
    if isinstance(content, CaseStudy):
        content.topics = topics_by_id(topic_ids)
    else:
        content.topic_ids = sorted(topic_ids)


def missing_for_submission(content: CaseStudy | StudyRevision) -> list[str]:
    topic_ids = content.topic_ids
    missing = []
    if not content.summary:
        missing.append("a summary")
    if not topic_ids:
        missing.append("at least one topic")
    if not content.what_we_learned:
        missing.append("what you learned")
    return missing


def submit_for_review(study: CaseStudy, actor: User) -> None:
    content = working_copy(study, actor)
    missing = missing_for_submission(content)
    if missing:
        raise LifecycleError("Before you submit, add " + " and ".join(missing) + ".")
    now = utcnow()
    if isinstance(content, StudyRevision):
        if content.status not in (RevisionStatus.DRAFT, RevisionStatus.CHANGES_REQUESTED):
            raise LifecycleError("These changes are already waiting for review.")
        content.status = RevisionStatus.SUBMITTED
        content.submitted_at = now
        _log(actor, "revision.submitted", study)
    else:
        if study.status not in (Status.DRAFT, Status.CHANGES_REQUESTED, Status.WITHDRAWN):
            raise LifecycleError("This case study is already waiting for review.")
        study.status = Status.SUBMITTED
        study.submitted_at = now
        _log(actor, "study.submitted", study)
    db.session.flush()


def withdraw(study: CaseStudy, actor: User) -> str:
    """Take back what is under review or on the board; returns what was withdrawn, in words."""
    revision = study.open_revision if study.status is Status.PUBLISHED else None
    if revision is not None:
        revision.status = RevisionStatus.WITHDRAWN
        _log(actor, "revision.withdrawn", study)
        db.session.flush()
        return "Your changes were withdrawn. The published version is unchanged."
    if study.status not in (Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.PUBLISHED):
        raise LifecycleError("Only a submitted or published case study can be withdrawn.")
    was_published = study.status is Status.PUBLISHED
    study.status = Status.WITHDRAWN
    _log(actor, "study.withdrawn", study)
    db.session.flush()
    if was_published:
        return "The case study was withdrawn and is no longer on the board."
    return "The case study was withdrawn from review. You can edit it and submit it again."


def _pending(study: CaseStudy, moderator: User) -> CaseStudy | StudyRevision:
    pending = awaiting_review(study)
    if pending is None:
        raise LifecycleError("This case study is not waiting for review.")
    if pending.author_id == moderator.id:
        raise LifecycleError("Another moderator must review your own writing.")
    return pending


def _tell_author(pending, study: CaseStudy, subject: str, note: str, link: str) -> None:
    author = db.session.get(User, pending.author_id)
    notify(author, subject, note, link)


def approve(study: CaseStudy, moderator: User) -> None:
    pending = _pending(study, moderator)
    if isinstance(pending, StudyRevision):
        for field in CaseStudy.CONTENT_FIELDS:
            setattr(study, field, getattr(pending, field))
        study.topics = topics_by_id(pending.topic_ids)
        pending.status = RevisionStatus.APPROVED
        pending.decision_note = ""
        action, subject = "revision.approved", f"Your changes to “{study.title}” are published"
    else:
        study.status = Status.PUBLISHED
        study.published_at = study.published_at or utcnow()
        action, subject = "study.approved", f"“{study.title}” is published"
    study.decision_note = ""
    _log(moderator, action, study)
    _tell_author(pending, study, subject, "", _study_path(study))
    db.session.flush()


def request_changes(study: CaseStudy, moderator: User, note: str) -> None:
    pending = _pending(study, moderator)
    _require_note(note)
    pending.status = (
        RevisionStatus.CHANGES_REQUESTED
        if isinstance(pending, StudyRevision)
        else Status.CHANGES_REQUESTED
    )
    pending.decision_note = note
    kind = "revision" if isinstance(pending, StudyRevision) else "study"
    _log(moderator, f"{kind}.changes_requested", study, note)
    _tell_author(
        pending,
        study,
        f"Changes requested to “{pending.title}”",
        note,
        url_for("case_studies.edit", study_id=study.id),
    )
    db.session.flush()


def reject(study: CaseStudy, moderator: User, reason: str) -> None:
    pending = _pending(study, moderator)
    _require_note(reason)
    pending.status = (
        RevisionStatus.REJECTED if isinstance(pending, StudyRevision) else Status.REJECTED
    )
    pending.decision_note = reason
    kind = "revision" if isinstance(pending, StudyRevision) else "study"
    _log(moderator, f"{kind}.rejected", study, reason)
    _tell_author(pending, study, f"“{pending.title}” was not accepted", reason, _study_path(study))
    db.session.flush()


def unpublish(study: CaseStudy, moderator: User, reason: str) -> None:
    """Take a published study off the board; the author can fix it and submit it again."""
    if study.status is not Status.PUBLISHED:
        raise LifecycleError("Only a published case study can be unpublished.")
    _require_note(reason)
    study.status = Status.CHANGES_REQUESTED
    study.decision_note = reason
    revision = study.open_revision
    if revision is not None:
        revision.status = RevisionStatus.WITHDRAWN
    _log(moderator, "study.unpublished", study, reason)
    notify(
        study.author,
        f"“{study.title}” was taken off the board",
        reason,
        url_for("case_studies.edit", study_id=study.id),
    )
    db.session.flush()


def _require_note(note: str) -> None:
    if not note or not note.strip():
        raise LifecycleError("Enter a note explaining the decision.")


def _study_path(study: CaseStudy) -> str:
    return url_for("case_studies.show", study_id=study.id, slug=study.slug)
