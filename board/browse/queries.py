"""Queries for browsing published studies, as functions returning ``Select``."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Executable,
    Index,
    Integer,
    Select,
    String,
    bindparam,
    case,
    cast,
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
# Counting a topic's published (and public) studies from this index alone (migration 0019):
# case_study_topics carries a copy of each study's status and visibility, kept by triggers.
# Checking each of the topic's studies in case_studies' indexes instead cost ten times as much
# as reading the topic's entries (1 ms against 0.09 on SQLite at 100,000 studies).
Index(
    "ix_case_study_topics_topic_id_study_status_visibility",
    case_study_topics.c.topic_id,
    case_study_topics.c.study_status,
    case_study_topics.c.study_visibility,
    case_study_topics.c.case_study_id,
)
# Filtering on the outcome (migration 0018): without the outcome in an index, each candidate
# study's row was read to check it (PostgreSQL scanned the whole table to count the studies
# that did not work). One gives a page newest first, the other the studies in id order, which
# PostgreSQL merges with a topic's to count them.
Index(
    "ix_case_studies_status_visibility_outcome_published_at",
    CaseStudy.status,
    CaseStudy.visibility,
    CaseStudy.outcome,
    CaseStudy.published_at,
    CaseStudy.id,
)
Index(
    "ix_case_studies_status_visibility_outcome_id",
    CaseStudy.status,
    CaseStudy.visibility,
    CaseStudy.outcome,
    CaseStudy.id,
)
Index(
    "ix_case_studies_status_useful_count_published_at",
    CaseStudy.status,
    CaseStudy.useful_count,
    CaseStudy.published_at,
    CaseStudy.id,
)
# Filtering on the language a study is written in (migration 0021). Without the language in an
# index, the board walked the published studies newest (or most useful) first and read each
# one's row to check it: while few studies are in Welsh, "language=cy" read every published
# study for the count and again for the page. On 100,000 studies (none in Welsh) that was 100
# to 180 ms for each on SQLite, and on PostgreSQL a scan of the whole table for each (250 to
# 470 ms); from these indexes alone, under 0.3 ms. Visibility comes last so that one index
# serves visitors and members alike: members see every visibility, and an index led by it
# could not give their studies in date order; visitors' studies are checked in the index,
# never in the table. The second gives "most useful" order: without it SQLite walked
# ix_case_studies_status_useful_count_published_at and read every row (140 to 220 ms);
# PostgreSQL sorts the few Welsh studies instead, but SQLite judges languages by their
# average share and cannot tell that Welsh is rare.
Index(
    "ix_case_studies_status_language_published_at",
    CaseStudy.status,
    CaseStudy.language,
    CaseStudy.published_at,
    CaseStudy.id,
    CaseStudy.visibility,
)
Index(
    "ix_case_studies_status_language_useful_count",
    CaseStudy.status,
    CaseStudy.language,
    CaseStudy.useful_count,
    CaseStudy.published_at,
    CaseStudy.id,
    CaseStudy.visibility,
)
# "Recently updated" in one language (migration 0024): both parts of updated_page_ids, the
# updated studies by their latest update and the others newest first, from this index alone.
# Without it, the first part walked ix_case_studies_status_last_update_at and read each updated
# study's row for its language (110 to 160 ms for a visitor's Welsh page on SQLite, at 100,000
# studies and none in Welsh).
Index(
    "ix_case_studies_status_language_last_update_at",
    CaseStudy.status,
    CaseStudy.language,
    CaseStudy.last_update_at,
    CaseStudy.published_at,
    CaseStudy.id,
    CaseStudy.visibility,
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
    return _visible_conditions(can_see_members_only(viewer))


def _visible_conditions(members: bool, written_in: bool = False) -> list[ColumnElement[bool]]:
    """Published, and public unless ``members``; the values written into the SQL when it runs
    if ``written_in`` (see _browse_statements)."""
    if not written_in:
        conditions = [CaseStudy.status == Status.PUBLISHED]
        if not members:
            conditions.append(CaseStudy.visibility == Visibility.PUBLIC)
        return conditions
    conditions = [CaseStudy.status == bindparam("board_status", literal_execute=True)]
    if not members:
        conditions.append(
            CaseStudy.visibility == bindparam("board_visibility", literal_execute=True)
        )
    return conditions


def filter_conditions(filters: BoardFilters) -> list[ColumnElement[bool]]:
    """The board's filters as conditions on CaseStudy (visibility not included), their values
    written in."""
    values = filter_values(filters)
    return _filter_conditions(values, values.__getitem__)


# The names of the board's filter parameters (filter_values), and those that hold a list.
TOPIC_IDS = "board_topic_ids"
OUTCOME = "board_outcome"
COUNCIL_ID = "board_council_id"
NATION = "board_nation"
COUNCIL_TYPE = "board_council_type"
LANGUAGE = "board_language"
LANGUAGES = "board_languages"
LIST_PARAMETERS = frozenset({TOPIC_IDS, LANGUAGES})


def filter_values(filters: BoardFilters) -> dict:
    """The values of the filters in use, by parameter name (a filter not in use is absent)."""
    values: dict = {}
    topic_ids = [topic.id for topic in filters.filtering_topics]
    if topic_ids:
        values[TOPIC_IDS] = topic_ids
    if filters.outcome:
        values[OUTCOME] = filters.outcome
    council = filters.filtering_council
    if council is not None:
        values[COUNCIL_ID] = council.id
    if filters.nation:
        values[NATION] = filters.nation
    if filters.council_type:
        values[COUNCIL_TYPE] = filters.council_type
    if len(filters.languages) == 1:
        values[LANGUAGE] = filters.languages[0]
    elif filters.languages:
        values[LANGUAGES] = list(filters.languages)
    return values


def filter_parameter_conditions(
    in_use: frozenset, written_in: bool = False
) -> list[ColumnElement[bool]]:
    """The conditions of the filters ``in_use`` (filter_values' names), each compared with the
    parameter of its name, given when the statement runs (and then written into its SQL if
    ``written_in``): a statement built with them serves every value of those filters."""

    def value(name):
        return bindparam(name, expanding=name in LIST_PARAMETERS, literal_execute=written_in)

    return _filter_conditions(in_use, value)


def _filter_conditions(in_use, value) -> list[ColumnElement[bool]]:
    """The conditions of the filters ``in_use`` (parameter names), each compared with
    ``value(name)``: the value itself, or a parameter given when the statement runs."""
    conditions: list[ColumnElement[bool]] = []
    if TOPIC_IDS in in_use:
        # Any of the chosen topics. EXISTS, not IN: the board walks its index newest first and
        # checks each study's topics by primary key, stopping once a page is full. It selects
        # a key, not "*": SQLite then reads the index alone, not the row with its other columns.
        conditions.append(
            select(case_study_topics.c.topic_id)
            .where(
                case_study_topics.c.case_study_id == CaseStudy.id,
                case_study_topics.c.topic_id.in_(value(TOPIC_IDS)),
            )
            .exists()
        )
    if OUTCOME in in_use:
        conditions.append(CaseStudy.outcome == value(OUTCOME))
    if COUNCIL_ID in in_use:
        conditions.append(CaseStudy.council_id == value(COUNCIL_ID))
    council_conditions = []
    if NATION in in_use:
        council_conditions.append(Council.nation == value(NATION))
    if COUNCIL_TYPE in in_use:
        council_conditions.append(Council.council_type == value(COUNCIL_TYPE))
    if council_conditions:
        conditions.append(CaseStudy.council_id.in_(select(Council.id).where(*council_conditions)))
    if LANGUAGE in in_use:
        conditions.append(CaseStudy.language == value(LANGUAGE))
    elif LANGUAGES in in_use:
        conditions.append(CaseStudy.language.in_(value(LANGUAGES)))
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


def capped_count_query(conditions: list, limit=COUNT_LIMIT) -> Select[tuple[int]]:
    """How many studies meet ``conditions``, counting no further than ``limit``."""
    matching = select(CaseStudy.id).where(*conditions).limit(limit).subquery()
    return select(func.count()).select_from(matching)


def count_query(subquery) -> Select[tuple[int]]:
    return select(func.count()).select_from(subquery)


# A card's topic ids, "3,5", read with its row (so that a page of cards is one statement, not
# two): in no promised order, as no portable aggregate orders them (SQLite's group_concat takes
# no ORDER BY before 3.44); the card puts its topics in position order itself.
CARD_TOPIC_IDS = (
    select(func.aggregate_strings(cast(case_study_topics.c.topic_id, String), ","))
    .where(case_study_topics.c.case_study_id == CaseStudy.id)
    .scalar_subquery()
    .label("topic_ids")
)

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
    CARD_TOPIC_IDS,
)


def page_query(conditions: list, order: str, limit, offset) -> Select:
    """One page of result cards (CARD_COLUMNS); ``limit`` and ``offset`` are numbers or
    parameters.

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


def updated_page_ids(conditions: list, limit, offset):
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
        select(*columns, literal(0, literal_execute=True).label("never"))
        .where(*conditions, CaseStudy.last_update_at.is_not(None))
        .order_by(
            CaseStudy.last_update_at.desc(), CaseStudy.published_at.desc(), CaseStudy.id.desc()
        )
        .limit(reach)
        .subquery("updated")
    )
    never = (
        select(*columns, literal(1, literal_execute=True).label("never"))
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


# The browsing statements (no search), built once for each form they take and run with the
# request's values as parameters. Building a statement (its conditions, its order, its
# subqueries) cost more than running it; SQLAlchemy also works out a statement's cache key once
# per statement object, so a statement used again finds its compiled SQL at once.
PAGE_LIMIT = "board_limit"
PAGE_OFFSET = "board_offset"
COUNT_LIMIT_PARAMETER = "board_count_limit"


def browse_statements(
    filters: BoardFilters, members: bool, dialect: str, limit: int, offset: int
) -> tuple[Executable, Select, dict]:
    """The capped count and the page of cards (``limit`` rows from ``offset``) of browsing with
    ``filters``, members-only studies included when ``members`` is true, and their parameters.
    On PostgreSQL each row of the page also carries the count, as ``total``."""
    values = filter_values(filters)
    in_use = frozenset(values)
    # One topic and no other filter: the count reads that topic's entries of case_study_topics
    # alone (TOPIC_COUNT_...).
    one_topic_only = in_use == {TOPIC_IDS} and len(values[TOPIC_IDS]) == 1
    if one_topic_only:
        values[ONE_TOPIC_ID] = values[TOPIC_IDS][0]
    values[PAGE_LIMIT] = limit
    values[PAGE_OFFSET] = offset
    values[COUNT_LIMIT_PARAMETER] = COUNT_LIMIT
    written_in = dialect == "postgresql"
    if written_in:
        values["board_status"] = Status.PUBLISHED
        values["board_visibility"] = Visibility.PUBLIC
    count, page = _browse_statements(members, in_use, filters.ordering, one_topic_only, written_in)
    return count, page, values


@lru_cache(maxsize=256)
def _browse_statements(
    members: bool, in_use: frozenset, order: str, one_topic_only: bool, written_in: bool
) -> tuple[Executable, Select]:
    """The count and the page. With ``written_in`` (PostgreSQL) the page's values are written
    into its SQL when it runs: psycopg prepares a statement run five times on a connection, and
    with the page's LIMIT and OFFSET as parameters PostgreSQL judged a plan made for any values
    dearer than one made for these, so it planned the page afresh every time (1 to 2 ms, more
    than running it). A statement with no parameters has one plan, made once for each page's
    text. The count keeps its parameters: PostgreSQL keeps one plan for it.

    On PostgreSQL the page also carries the count, as its column ``total``: one round trip
    fewer. The count is a subquery that refers to nothing outside it, which PostgreSQL runs
    once (an InitPlan) with the plan it gives the count alone; its values are written in too,
    so the page still has no parameters. A page with no rows carries no count: then the count
    runs alone (see results.find_studies)."""
    count = _count_statement(members, in_use, one_topic_only, written_in=False)
    limit = bindparam(PAGE_LIMIT, type_=Integer, literal_execute=written_in)
    offset = bindparam(PAGE_OFFSET, type_=Integer, literal_execute=written_in)
    page = page_query(_board_conditions(members, in_use, written_in), order, limit, offset)
    if written_in:
        counted = _count_statement(members, in_use, one_topic_only, written_in=True)
        page = page.add_columns(counted.scalar_subquery().label("total"))
    return count, page


def _board_conditions(members: bool, in_use: frozenset, written_in: bool) -> list:
    """Visibility and the filters ``in_use``, as parameters (written into the SQL when it runs
    if ``written_in``)."""
    return _visible_conditions(members, written_in) + filter_parameter_conditions(
        in_use, written_in
    )


def _count_statement(
    members: bool, in_use: frozenset, one_topic_only: bool, written_in: bool
) -> Select[tuple[int]]:
    """The capped count, its values written into the SQL when it runs if ``written_in``."""
    if one_topic_only:
        if written_in:
            return _topic_count(members, written_in=True)
        return TOPIC_COUNT_MEMBERS if members else TOPIC_COUNT_PUBLIC
    count_limit = bindparam(COUNT_LIMIT_PARAMETER, type_=Integer, literal_execute=written_in)
    return capped_count_query(_board_conditions(members, in_use, written_in), count_limit)


# How many studies of one topic are published (and public, for visitors), up to the limit,
# read from ix_case_study_topics_topic_id_study_status_visibility alone: each entry holds its
# study's status and visibility, copied by triggers (migration 0019), so no study is looked up.
# A study has a topic at most once (the primary key), so nothing is counted twice.
ONE_TOPIC_ID = "board_topic_id"


def _topic_count(members: bool, written_in: bool = False) -> Select[tuple[int]]:
    def value(name, type_=None):
        return bindparam(name, type_=type_, literal_execute=written_in)

    conditions = [
        case_study_topics.c.topic_id == value(ONE_TOPIC_ID, Integer),
        case_study_topics.c.study_status
        == (value("board_status") if written_in else Status.PUBLISHED),
    ]
    if not members:
        conditions.append(
            case_study_topics.c.study_visibility
            == (value("board_visibility") if written_in else Visibility.PUBLIC)
        )
    topic_studies = (
        select(case_study_topics.c.case_study_id)
        .where(*conditions)
        .limit(value(COUNT_LIMIT_PARAMETER, Integer))
        .subquery("topic_studies")
    )
    return count_query(topic_studies)


TOPIC_COUNT_MEMBERS = _topic_count(members=True)
TOPIC_COUNT_PUBLIC = _topic_count(members=False)


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


# (study id, topic id) for the studies whose ids are the parameter ``ids`` (the API's cards):
# built once, as a statement's cache key is worked out once per statement object.
CARD_TOPICS = select(case_study_topics.c.case_study_id, case_study_topics.c.topic_id).where(
    case_study_topics.c.case_study_id.in_(bindparam("ids", expanding=True))
)


def card_topics_query(study_ids: list[int]) -> Select[tuple[int, int]]:
    """(study id, topic id) for the given studies."""
    return CARD_TOPICS.params(ids=list(study_ids))
