"""The API's queries, as functions returning ``Select``. Which studies match is decided by the
board's own code (board/browse/queries.py and board/search.py), always as a visitor sees them:
published and public."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, func, select

from board import search
from board.api.cursor import Position
from board.browse import queries as board_queries
from board.browse.forms import BoardFilters
from board.models import CaseStudy, Council, Topic, case_study_topics

# What a study's entry in a list (and a row of the CSV) shows.
LIST_COLUMNS = (
    CaseStudy.id,
    CaseStudy.title,
    CaseStudy.summary,
    CaseStudy.outcome,
    CaseStudy.cost_band,
    CaseStudy.published_at,
    CaseStudy.updated_at,
    CaseStudy.started_on,
    CaseStudy.ended_on,
    CaseStudy.useful_count,
    CaseStudy.last_update_at,
    CaseStudy.language,
    Council.slug.label("council_slug"),
    Council.name.label("council_name"),
    Council.nation.label("council_nation"),
    Council.council_type.label("council_type"),
)


def public_conditions() -> list[ColumnElement[bool]]:
    """Published and public: what a visitor may read (nobody is signed in to the API)."""
    return board_queries.visible_conditions(None)


def matching_conditions(filters: BoardFilters, dialect: str) -> list[ColumnElement[bool]]:
    """The board's filters, and its search as one more filter: the API orders matches by date
    or usefulness, never by relevance, so every match is kept (not only the most recent ones
    the board ranks) and no rank is needed."""
    conditions = [*public_conditions(), *board_queries.filter_conditions(filters)]
    if filters.searching:
        matches = search.matching_studies_query(
            filters.q, None, dialect, limit=None, roughly=True
        ).subquery("matches")
        conditions.append(CaseStudy.id.in_(select(matches.c.id)))
    return conditions


def studies_page_query(conditions: list, order: str, after: Position | None, limit: int) -> Select:
    """Up to ``limit`` matching studies after ``after`` in ``order`` (newest or useful)."""
    where = list(conditions)
    if after is not None:
        where.append(after.after())
    return (
        select(*LIST_COLUMNS)
        .join(Council, Council.id == CaseStudy.council_id)
        .where(*where)
        .order_by(*board_queries.ordering(order, CaseStudy))
        .limit(limit)
    )


def topics_of(study_ids: list[int]) -> Select[tuple[int, int]]:
    return board_queries.card_topics_query(study_ids)


def public_study_query(study_id: int) -> Select[tuple[CaseStudy]]:
    return select(CaseStudy).where(CaseStudy.id == study_id, *public_conditions())


def _public_counts(key) -> Select:
    """Published public studies per ``key`` (a column of CaseStudy or of its topics)."""
    query = select(key.label("key"), func.count().label("studies")).where(*public_conditions())
    if key is case_study_topics.c.topic_id:
        query = query.select_from(case_study_topics).join(
            CaseStudy, CaseStudy.id == case_study_topics.c.case_study_id
        )
    return query.group_by(key).subquery()


def topics_with_counts() -> Select:
    """Every topic in its order, with how many published public studies it has."""
    counts = _public_counts(case_study_topics.c.topic_id)
    return (
        select(Topic, func.coalesce(counts.c.studies, 0).label("studies"))
        .outerjoin(counts, counts.c.key == Topic.id)
        .order_by(Topic.position)
    )


def councils_with_counts() -> Select:
    """Every council by name, with how many published public studies it has."""
    counts = _public_counts(CaseStudy.council_id)
    return (
        select(Council, func.coalesce(counts.c.studies, 0).label("studies"))
        .outerjoin(counts, counts.c.key == Council.id)
        .order_by(Council.name, Council.id)
    )
