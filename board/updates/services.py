"""Changes to updates: a council submits, resubmits or withdraws one; a moderator approves it,
asks for changes or rejects it.

Each change of state is a conditional UPDATE on the status it starts from (as council requests
are decided, board/admin/council_request_services.py): of two moderators deciding the same
update at once, or a moderator approving while the council withdraws, exactly one succeeds and
the other is told what happened instead. Services log, tell the author, and flush; the view
commits once. Callers check permission first (board/permissions.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from board import audit, permissions
from board.audit import LogAction
from board.extensions import db
from board.follow_ups.services import answer_open_prompts
from board.i18n import in_language_of
from board.models import CaseStudy, Outcome, RevisionStatus, StudyUpdate, User
from board.models.base import utcnow
from board.notifications.services import notify

NOTE_LIMIT = 5000

# An update the council is still working on with the moderators: one at a time per study.
OPEN = (RevisionStatus.SUBMITTED, RevisionStatus.CHANGES_REQUESTED)


class UpdateError(Exception):
    """The change does not fit the update's state; the message says why, for the person."""


class AlreadyDecided(UpdateError):
    """Someone else moved the update on first (decided it, or withdrew it)."""


def open_update_of(study_id: int) -> StudyUpdate | None:
    """The study's update waiting for review or for the council's changes, if there is one."""
    return db.session.scalar(
        db.select(StudyUpdate)
        .where(StudyUpdate.study_id == study_id, StudyUpdate.status.in_(OPEN))
        .order_by(StudyUpdate.id)
        .limit(1)
    )


def _changed_outcome(study: CaseStudy, outcome: Outcome | None) -> Outcome | None:
    return None if outcome is None or outcome is study.outcome else outcome


def submit(
    study: CaseStudy, author: User, happened_on: date, body: str, new_outcome: Outcome | None
) -> StudyUpdate:
    """A new update of a published study, sent to the moderators."""
    if not study.is_published:
        raise UpdateError("Only a published case study can be updated.")
    if open_update_of(study.id) is not None:
        raise UpdateError(
            "Your council's last update to this case study is still open. "
            "Change or withdraw that one first."
        )
    now = utcnow()
    update = StudyUpdate(
        study_id=study.id,
        author_id=author.id,
        happened_on=happened_on,
        body=body,
        new_outcome=_changed_outcome(study, new_outcome),
        status=RevisionStatus.SUBMITTED,
        decision_note="",
        submitted_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(update)
    except IntegrityError as clash:
        # A colleague's update was submitted at the same moment (the one-open index).
        raise UpdateError(
            "A colleague has just submitted an update to this case study. "
            "Change or withdraw that one first."
        ) from clash
    audit.record(author, LogAction.UPDATE_SUBMITTED, study.id)
    answer_open_prompts(study, author, "updated")
    db.session.flush()
    return update


def _claim(update: StudyUpdate, starting: Iterable[RevisionStatus], **values) -> None:
    """Move the update on, only if it is still in one of the ``starting`` states: a conditional
    UPDATE, so that of two people acting at once exactly one succeeds."""
    claimed = db.session.execute(
        db.update(StudyUpdate)
        .where(StudyUpdate.id == update.id, StudyUpdate.status.in_(list(starting)))
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(update)
    if claimed != 1:
        raise AlreadyDecided(already_message(update))


def already_message(update: StudyUpdate) -> str:
    what = {
        RevisionStatus.APPROVED: "approved",
        RevisionStatus.REJECTED: "rejected",
        RevisionStatus.CHANGES_REQUESTED: "sent back for changes",
        RevisionStatus.WITHDRAWN: "withdrawn by its council",
        RevisionStatus.SUBMITTED: "submitted again",
    }.get(update.status, "decided")
    return f"This update has already been {what}. Nothing was changed."


def resubmit(
    update: StudyUpdate,
    actor: User,
    happened_on: date,
    body: str,
    new_outcome: Outcome | None,
) -> None:
    """The council's corrected update, after a moderator asked for changes."""
    study = update.study
    _claim(
        update,
        (RevisionStatus.CHANGES_REQUESTED,),
        status=RevisionStatus.SUBMITTED,
        submitted_at=utcnow(),
    )
    # Through the ORM, so that its HTML is made again (board/rendering.py).
    update.happened_on = happened_on
    update.body = body
    update.new_outcome = _changed_outcome(study, new_outcome)
    audit.record(actor, LogAction.UPDATE_SUBMITTED, study.id, "Submitted again after changes")
    db.session.flush()


def withdraw(update: StudyUpdate, actor: User) -> None:
    _claim(update, OPEN, status=RevisionStatus.WITHDRAWN)
    audit.record(actor, LogAction.UPDATE_WITHDRAWN, update.study_id)
    db.session.flush()


def _check_moderator(update: StudyUpdate, moderator: User) -> None:
    if update.author_id == moderator.id:
        raise UpdateError("Another moderator must review your own writing.")
    if permissions.has_conflict_of_interest(moderator, update.study.council_id):
        raise UpdateError("A moderator from another council must review your council's work.")


def _require_note(note: str) -> None:
    if not note or not note.strip():
        raise UpdateError("Enter a note explaining the decision.")
    if len(note) > NOTE_LIMIT:
        raise UpdateError(f"Keep the note to {NOTE_LIMIT:,} characters or fewer.")


def study_path(study: CaseStudy, update: StudyUpdate | None = None) -> str:
    return url_for(
        "case_studies.show",
        study_id=study.id,
        slug=study.slug,
        _anchor=f"update-{update.id}" if update is not None else None,
    )


def approve(update: StudyUpdate, moderator: User) -> None:
    """Publish the update on the study's timeline, and apply its change of outcome."""
    study = update.study
    _check_moderator(update, moderator)
    if not study.is_published:
        raise UpdateError("The case study is no longer on the board, so its update cannot be.")
    now = utcnow()
    _claim(
        update,
        (RevisionStatus.SUBMITTED,),
        status=RevisionStatus.APPROVED,
        published_at=now,
        previous_outcome=study.outcome,
        decision_note="",
    )
    # The study may have taken this outcome since (an edit): then this update changes nothing.
    update.new_outcome = _changed_outcome(study, update.new_outcome)
    if update.new_outcome is not None:
        # An edit being written or reviewed copied the outcome as it was: unless it changes
        # the outcome itself, it carries the new one, so approving it later does not undo this.
        revision = study.open_revision
        if revision is not None and revision.outcome is study.outcome:
            revision.outcome = update.new_outcome
        study.outcome = update.new_outcome
    # The board's change counter watches this column: cached pages show the update at once.
    study.last_update_at = now
    audit.record(moderator, LogAction.UPDATE_APPROVED, study.id)
    with in_language_of(update.author):
        notify(
            update.author,
            _("Your update to “%(title)s” is published", title=study.title),
            _("A moderator approved your update. It is on the case study's timeline."),
            study_path(study, update),
        )
    db.session.flush()


def request_changes(update: StudyUpdate, moderator: User, note: str) -> None:
    _decide_with_note(
        update,
        moderator,
        note,
        RevisionStatus.CHANGES_REQUESTED,
        LogAction.UPDATE_CHANGES_REQUESTED,
        _l("Changes requested to your update to “%(title)s”"),
        url_for("updates.edit", study_id=update.study_id, update_id=update.id),
    )


def reject(update: StudyUpdate, moderator: User, reason: str) -> None:
    _decide_with_note(
        update,
        moderator,
        reason,
        RevisionStatus.REJECTED,
        LogAction.UPDATE_REJECTED,
        _l("Your update to “%(title)s” was not accepted"),
        study_path(update.study),
    )


def _decide_with_note(update, moderator, note, status, action, subject, link) -> None:
    study = update.study
    _check_moderator(update, moderator)
    _require_note(note)
    _claim(update, (RevisionStatus.SUBMITTED,), status=status, decision_note=note)
    audit.record(moderator, action, study.id, note)
    with in_language_of(update.author):
        notify(update.author, str(subject) % {"title": study.title}, note, link)
    db.session.flush()
