"""Queries for case studies, and loading the one a page is about."""

from __future__ import annotations

from flask import abort, g
from flask_login import current_user
from sqlalchemy import Select, bindparam, inspect, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from board import permissions
from board.extensions import db
from board.models import BOARD_VERSION_ID, Answer, BoardVersion, CaseStudy, Topic
from board.models.case_study import case_study_topics


def council_studies_query(council_id: int) -> Select[tuple[CaseStudy]]:
    """Every study of one council, in any state, most recently changed first."""
    return (
        select(CaseStudy)
        .where(CaseStudy.council_id == council_id)
        .options(selectinload(CaseStudy.revisions))
        .order_by(CaseStudy.updated_at.desc(), CaseStudy.id.desc())
    )


# Built once, with the id as a parameter: SQLAlchemy works out a statement's cache key once
# per statement object, which for one made afresh on every request cost more than running it.
# Its revisions load when asked for (an edit, the council's status panel, a moderator's
# decision): a visitor's view of a published study never needs them. Its topics come in a
# second statement, STUDY_TOPICS, also built once: joined in the first, they made SQLite walk
# every study's topics, and SQLAlchemy's selectinload built its statement afresh each time
# (half a millisecond, more than the rest of loading the study).
# It reads two things the study page needs, before anything the page reads after it: the
# board's change counter (board/models/board_version.py), under which the page keeps its
# related studies (board/related.py); and the question the study was written up to answer, if
# any (board/questions/answer_services.py written_in_answer_to), so that the page of a study
# that answers none (nearly all) asks nothing more.
STUDY = (
    select(
        CaseStudy,
        select(BoardVersion.version)
        .where(BoardVersion.id == BOARD_VERSION_ID)
        .scalar_subquery()
        .label("board_version"),
        select(Answer.question_id)
        .where(Answer.write_up_id == CaseStudy.id)
        .order_by(Answer.id)
        .limit(1)
        .scalar_subquery()
        .label("question_id"),
    )
    .where(CaseStudy.id == bindparam("study_id"))
    .options(
        joinedload(CaseStudy.council),
        joinedload(CaseStudy.author),
    )
)
STUDY_TOPICS = (
    select(Topic)
    .join(case_study_topics, case_study_topics.c.topic_id == Topic.id)
    .where(case_study_topics.c.case_study_id == bindparam("study_id"))
    # As the relationship orders them.
    .order_by(Topic.position)
)


def load_study(study_id: int) -> CaseStudy:
    """The study a page or action is about, or 404 when it does not exist or the current person
    may not see it (404 rather than 403, so that its existence stays private)."""
    row = db.session.execute(STUDY, {"study_id": study_id}).first()
    study = row[0] if row is not None else None
    if study is None or not permissions.can_view_study(study, current_user):
        abort(404)
    if "topics" in inspect(study).unloaded:
        # Set as if loaded with the study (never over topics this session already holds).
        topics = db.session.scalars(STUDY_TOPICS, {"study_id": study.id}).all()
        set_committed_value(study, "topics", list(topics))
    g.study_board_version = row.board_version
    g.study_written_for = (study.id, row.question_id)
    return study
