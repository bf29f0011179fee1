"""One page of the board's results: runs the queries and says how many there are.

A page costs the same number of SQL statements whatever its size: browsing counts (up to
COUNT_LIMIT) and reads the page (on PostgreSQL in one statement, unless the page is empty),
search reads the page with its total in one statement; each card's topics come with its row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from math import ceil

from sqlalchemy import Integer, bindparam

from board import search
from board.browse import queries
from board.browse.forms import MAX_COUNCIL_MATCHES, BoardFilters, CouncilLookup
from board.database import values_written_in
from board.extensions import db
from board.models import Outcome, Topic, User, Visibility
from board.models.base import utcnow
from board.models.case_study import title_slug
from board.permissions import can_see_members_only

# A study updated this recently is marked "Updated <month>" on its card.
RECENT_UPDATE = timedelta(days=90)


@dataclass(frozen=True, slots=True)
class CouncilLink:
    slug: str
    name: str


class StudyCard:
    """What a result card shows of a study (the macro study_card also takes a CaseStudy), read
    from its CARD_COLUMNS row only when asked: a card drawn before is found by ``key``, the row's
    own values (board/browse/cards.py), so most cards of a page are never read field by field."""

    __slots__ = ("_row", "_topics_by_id", "key", "recent_update")

    def __init__(self, row, topics_by_id: dict[int, Topic], recent_since: datetime) -> None:
        self._row = row
        self._topics_by_id = topics_by_id
        last_update_at = row.last_update_at
        # When its latest update was approved, if that was within RECENT_UPDATE: the card says so.
        self.recent_update: datetime | None = (
            last_update_at
            if last_update_at is not None and last_update_at >= recent_since
            else None
        )
        # Everything the card shows: its columns (not a search's total, which follows them),
        # and whether its update is recent enough to show (which changes with time alone).
        self.key = (row[:CARD_WIDTH], self.recent_update is not None)

    @property
    def id(self) -> int:
        return self._row.id

    @property
    def title(self) -> str:
        return self._row.title

    @property
    def summary(self) -> str:
        return self._row.summary

    @property
    def outcome(self) -> Outcome:
        return self._row.outcome

    @property
    def visibility(self) -> Visibility:
        return self._row.visibility

    @property
    def published_at(self) -> datetime:
        return self._row.published_at

    @property
    def useful_count(self) -> int:
        return self._row.useful_count

    @property
    def language(self) -> str:
        """The language its title and summary are written in ("en" or "cy"): the card marks
        them."""
        return self._row.language

    @property
    def council(self) -> CouncilLink:
        return CouncilLink(slug=self._row.council_slug, name=self._row.council_name)

    @property
    def topics(self) -> list[Topic]:
        """Its topics, in position order."""
        topic_ids = self._row.topic_ids
        if not topic_ids:
            return []
        by_id = self._topics_by_id
        return sorted(
            (by_id[int(topic_id)] for topic_id in topic_ids.split(",")),
            key=lambda topic: topic.position,
        )

    @property
    def slug(self) -> str:
        return _title_slug(self.title)


CARD_WIDTH = len(queries.CARD_COLUMNS)


# A card's slug, worked out once per title (a bounded cache: the board's first pages, read
# again and again, keep theirs).
_title_slug = lru_cache(maxsize=4096)(title_slug)


@dataclass
class ResultsPage:
    items: list[StudyCard]
    page: int
    per_page: int
    # Exact when ``more`` is false; otherwise a lower bound (the count stopped there).
    total: int
    more: bool
    has_next: bool
    searched: bool = False
    # When no study matched every word of a search: "similar" (these match similar words:
    # misspellings, words written as one) or "some" (these match some of the words).
    near: str = ""

    @property
    def pages(self) -> int | None:
        """How many pages there are, when known."""
        return None if self.more else max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    @property
    def beyond_the_end(self) -> bool:
        return not self.items and self.page > 1


def find_councils(text: str) -> CouncilLookup:
    """The councils a council field's ``text`` names (board/browse/forms.py), in one query."""
    councils = db.session.scalars(
        queries.councils_matching_query(text, MAX_COUNCIL_MATCHES + 1)
    ).all()
    lowered = text.lower()
    exact = bool(councils) and lowered in (councils[0].slug, councils[0].name.lower())
    return CouncilLookup(councils=list(councils), exact=exact)


def find_studies(
    filters: BoardFilters, viewer: User | None, per_page: int, topics: list[Topic]
) -> ResultsPage:
    """The page of results ``filters`` ask for; ``topics`` are all the topics."""
    offset = (filters.page - 1) * per_page
    if filters.searching:
        return _search_page(filters, viewer, per_page, offset, topics)

    dialect = db.session.get_bind().dialect.name
    # One row more than the page shows: is there a next page, even past the counted ones?
    count, page, parameters = queries.browse_statements(
        filters, can_see_members_only(viewer), dialect, per_page + 1, offset
    )
    # Plain rows, on the session's connection (in its transaction): no ORM work on the results.
    connection = db.session.connection()
    if dialect == "postgresql":
        # Each row of the page carries the count (queries._browse_statements): one round trip
        # to the database fewer. A page with no rows (none match, or it is past the end) has
        # none to carry it: then it is counted alone, so that the page can say how many match.
        rows = connection.execute(page, parameters).all()
        total = rows[0].total if rows else connection.scalar(count, parameters)
    else:
        # SQLite runs in this process: a statement costs no round trip.
        total = connection.scalar(count, parameters)
        rows = connection.execute(page, parameters).all()
    return ResultsPage(
        items=_cards(rows[:per_page], topics),
        page=filters.page,
        per_page=per_page,
        total=total,
        more=total >= queries.COUNT_LIMIT,
        has_next=len(rows) > per_page,
    )


def _search_page(filters, viewer, per_page, offset, topics) -> ResultsPage:
    """A page of search results. On SQLite the matches are first ranked roughly, which costs
    the same whatever the words; only when fewer than the limit match (so the words are not
    common) and the order is relevance are they ranked again with bm25 (board/search.py).

    When no study matches every word, the search looks for similar words, then for studies
    matching some of the words (board/search.py), and the page says so: nobody meets an empty
    page when a near answer exists. Each step is one more query, only when the last found
    nothing."""
    dialect = db.session.get_bind().dialect.name
    # The filters' values, given as parameters to a statement kept for the filters in use.
    values = queries.filter_values(filters)
    groups = search.plan_search(filters.q)
    rows, total = _ranked_matches(filters, viewer, dialect, values, per_page, offset, groups)
    near = ""
    if not total:
        nearer = search.nearer_groups(groups, dialect)
        if nearer:
            rows, total = _ranked_matches(
                filters, viewer, dialect, values, per_page, offset, nearer
            )
            near = "similar"
        if not total and len(groups) > 1:
            rows, total = _ranked_matches(
                filters, viewer, dialect, values, per_page, offset, nearer or groups, True
            )
            near = "some"
    items = _cards(rows, topics)
    return ResultsPage(
        items=items,
        page=filters.page,
        per_page=per_page,
        total=total,
        more=total >= search.CANDIDATE_LIMIT,
        has_next=offset + len(items) < total,
        searched=True,
        near=near if total else "",
    )


def _ranked_matches(filters, viewer, dialect, values, per_page, offset, groups, partial=False):
    """The page's rows of matches of ``groups`` and how many matched (up to the limit);
    ``values``: the filters' (queries.filter_values)."""
    # The limit is read here, at call time, so that tests can make it small.
    limit = search.CANDIDATE_LIMIT
    roughly = dialect == "sqlite"
    rows, total = _matches(
        filters, viewer, dialect, values, per_page, offset, groups, partial, roughly
    )
    if roughly and 0 < total < limit and filters.ordering == "relevance":
        rows, total = _matches(filters, viewer, dialect, values, per_page, offset, groups, partial)
    return rows, total


def _matches(filters, viewer, dialect, values, per_page, offset, groups, partial, roughly=False):
    ranked, count = _search_statements(
        dialect,
        search.shape_of(groups),
        can_see_members_only(viewer),
        frozenset(values),
        roughly,
        partial,
        filters.ordering,
    )
    parameters = {
        **values,
        **search.search_parameters(groups, dialect, partial),
        "candidate_limit": search.CANDIDATE_LIMIT,
        "page_limit": per_page,
        "page_offset": offset,
    }
    rows = db.session.execute(ranked, parameters).all()
    total = rows[0].total if rows else None
    if total is None:
        # No rows: none matched, or the page is past the end (then count, to say how many did).
        total = db.session.scalar(count, parameters) if filters.page > 1 else 0
    return rows, total


# The statements of searches, built once for each (database, the search's shape, audience, the
# filters in use, rough or not, partial or not, order) and kept, at most SEARCH_STATEMENTS of
# them: building a search's statement, and on PostgreSQL writing its values in, cost more than
# running it. They hold no words, no filter values and no data, only the SQL: every value is a
# required parameter (search.Parameters, queries.filter_parameter_conditions) given afresh by
# each search, so one search's words or filters never stand in for another's; the audience is
# part of the key, so a statement kept for a member (who sees members-only studies) is never a
# visitor's.
SEARCH_STATEMENTS = 512


@lru_cache(maxsize=SEARCH_STATEMENTS)
def _search_statements(dialect, shape, members, in_use, roughly, partial, order):
    """The page of a search's matches and their count (past the end), as statements whose
    parameters are the words (board.search.search_parameters), the values of the filters
    ``in_use`` (queries.filter_values), ``candidate_limit``, ``page_limit`` and
    ``page_offset``."""
    matches = search.matches_statement(
        dialect,
        shape,
        members,
        queries.filter_parameter_conditions(in_use),
        roughly=roughly,
        partial=partial,
    ).subquery("matches")
    ranked = queries.ranked_page_query(
        matches,
        order,
        bindparam("page_limit", type_=Integer),
        bindparam("page_offset", type_=Integer),
    )
    count = queries.count_query(matches)
    if dialect == "postgresql":
        # Planned for its words and values, never once for any (board/database.py).
        return values_written_in(ranked), values_written_in(count)
    return ranked, count


def _cards(rows, topics: list[Topic]) -> list[StudyCard]:
    """Result cards from CARD_COLUMNS rows, which carry their topics' ids; ``topics`` are all
    the topics."""
    if not rows:
        return []
    by_id = {topic.id: topic for topic in topics}
    recent_since = utcnow() - RECENT_UPDATE
    return [StudyCard(row, by_id, recent_since) for row in rows]
