"""Queries for browsing published studies, as functions returning ``Select``."""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Index,
    Select,
    bindparam,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)

from board.browse.forms import BoardFilters
from board.models import CaseStudy, Council, Status, Topic, User, Visibility, case_study_topics
from board.permissions import can_see_members_only

# Browsing counts matching studies up to this many; past it the board says "1,000 or more",
# as search does (board.search.CANDIDATE_LIMIT). Counting every one of 80,000 published studies
# on each page view was measured at 114 ms on SQLite: more than the rest of the page.
COUNT_LIMIT = 1_000

# Indexes the board's queries need, made by migration 0003. Visitors see public studies only,
# so counting and skipping pages needs visibility in the index: without it SQLite reads every
# row, and a study's row is long. "Most useful" needs its own order. The id ends both, as it
# ends the order, so a deep page is read from the index alone (SQLite has it there anyway;
# PostgreSQL otherwise read 10,000 rows for page 500). Declared here, beside the queries that
# use them, so that the models-vs-migrations check sees them.
Index(
    "ix_case_studies_status_visibility_published_at",
    CaseStudy.status,
    CaseStudy.visibility,
    CaseStudy.published_at,
    CaseStudy.id,
)
# Counting a topic's studies (migration 0009): PostgreSQL merges the published studies and the
# topic's studies, both in id order, and without these it read every study's row from the
# table to check its visibility (8 to 9 ms a count instead of about 2.5). The primary key of
# case_study_topics leads with the study, which suits the cards' topics, not a topic's studies.
Index(
    "ix_case_studies_status_id_visibility",
    CaseStudy.status,
    CaseStudy.id,
    CaseStudy.visibility,
)
Index(
    "ix_case_study_topics_topic_id_case_study_id",
    case_study_topics.c.topic_id,
    case_study_topics.c.case_study_id,
)
Index(
    "ix_case_studies_status_useful_count_published_at",
    CaseStudy.status,
    CaseStudy.useful_count,
    CaseStudy.published_at,
    CaseStudy.id,
)


# Built once: a statement's cache key is worked out once per statement object (statements are
# immutable, so every caller can share it).
TOPICS = select(Topic).order_by(Topic.position)


def topics_query() -> Select[tuple[Topic]]:
    return TOPICS


def councils_matching_query(text: str, limit: int) -> Select[tuple[Council]]:
    """Councils whose slug or name is ``text``, or whose name contains it, in any case: those
    named exactly first, then by name, at most ``limit``. ``text`` is never read as a pattern."""
    lowered = text.lower()
    exact = or_(func.lower(Council.slug) == lowered, func.lower(Council.name) == lowered)
    return (
        select(Council)
        # Lower-cased here, not by the database: SQLite's lower() leaves "Ô" as it is.
        .where(or_(exact, func.lower(Council.name).contains(lowered, autoescape=True)))
        # Live councils before retired ones, which the list marks as former councils.
        .order_by(
            case((exact, 0), else_=1),
            case((Council.retired_at.is_(None), 0), else_=1),
            Council.name,
        )
        .limit(limit)
    )


def council_by_slug(slug: str) -> Select[tuple[Council]]:
    return select(Council).where(Council.slug == slug)


def visible_conditions(viewer: User | None) -> list[ColumnElement[bool]]:
    """Published, and public unless the viewer is a verified member or a moderator."""
    conditions = [CaseStudy.status == Status.PUBLISHED]
    if not can_see_members_only(viewer):
        conditions.append(CaseStudy.visibility == Visibility.PUBLIC)
    return conditions


def filter_conditions(filters: BoardFilters) -> list[ColumnElement[bool]]:
    """The board's filters as conditions on CaseStudy (visibility not included)."""
    conditions: list[ColumnElement[bool]] = []
    topic_ids = [topic.id for topic in filters.filtering_topics]
    if topic_ids:
        # Any of the chosen topics. EXISTS, not IN: the board walks its index newest first and
        # checks each study's topics by primary key, stopping once a page is full.
        conditions.append(
            exists().where(
                case_study_topics.c.case_study_id == CaseStudy.id,
                case_study_topics.c.topic_id.in_(topic_ids),
            )
        )
    if filters.outcome:
        conditions.append(CaseStudy.outcome == filters.outcome)
    council = filters.filtering_council
    if council is not None:
        conditions.append(CaseStudy.council_id == council.id)
    council_conditions = []
    if filters.nation:
        council_conditions.append(Council.nation == filters.nation)
    if filters.council_type:
        council_conditions.append(Council.council_type == filters.council_type)
    if council_conditions:
        conditions.append(CaseStudy.council_id.in_(select(Council.id).where(*council_conditions)))
    if len(filters.languages) == 1:
        conditions.append(CaseStudy.language == filters.languages[0])
    elif filters.languages:
        conditions.append(CaseStudy.language.in_(filters.languages))
    return conditions


def ordering(order: str, columns) -> list:
    """ORDER BY for ``order`` over ``columns`` (CaseStudy, or a subquery's ``c``), with the id
    last so that pages never overlap."""
    newest = [columns.published_at.desc(), columns.id.desc()]
    if order == "useful":
        return [columns.useful_count.desc(), *newest]
    if order == "relevance":
        return [columns.score.desc(), columns.id.desc()]
    if order == "updated":
        # Studies never updated have no last_update_at: they follow, newest first. SQLite
        # sorts NULL lowest, so this is its plain descending order and it walks
        # ix_case_studies_status_last_update_at backwards.
        return [columns.last_update_at.desc().nulls_last(), *newest]
    return newest


def capped_count_query(conditions: list, limit: int = COUNT_LIMIT) -> Select[tuple[int]]:
    """How many studies meet ``conditions``, counting no further than ``limit``."""
    matching = select(CaseStudy.id).where(*conditions).limit(limit).subquery()
    return select(func.count()).select_from(matching)


def count_query(subquery) -> Select[tuple[int]]:
    return select(func.count()).select_from(subquery)


# What a result card shows, read as plain rows: building ORM objects (and their topic
# collections) for a page of cards cost more than the queries themselves.
CARD_COLUMNS = (
    CaseStudy.id,
    CaseStudy.title,
    CaseStudy.summary,
    CaseStudy.outcome,
    CaseStudy.visibility,
    CaseStudy.published_at,
    CaseStudy.useful_count,
    CaseStudy.last_update_at,
    CaseStudy.language,
    Council.slug.label("council_slug"),
    Council.name.label("council_name"),
)


def page_query(conditions: list, order: str, limit: int, offset: int) -> Select:
    """One page of result cards (CARD_COLUMNS).

    The page's ids are found first, from the indexes alone; only those rows are then read with
    their council (a deep page skips thousands of rows, and must not read or join them)."""
    order_columns = [CaseStudy.id, CaseStudy.published_at]
    if order == "useful":
        order_columns.append(CaseStudy.useful_count)
    if order == "updated":
        ids = updated_page_ids(conditions, limit, offset)
    else:
        ids = (
            select(*order_columns)
            .where(*conditions)
            .order_by(*ordering(order, CaseStudy))
            .limit(limit)
            .offset(offset)
            .subquery("page_ids")
        )
    return (
        select(*CARD_COLUMNS)
        .join(ids, CaseStudy.id == ids.c.id)
        .join(Council, Council.id == CaseStudy.council_id)
        .order_by(*ordering(order, ids.c))
    )


def updated_page_ids(conditions: list, limit: int, offset: int):
    """The ids of one page in "Recently updated" order: updated studies by their latest update,
    then the others newest first.

    Written as two ordered parts, each read from its own index, rather than one ORDER BY
    ``last_update_at DESC NULLS LAST``: PostgreSQL walks ix_case_studies_status_last_update_at
    backwards as DESC NULLS FIRST, so that ORDER BY read and sorted every published study (80 ms
    at 100,000). Here the updated ones come from that index, the rest from
    ix_case_studies_status_visibility_published_at, and each part stops at the page's end."""
    reach = limit + offset
    columns = (CaseStudy.id, CaseStudy.published_at, CaseStudy.last_update_at)
    updated = (
        select(*columns, literal(0).label("never"))
        .where(*conditions, CaseStudy.last_update_at.is_not(None))
        .order_by(
            CaseStudy.last_update_at.desc(), CaseStudy.published_at.desc(), CaseStudy.id.desc()
        )
        .limit(reach)
        .subquery("updated")
    )
    never = (
        select(*columns, literal(1).label("never"))
        .where(*conditions, CaseStudy.last_update_at.is_(None))
        .order_by(CaseStudy.published_at.desc(), CaseStudy.id.desc())
        .limit(reach)
        .subquery("never_updated")
    )
    both = union_all(select(updated), select(never)).subquery("both_parts")
    return (
        select(both.c.id, both.c.published_at, both.c.last_update_at)
        .order_by(
            both.c.never,
            both.c.last_update_at.desc(),
            both.c.published_at.desc(),
            both.c.id.desc(),
        )
        .limit(limit)
        .offset(offset)
        .subquery("page_ids")
    )


def ranked_page_query(matches, order: str, limit: int, offset: int) -> Select:
    """One page of search matches (``matches``: board.search's subquery of id, score,
    published_at, useful_count and last_update_at) as result cards, each row with how many
    matched (``total``)."""
    ranked = (
        select(
            matches.c.id,
            matches.c.score,
            matches.c.published_at,
            matches.c.useful_count,
            matches.c.last_update_at,
            func.count().over().label("total"),
        )
        .order_by(*ordering(order, matches.c))
        .limit(limit)
        .offset(offset)
        .subquery("ranked")
    )
    return (
        select(*CARD_COLUMNS, ranked.c.total)
        .join(ranked, CaseStudy.id == ranked.c.id)
        .join(Council, Council.id == CaseStudy.council_id)
        .order_by(*ordering(order, ranked.c))
    )


# (study id, topic id) for the studies whose ids are the parameter ``ids``: built once, as a
# statement's cache key is worked out once per statement object.
CARD_TOPICS = select(case_study_topics.c.case_study_id, case_study_topics.c.topic_id).where(
    case_study_topics.c.case_study_id.in_(bindparam("ids", expanding=True))
)


def card_topics_query(study_ids: list[int]) -> Select[tuple[int, int]]:
    """(study id, topic id) for the given studies."""
    return CARD_TOPICS.params(ids=list(study_ids))
