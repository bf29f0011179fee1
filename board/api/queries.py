"""The API's queries, as functions returning ``Select``. Which studies match is decided by the
board's own code (board/browse/queries.py and board/search.py), always as a visitor sees them:
published and public."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import ColumnElement, Integer, Select, bindparam, func, select

from board import search
from board.api import cursor
from board.api.cursor import Position
from board.browse import queries as board_queries
from board.browse.forms import BoardFilters
from board.database import values_written_in
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


# The parameter of studies_statement: how many rows it reads.
LIMIT = "api_limit"


def studies_statement(
    filters: BoardFilters, dialect: str, order: str, after: Position | None, limit: int
) -> tuple[Select, dict]:
    """Up to ``limit`` matching studies (after the position ``after``, when given) in ``order``
    (newest or useful): a statement kept for every request of its kind, and this request's
    values for its parameters."""
    values = board_queries.filter_values(filters)
    in_use = frozenset(values)
    values[LIMIT] = limit
    shape = None
    common = False
    if filters.searching:
        groups = search.plan_search(filters.q)
        shape = search.shape_of(groups)
        words = search.search_parameters(groups, dialect)
        common = search.is_common(words, dialect)
        values.update(words)
    if after is not None:
        values.update(after.values())
    statement = _studies_statement(dialect, in_use, shape, common, order, after is not None)
    return statement, values


# Built once for each (database, filters in use, the search's shape and whether its words are
# common, order, first page or not) and kept, as the board keeps its own
# (board/browse/results.py): building a search's statement, and on PostgreSQL writing its
# values in, cost more than running it. Every value is a required parameter, so one request's
# never stands in for another's.
@lru_cache(maxsize=256)
def _studies_statement(
    dialect: str, in_use: frozenset, shape, common: bool, order: str, after: bool
) -> Select:
    where = [*public_conditions(), *board_queries.filter_parameter_conditions(in_use)]
    if shape is not None:
        # The search is one more filter: the API orders matches by date or usefulness, never by
        # relevance, so every match is kept (not only the most recent ones the board ranks) and
        # no rank is needed.
        where.append(search.matching_condition(dialect, shape, common))
    if after:
        where.append(cursor.after_condition(order))
    statement = (
        select(*LIST_COLUMNS)
        .join(Council, Council.id == CaseStudy.council_id)
        .where(*where)
        .order_by(*board_queries.ordering(order, CaseStudy))
        .limit(bindparam(LIMIT, type_=Integer))
    )
    if shape is not None and dialect == "postgresql":
        # A search is planned for its words and values, never once for any
        # (board/database.py).
        return values_written_in(statement)
    return statement


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
