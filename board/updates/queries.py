"""Reading updates: a study's timeline and outcome history, the waiting ones for the review
queue, and loading the one a page is about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from board.extensions import db
from board.models import CaseStudy, Outcome, RevisionStatus, StudyUpdate


def approved_updates_query(study_ids: list[int]) -> Select[tuple[StudyUpdate]]:
    """The approved updates of the given studies, in the order they happened (by the month
    they are about, then by when they were approved)."""
    return (
        select(StudyUpdate)
        .where(StudyUpdate.study_id.in_(study_ids), StudyUpdate.status == RevisionStatus.APPROVED)
        .order_by(StudyUpdate.happened_on, StudyUpdate.published_at, StudyUpdate.id)
    )


# One study's, built once with its id as a parameter: the study page reads it on every request.
APPROVED_UPDATES_OF_STUDY = (
    select(StudyUpdate)
    .where(
        StudyUpdate.study_id == bindparam("study_id"),
        StudyUpdate.status == RevisionStatus.APPROVED,
    )
    .order_by(StudyUpdate.happened_on, StudyUpdate.published_at, StudyUpdate.id)
)


@dataclass(frozen=True)
class OutcomeStep:
    outcome: Outcome
    # The month it took this outcome: the study's publication, then each update's month.
    month: date | None
    at_publication: bool = False


@dataclass
class Timeline:
    updates: list[StudyUpdate]
    # Empty when no update changed the outcome.
    history: list[OutcomeStep]


def outcome_history(study: CaseStudy, updates: list[StudyUpdate]) -> list[OutcomeStep]:
    """The outcome at publication, then each change an approved update made, with its month,
    in the order they were approved (the order the outcome changed in: an update about an
    earlier month may be approved after a later one)."""
    changes = sorted(
        (update for update in updates if update.new_outcome is not None),
        key=lambda update: (update.published_at, update.id),
    )
    if not changes:
        return []
    first = changes[0].previous_outcome or study.outcome
    published = study.published_at.date().replace(day=1) if study.published_at else None
    steps = [OutcomeStep(first, published, at_publication=True)]
    for update in changes:
        steps.append(OutcomeStep(update.new_outcome, update.happened_on))
    return steps


def timeline_for(study: CaseStudy, any_approved: bool = True) -> Timeline:
    """A study's approved updates, oldest first, and its outcome history: one query, none when
    ``any_approved`` (read with the study, board/case_studies/pages.py) says there are none."""
    if not (study.is_published and any_approved):
        return Timeline([], [])
    updates = list(db.session.scalars(APPROVED_UPDATES_OF_STUDY, {"study_id": study.id}))
    return Timeline(updates, outcome_history(study, updates))


def waiting_updates_query() -> Select[tuple[StudyUpdate]]:
    """Updates waiting for a moderator, with their study, its council and their author."""
    return (
        select(StudyUpdate)
        .where(StudyUpdate.status == RevisionStatus.SUBMITTED)
        .options(
            joinedload(StudyUpdate.author),
            joinedload(StudyUpdate.study).joinedload(CaseStudy.council),
        )
        .order_by(StudyUpdate.submitted_at, StudyUpdate.id)
    )


def load_update(study_id: int | None, update_id: int) -> StudyUpdate:
    """The update a page or action is about, with its study, or 404 (also when it is not an
    update of ``study_id``, when one is given)."""
    update = db.session.scalar(
        select(StudyUpdate)
        .where(StudyUpdate.id == update_id)
        .options(
            joinedload(StudyUpdate.author),
            joinedload(StudyUpdate.study).joinedload(CaseStudy.council),
        )
    )
    if update is None or (study_id is not None and update.study_id != study_id):
        abort(404)
    return update


def open_update_for_council(study: CaseStudy, user) -> StudyUpdate | None:
    """The study's update still with the moderators or back with the council, for the status
    panel of the council's members (nobody else is told of it, and nobody else pays a query)."""
    from board.permissions import can_write_update
    from board.updates.services import open_update_of

    if not can_write_update(study, user):
        return None
    return open_update_of(study.id)
