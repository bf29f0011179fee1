"""Changes to case studies: writing, the review lifecycle and moderators' decisions.

Each function changes state, writes the moderation log, tells the author, and flushes; the view
commits once. Callers check permission first (board.case_studies.rules); these functions check
that the change makes sense for the study's state and raise LifecycleError when it does not.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import url_for
from flask_babel import gettext as _

from board import audit, permissions, related_choices
from board.audit import LogAction
from board.extensions import db
from board.i18n import in_language_of
from board.lifecycle import Action, awaiting_review, next_state, subject_of
from board.models import CaseStudy, RevisionStatus, Status, StudyRevision, Topic, User
from board.models.base import utcnow
from board.notifications.services import notify


class LifecycleError(Exception):
    """The change does not fit the study's state; the message says why, for the person."""


# What an edit copies from the study, and what approving it copies back: the content, and the
# language it is written in.
COPIED_FIELDS = (*CaseStudy.CONTENT_FIELDS, "language")


def _transition(content: CaseStudy | StudyRevision, action: Action, refusal: str) -> None:
    """Move ``content`` along the lifecycle table, or refuse with ``refusal``."""
    state = next_state(content, action)
    if state is None:
        raise LifecycleError(refusal)
    content.status = state


def _log_action(content: CaseStudy | StudyRevision, study_action: LogAction, revision_action):
    return revision_action if isinstance(content, StudyRevision) else study_action


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
        for field in COPIED_FIELDS:
            setattr(revision, field, getattr(study, field))
        revision.topic_ids = study.topic_ids
        db.session.add(revision)
    return revision


def set_topics(content: CaseStudy | StudyRevision, topic_ids: list[int]) -> None:
    if isinstance(content, CaseStudy):
        content.topics = topics_by_id(topic_ids)
    else:
        content.topic_ids = sorted(topic_ids)


def missing_for_submission(content: CaseStudy | StudyRevision) -> tuple[str, ...]:
    """What the content lacks before review, of "summary", "topics" and "learned"."""
    missing = []
    if not content.summary:
        missing.append("summary")
    if not content.topic_ids:
        missing.append("topics")
    if not content.what_we_learned:
        missing.append("learned")
    return tuple(missing)


def missing_message(missing: tuple[str, ...]) -> str:
    """What to add before submitting, as one sentence for each combination."""
    return {
        ("summary",): _("Before you submit, add a summary."),
        ("topics",): _("Before you submit, add at least one topic."),
        ("learned",): _("Before you submit, add what you learned."),
        ("summary", "topics"): _("Before you submit, add a summary and at least one topic."),
        ("summary", "learned"): _("Before you submit, add a summary and what you learned."),
        ("topics", "learned"): _("Before you submit, add at least one topic and what you learned."),
        ("summary", "topics", "learned"): _(
            "Before you submit, add a summary and at least one topic and what you learned."
        ),
    }[missing]


def submit_for_review(study: CaseStudy, actor: User) -> None:
    content = working_copy(study, actor)
    missing = missing_for_submission(content)
    if missing:
        raise LifecycleError(missing_message(missing))
    _transition(
        content,
        Action.SUBMIT,
        _("These changes are already waiting for review.")
        if isinstance(content, StudyRevision)
        else _("This case study is already waiting for review."),
    )
    content.submitted_at = utcnow()
    audit.record(
        actor,
        _log_action(content, LogAction.STUDY_SUBMITTED, LogAction.REVISION_SUBMITTED),
        study.id,
    )
    db.session.flush()


def withdraw(study: CaseStudy, actor: User) -> str:
    """Take back what is under review or on the board; returns what was withdrawn, in words."""
    content = subject_of(study, Action.WITHDRAW)
    was_published = study.status is Status.PUBLISHED
    _transition(
        content, Action.WITHDRAW, _("Only a submitted or published case study can be withdrawn.")
    )
    audit.record(
        actor,
        _log_action(content, LogAction.STUDY_WITHDRAWN, LogAction.REVISION_WITHDRAWN),
        study.id,
    )
    db.session.flush()
    if isinstance(content, StudyRevision):
        return _("Your changes were withdrawn. The published version is unchanged.")
    if was_published:
        return _("The case study was withdrawn and is no longer on the board.")
    return _("The case study was withdrawn from review. You can edit it and submit it again.")


def _pending(study: CaseStudy, moderator: User) -> CaseStudy | StudyRevision:
    pending = awaiting_review(study)
    if pending is None:
        raise LifecycleError(_("This case study is not waiting for review."))
    if pending.author_id == moderator.id:
        raise LifecycleError(_("Another moderator must review your own writing."))
    if permissions.has_conflict_of_interest(moderator, study.council_id):
        raise LifecycleError(_("A moderator from another council must review your council's work."))
    return pending


def _tell_author(pending, subject, note: str, link: str) -> None:
    """Notify the author, in their language: ``subject`` is called inside it."""
    author = db.session.get(User, pending.author_id)
    with in_language_of(author):
        notify(author, subject(), note, link)


def approve(study: CaseStudy, moderator: User) -> None:
    pending = _pending(study, moderator)
    _transition(pending, Action.APPROVE, _("This case study is not waiting for review."))
    if isinstance(pending, StudyRevision):
        for field in COPIED_FIELDS:
            setattr(study, field, getattr(pending, field))
        study.topics = topics_by_id(pending.topic_ids)
        pending.decision_note = ""
        edited = True
    else:
        if study.published_at is None:  # first published: an asker may be waiting for it
            from board.questions.answer_services import tell_asker_of_write_up

            tell_asker_of_write_up(study)
        study.published_at = study.published_at or utcnow()
        edited = False
    study.decision_note = ""
    audit.record(
        moderator,
        _log_action(pending, LogAction.STUDY_APPROVED, LogAction.REVISION_APPROVED),
        study.id,
    )
    _tell_author(
        pending,
        lambda: (
            _("Your changes to “%(title)s” are published", title=study.title)
            if edited
            else _("“%(title)s” is published", title=study.title)
        ),
        "",
        _study_path(study),
    )
    db.session.flush()
    # The studies like it, chosen now rather than searched for on each view of its page.
    related_choices.after_publishing(study)


def request_changes(study: CaseStudy, moderator: User, note: str) -> None:
    _decide_with_note(study, moderator, Action.REQUEST_CHANGES, note)


def reject(study: CaseStudy, moderator: User, reason: str) -> None:
    _decide_with_note(study, moderator, Action.REJECT, reason)


# What each decision that needs a note records and tells the author: (log action for a new
# study, for an edit), subject, and where the author's link goes.
_NOTED_DECISIONS = {
    Action.REQUEST_CHANGES: (
        (LogAction.STUDY_CHANGES_REQUESTED, LogAction.REVISION_CHANGES_REQUESTED),
        lambda title: _("Changes requested to “%(title)s”", title=title),
        "case_studies.edit",
    ),
    Action.REJECT: (
        (LogAction.STUDY_REJECTED, LogAction.REVISION_REJECTED),
        lambda title: _("“%(title)s” was not accepted", title=title),
        "case_studies.show",
    ),
}


def _decide_with_note(study: CaseStudy, moderator: User, action: Action, note: str) -> None:
    pending = _pending(study, moderator)
    _require_note(note)
    (study_action, revision_action), subject, link_endpoint = _NOTED_DECISIONS[action]
    _transition(pending, action, _("This case study is not waiting for review."))
    pending.decision_note = note
    audit.record(moderator, _log_action(pending, study_action, revision_action), study.id, note)
    link = (
        url_for(link_endpoint, study_id=study.id)
        if link_endpoint == "case_studies.edit"
        else _study_path(study)
    )
    _tell_author(pending, lambda: subject(pending.title), note, link)
    db.session.flush()


def unpublish(study: CaseStudy, moderator: User, reason: str) -> None:
    """Take a published study off the board; the author can fix it and submit it again."""
    if next_state(study, Action.UNPUBLISH) is None:
        raise LifecycleError(_("Only a published case study can be unpublished."))
    if permissions.has_conflict_of_interest(moderator, study.council_id):
        raise LifecycleError(_("A moderator from another council must review your council's work."))
    _require_note(reason)
    revision = study.open_revision
    _transition(study, Action.UNPUBLISH, _("Only a published case study can be unpublished."))
    study.decision_note = reason
    if revision is not None:
        _transition(revision, Action.UNPUBLISH, _("This edit is already closed."))
    audit.record(moderator, LogAction.STUDY_UNPUBLISHED, study.id, reason)
    with in_language_of(study.author):
        notify(
            study.author,
            _("“%(title)s” was taken off the board", title=study.title),
            reason,
            url_for("case_studies.edit", study_id=study.id),
        )
    db.session.flush()


NOTE_LIMIT = 5000


def _require_note(note: str) -> None:
    if not note or not note.strip():
        raise LifecycleError(_("Enter a note explaining the decision."))
    if len(note) > NOTE_LIMIT:
        raise LifecycleError(
            _("Keep the note to %(limit)s characters or fewer.", limit=format(NOTE_LIMIT, ","))
        )


def _study_path(study: CaseStudy) -> str:
    return url_for("case_studies.show", study_id=study.id, slug=study.slug)
