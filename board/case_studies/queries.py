"""Queries for case studies, and loading the one a page is about."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, g, request
from flask_login import current_user
from sqlalchemy import (
    Select,
    String,
    bindparam,
    cast,
    func,
    inspect,
    literal_column,
    select,
)
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from board import permissions
from board.extensions import db
from board.models import (
    BOARD_VERSION_ID,
    Answer,
    BoardVersion,
    CaseStudy,
    Comment,
    RelatedChoice,
    RevisionStatus,
    StudyUpdate,
    Topic,
    TriedToo,
)
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
# decision): a visitor's view of a published study never needs them. Its topics' ids come with
# it, from the primary key of case_study_topics; on the study page the topics themselves are
# those kept for the board's change counter (study_topics), elsewhere (pages and actions that
# may change the study or its topics, or read topics of their own) they are read by a second
# statement, STUDY_TOPICS, also built once. (Joined in the first, the topics made SQLite walk
# every study's topics, and SQLAlchemy's selectinload built its statement afresh each time.)
# It reads what else the study page needs, before anything the page reads after it: the
# board's change counter (board/models/board_version.py), under which the page keeps its
# related studies (board/related.py); the question the study was written up to answer, if
# any (board/questions/answer_services.py written_in_answer_to); and whether it has any
# comments, "we tried this too" and approved updates (StudyContents). So the page of a study
# that answers no question and has none of these (nearly all) asks nothing more of them: on
# PostgreSQL every statement is a round trip.
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
        # The separator written into the statement, not bound afresh on each execution.
        select(
            func.aggregate_strings(
                cast(case_study_topics.c.topic_id, String), literal_column("','")
            )
        )
        .where(case_study_topics.c.case_study_id == CaseStudy.id)
        .scalar_subquery()
        .label("topic_ids"),
        # Each asks only for ids, which the index on the study's id holds.
        select(Comment.id)
        .where(Comment.case_study_id == CaseStudy.id)
        .exists()
        .label("any_comments"),
        select(TriedToo.id)
        .where(TriedToo.case_study_id == CaseStudy.id)
        .exists()
        .label("any_tried_too"),
        select(StudyUpdate.id)
        .where(
            StudyUpdate.study_id == CaseStudy.id,
            StudyUpdate.status == RevisionStatus.APPROVED,
        )
        .exists()
        .label("any_approved_updates"),
        # The related studies chosen when it was published, for each audience (None: none
        # chosen yet; board/related_choices.py).
        select(RelatedChoice.for_members)
        .where(RelatedChoice.study_id == CaseStudy.id)
        .scalar_subquery()
        .label("related_for_members"),
        select(RelatedChoice.for_visitors)
        .where(RelatedChoice.study_id == CaseStudy.id)
        .scalar_subquery()
        .label("related_for_visitors"),
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
# The study page (a GET, which changes nothing): the only one given kept topics.
STUDY_PAGE = "case_studies.show"


@dataclass(frozen=True)
class StudyContents:
    """Whether a study has any comments, "we tried this too" and approved updates, as read with
    it by load_study: the study page skips the statements of what it has none of."""

    study_id: int
    any_comments: bool
    any_tried_too: bool
    any_approved_updates: bool


def load_study(study_id: int) -> CaseStudy:
    """The study a page or action is about, or 404 when it does not exist or the current person
    may not see it (404 rather than 403, so that its existence stays private)."""
    row = db.session.execute(STUDY, {"study_id": study_id}).first()
    study = row[0] if row is not None else None
    if study is None or not permissions.can_view_study(study, current_user):
        abort(404)
    if "topics" in inspect(study).unloaded:
        # Set as if loaded with the study (never over topics this session already holds).
        topics = None
        if request.endpoint == STUDY_PAGE:
            topics = study_topics(row.board_version, row.topic_ids)
        if topics is None:
            topics = db.session.scalars(STUDY_TOPICS, {"study_id": study.id}).all()
        set_committed_value(study, "topics", list(topics))
    g.study_board_version = row.board_version
    g.study_written_for = (study.id, row.question_id)
    g.study_contents = StudyContents(
        study.id,
        bool(row.any_comments),
        bool(row.any_tried_too),
        bool(row.any_approved_updates),
    )
    g.study_related_choice = (study.id, row.related_for_members, row.related_for_visitors)
    return study


def study_topics(board_version: int | None, topic_ids: str | None) -> list[Topic] | None:
    """The topics of ``topic_ids`` (as STUDY reads them: "3,5", or None for none), in order,
    from every topic as kept for ``board_version``; None without a counter.

    Every topic is kept for the counter as the board keeps them (board/browse/cache.py
    topics_at), detached from any session. Only the study page uses them, which changes nothing
    and reads no other topics, so they are never part of a flush nor compared with a session's
    own."""
    from board.browse.cache import topics_at  # the browse blueprint imports this module

    if board_version is None:
        return None
    topics = topics_at(board_version)
    if not topic_ids:
        return []
    wanted = {int(topic_id) for topic_id in topic_ids.split(",")}
    return [topic for topic in topics if topic.id in wanted]
