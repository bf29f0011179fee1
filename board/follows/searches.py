"""Saved searches: a view of the board, kept as the board's own query string.

A saved search is read the board's way (board/browse/forms.py parse_filters) and stored in one
canonical form, so that the same filters asked in another order, with a page number, a sort or
stray spaces, are the same search (and the same follow: ``target`` is unique per person). What
the canonical form keeps is what says which studies match: the search words, topics, outcome,
council, nation and type of council. Sort and page say how a listing is shown, not what is in
it, so they are left out. A topic or council page's own topic or council is written in as a
filter (``topic=<slug>``, ``council=<slug>``), so a search saved there reads the same on the
board.

Digests read a saved search back with ``filters_for(query)``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from babel.lists import format_list
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from board.browse.forms import BoardFilters, language_name, parse_filters
from board.browse.queries import topics_query
from board.browse.results import find_councils
from board.browse.titles import filters_described
from board.extensions import db

# The follows table keeps at most this much of a query string (Follow.query).
MAX_QUERY_LENGTH = 500


def any_of(names: list[str]) -> str:
    """Topics as "A or B", "A, B or C" ("A neu B"), in the language of the moment: Babel's
    list patterns (British English's, without a comma before "or")."""
    locale = get_locale()
    language = locale.language if locale else "en"
    return format_list(names, style="or", locale="en_GB" if language == "en" else language)


def read_filters(args: MultiDict) -> BoardFilters:
    """The board's filters from a query string, read exactly as the board reads them."""
    topics = db.session.scalars(topics_query()).all()
    return parse_filters(args, topics, find_councils=find_councils)


def filters_for(query: str) -> BoardFilters:
    """A saved search's filters, from its stored query string."""
    from urllib.parse import parse_qsl

    return read_filters(MultiDict(parse_qsl(query, keep_blank_values=False)))


def canonical_query(filters: BoardFilters) -> str:
    """The query string that stands for ``filters`` as a saved search: always the same order
    and spelling, without sort or page, the fixed topic or council of its page written in."""
    items: list[tuple[str, str]] = []
    if filters.q:
        items.append(("q", filters.q))
    items.extend(("topic", topic.slug) for topic in filters.filtering_topics)
    if filters.outcome:
        items.append(("outcome", filters.outcome.value))
    council = filters.filtering_council
    if council is not None:
        items.append(("council", council.slug))
    if filters.nation:
        items.append(("nation", filters.nation.value))
    if filters.council_type:
        items.append(("council_type", filters.council_type.value))
    items.extend(("language", code) for code in filters.languages)
    return urlencode(items)


def describe(filters: BoardFilters) -> list[str]:
    """The filters of a saved search in words, one line each, for the person saving it."""
    lines = []
    if filters.q:
        lines.append(_("Case studies that mention “%(words)s”", words=filters.q))
    topics = filters.filtering_topics
    if topics:
        lines.append(_("Topic: %(topics)s", topics=any_of([topic.name for topic in topics])))
    if filters.outcome:
        lines.append(_("Outcome: %(outcome)s", outcome=filters.outcome.label))
    council = filters.filtering_council
    if council is not None:
        lines.append(_("Council: %(council)s", council=council.name))
    if filters.nation:
        lines.append(_("Nation: %(nation)s", nation=filters.nation.label))
    if filters.council_type:
        lines.append(_("Type of council: %(type)s", type=filters.council_type.label))
    if filters.languages:
        lines.append(
            _(
                "Written in: %(languages)s",
                languages=any_of([language_name(code) for code in filters.languages]),
            )
        )
    return lines or [_("All case studies: every newly published case study")]


def default_name(filters: BoardFilters) -> str:
    """The name a saved search starts with: what the board's title says of the same filters."""
    described = filters_described(filters)
    if filters.fixed_topic:
        described.insert(0, filters.fixed_topic.name)
    if filters.fixed_council:
        described.insert(0, filters.fixed_council.name)
    name = ", ".join(described) or _("All case studies")
    return name if len(name) <= 120 else name[:119] + "…"


def search_link(filters: BoardFilters) -> str | None:
    """The address of the page that saves ``filters`` as a search, for the board's results.
    It depends on the filters alone (it sits in the board's cached block). None on a topic or
    council page with no other filter: the page's own "Follow" button does that."""
    own_page = filters.fixed_topic is not None or filters.fixed_council is not None
    if own_page and not (
        filters.q
        or filters.outcome
        or filters.topics
        or filters.council
        or filters.nation
        or filters.council_type
    ):
        return None
    query = canonical_query(filters)
    if filters.council_error:
        # The council text chose no council: carried as typed, so that the page says so rather
        # than offering to save a search of every council.
        query = "&".join(
            part for part in (query, urlencode({"council": filters.council_text})) if part
        )
    address = url_for("follows.save_search")
    return f"{address}?{query}" if query else address
