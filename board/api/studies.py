"""Reading an API request's query string and shaping what the API answers.

The filters are read by the board's own ``parse_filters`` (board/browse/forms.py): what the
board would quietly ignore (an unknown topic, a misspelt outcome, a council text that names no
council or several), the API refuses with 400 and says which parameter and why, because a
program that asked for one thing must not be handed another.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC

from werkzeug.datastructures import MultiDict

from board.api import cursor, queries
from board.api.cursor import Position
from board.api.problems import InvalidParams
from board.api.schemas import API_SORTS, DEFAULT_LIMIT, MAX_LIMIT, SINGLE_VALUED
from board.browse import queries as board_queries
from board.browse.forms import (
    MAX_QUERY_LENGTH,
    SORT_ALIASES,
    STUDY_LANGUAGES,
    BoardFilters,
    parse_filters,
)
from board.browse.results import find_councils
from board.extensions import db
from board.forms import without_control_characters
from board.licence import LICENCE_NAME, LICENCE_URL
from board.models import CaseStudy, Topic
from board.models.case_study import title_slug
from board.urls import public_url_for

LICENCE = {"name": LICENCE_NAME, "url": LICENCE_URL}


@dataclass
class StudiesQuery:
    """What a request for studies asked: the board's filters, the order, and for a page its
    size and where it starts."""

    filters: BoardFilters
    order: str
    topics: list[Topic]
    limit: int = DEFAULT_LIMIT
    after: Position | None = None

    def args(self) -> dict:
        """The query string for these filters in tidy form (as the board writes them)."""
        args = self.filters.to_args(page=1)
        if self.order == "useful":
            args["sort"] = "useful"
        else:
            args.pop("sort", None)
        return args


def read_studies_query(args: MultiDict, paged: bool = True) -> StudiesQuery:
    """The filters (and, if ``paged``, limit and cursor) of a request; InvalidParams for every
    value the API cannot use."""
    topics = list(db.session.scalars(board_queries.topics_query()))
    filters = parse_filters(args, topics, find_councils=find_councils)
    invalid = _invalid_filters(args, filters, topics)
    order = filters.sort or "newest"
    query = StudiesQuery(filters=filters, order=order, topics=topics)
    if paged:
        query.limit = read_limit(args, invalid)
        text = args.get("cursor", "")
        if text and order in API_SORTS:
            try:
                query.after = cursor.decode(text, order)
            except cursor.BadCursor as error:
                invalid.append({"name": "cursor", "reason": f"The cursor {error}."})
    if invalid:
        raise InvalidParams(invalid)
    return query


def _invalid_filters(args: MultiDict, filters: BoardFilters, topics: list[Topic]) -> list[dict]:
    """What ``parse_filters`` could not use, by parameter."""
    invalid = [
        {"name": name, "reason": "Give it once."}
        for name in SINGLE_VALUED
        if len(args.getlist(name)) > 1
    ]
    slugs = {topic.slug for topic in topics}
    asked = [without_control_characters(slug).strip() for slug in args.getlist("topic")]
    if len(asked) > len(topics):
        invalid.append({"name": "topic", "reason": f"At most {len(topics)} topics."})
    for slug in asked:
        if slug and slug not in slugs:
            invalid.append({"name": "topic", "reason": f"“{slug[:80]}” is not a topic."})
    for name, value, what in (
        ("outcome", filters.outcome, "an outcome"),
        ("nation", filters.nation, "a nation"),
        ("council_type", filters.council_type, "a type of council"),
    ):
        text = args.get(name, "").strip()
        if text and value is None:
            invalid.append({"name": name, "reason": f"“{text[:80]}” is not {what}."})
    for code in args.getlist("language"):
        code = without_control_characters(code).strip()
        if code and code not in STUDY_LANGUAGES:
            invalid.append({"name": "language", "reason": f"“{code[:80]}” is not a language."})
    if filters.council_error:
        invalid.append({"name": "council", "reason": filters.council_error + "."})
    if len(" ".join(args.get("q", "").split())) > MAX_QUERY_LENGTH:
        invalid.append(
            {"name": "q", "reason": f"A search is at most {MAX_QUERY_LENGTH} characters."}
        )
    sort = args.get("sort", "").strip()
    if sort and filters.sort not in API_SORTS:
        known = SORT_ALIASES.get(sort, sort) == ""
        reason = (
            "The API does not order by relevance: use newest or useful."
            if known
            else f"“{sort[:80]}” is not a way to sort: use newest or useful."
        )
        invalid.append({"name": "sort", "reason": reason})
    return invalid


def read_limit(args: MultiDict, invalid: list[dict]) -> int:
    if "limit" not in args:
        return DEFAULT_LIMIT
    text = args.get("limit", "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 4 and 1 <= int(text) <= MAX_LIMIT:
        return int(text)
    invalid.append({"name": "limit", "reason": f"A whole number from 1 to {MAX_LIMIT}."})
    return DEFAULT_LIMIT


def find_page(query: StudiesQuery) -> tuple[list[dict], Position | None]:
    """One page of studies, and the position to start the next from (None on the last)."""
    rows = _read(query, query.after, query.limit + 1)
    page = rows[: query.limit]
    more = len(rows) > query.limit
    return summaries(page, query.topics), Position.of(query.order, page[-1]) if more else None


def batches(query: StudiesQuery, size: int):
    """Every matching study, in ``size`` rows at a time (keyset, so memory stays flat)."""
    after = None
    while True:
        rows = _read(query, after, size)
        if not rows:
            return
        yield summaries(rows, query.topics)
        if len(rows) < size:
            return
        after = Position.of(query.order, rows[-1])


def _read(query: StudiesQuery, after: Position | None, limit: int) -> list:
    """Up to ``limit`` matching studies after ``after``."""
    dialect = db.session.get_bind().dialect.name
    statement, values = queries.studies_statement(query.filters, dialect, query.order, after, limit)
    return db.session.execute(statement, values).all()


def next_url(query: StudiesQuery, position: Position | None) -> str | None:
    if position is None:
        return None
    args = query.args()
    if query.limit != DEFAULT_LIMIT:
        args["limit"] = query.limit
    args["cursor"] = cursor.encode(position)
    return public_url_for("api.studies", **args)


def summaries(rows, topics: list[Topic]) -> list[dict]:
    """List entries (queries.LIST_COLUMNS rows), with their topics in the topics' order."""
    if not rows:
        return []
    by_id = {topic.id: topic for topic in topics}
    topic_ids = defaultdict(list)
    for study_id, topic_id in db.session.execute(queries.topics_of([row.id for row in rows])):
        topic_ids[study_id].append(topic_id)
    # Each address from a prefix url_for made once: two url_for calls a row were a third of a
    # whole topic's CSV. Ids are digits and title slugs [a-z0-9-], so nothing needs quoting.
    studies_at = public_url_for("case_studies.show", study_id=1, slug="s").removesuffix("/1/s")
    api_at = public_url_for("api.study", study_id=1).removesuffix("/1")
    return [
        {
            "id": row.id,
            "title": row.title,
            "url": f"{studies_at}/{row.id}/{title_slug(row.title)}",
            "api_url": f"{api_at}/{row.id}",
            "summary": row.summary,
            "language": row.language,
            "outcome": row.outcome,
            "cost_band": row.cost_band,
            "council": {
                "slug": row.council_slug,
                "name": row.council_name,
                "nation": row.council_nation,
                "council_type": row.council_type,
            },
            "topics": sorted(
                (by_id[topic_id] for topic_id in topic_ids[row.id]),
                key=lambda topic: topic.position,
            ),
            "published_at": row.published_at.astimezone(UTC),
            "updated_at": row.updated_at.astimezone(UTC),
            "started_on": row.started_on,
            "ended_on": row.ended_on,
            "useful_count": row.useful_count,
            "last_update_at": row.last_update_at and row.last_update_at.astimezone(UTC),
        }
        for row in rows
    ]


def study_url(study_id: int, title: str) -> str:
    return public_url_for("case_studies.show", study_id=study_id, slug=title_slug(title))


def approved_updates(study_id: int) -> list:
    from board.updates.queries import approved_updates_query

    return list(db.session.scalars(approved_updates_query([study_id])))


def update_detail(update) -> dict:
    """An approved update as the API and the feed describe it."""
    change = None
    if update.new_outcome is not None:
        change = {"from_": update.previous_outcome, "to": update.new_outcome}
    return {
        "month": f"{update.happened_on:%Y-%m}",
        "markdown": update.body,
        "html": str(update.rendered("body")),
        "outcome_change": change,
        "published_at": update.published_at.astimezone(UTC),
    }


def study_detail(study: CaseStudy) -> dict:
    """Every public field of a published public study."""
    from board.comments import queries as discussion_queries
    from board.comments.discussion import councils_that_tried

    entries = db.session.scalars(discussion_queries.tried_too_query(study.id)).unique().all()
    return {
        "id": study.id,
        "title": study.title,
        "url": study_url(study.id, study.title),
        "api_url": public_url_for("api.study", study_id=study.id),
        "summary": study.summary,
        "language": study.language,
        "outcome": study.outcome,
        "cost_band": study.cost_band,
        "council": study.council,
        "topics": study.topics,
        "published_at": study.published_at,
        "updated_at": study.updated_at,
        "started_on": study.started_on,
        "ended_on": study.ended_on,
        "useful_count": study.useful_count,
        "last_update_at": study.last_update_at,
        "updates": [update_detail(update) for update in approved_updates(study.id)],
        "sections": [
            {
                "id": field,
                "heading": heading,
                "markdown": getattr(study, field),
                "html": str(study.rendered(field)),
            }
            for field, heading in CaseStudy.SECTIONS
        ],
        "tried_too": [
            {
                "council": tried.council,
                "studies": [
                    {"id": own.id, "title": own.title, "url": study_url(own.id, own.title)}
                    # Linked write-ups a visitor may read (published and public) only.
                    for own in tried.own_studies
                ],
            }
            for tried in councils_that_tried(entries, None)
        ],
        "licence": LICENCE,
    }
