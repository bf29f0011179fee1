"""The board, topic pages and council pages: one listing with filters, three URLs."""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType
from urllib.parse import quote, urlencode, urlsplit

from flask import abort, current_app, g, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block
from markupsafe import Markup

from board.browse import bp, cache, cards, queries
from board.browse.forms import (
    SORTS,
    STUDY_LANGUAGES,
    BoardFilters,
    language_name,
    parse_filters,
)
from board.browse.results import ResultsPage, StudyCard, find_councils, find_studies
from board.browse.titles import listing_title
from board.extensions import db
from board.htmx import is_htmx_request
from board.i18n import current_language
from board.models import Council, CouncilType, Nation, Outcome, Topic

# The ids of the filter form and of its council field, which sends its own request (on
# "change"); links that change filters swap the whole "board" block instead.
FILTER_FORM_ID = "filters"
COUNCIL_FIELD_ID = "council"
FORM_TRIGGERS = (FILTER_FORM_ID, COUNCIL_FIELD_ID)


@lru_cache(maxsize=4)
def filter_options(language: str) -> dict[str, list[tuple[str, str]]]:
    """The options of the form's lists and tick boxes, (value, text), any "any" first, in the
    interface's language
    (``language``, which keys the cache): made once per language, not on each page."""
    return {
        "outcome": [("", _("Any outcome"))]
        + [
            (
                outcome.value,
                _("%(outcome)s (fail fast)", outcome=outcome.label)
                if outcome is Outcome.DID_NOT_WORK
                else outcome.label,
            )
            for outcome in Outcome
        ],
        "nation": [("", _("Any nation"))] + [(nation.value, nation.label) for nation in Nation],
        "council_type": [("", _("Any type"))] + [(kind.value, kind.label) for kind in CouncilType],
        "language": [(code, language_name(code)) for code in STUDY_LANGUAGES],
        "sort": [(value, str(text)) for value, text in SORTS.items()],
    }


# Characters werkzeug leaves as they are in a query string and in a path segment, so that the
# links built here are the ones url_for builds.
QUERY_SAFE = "!$'()*,/:;?@"
PATH_SAFE = "!$&'()*+,:;=@"


class ListingLinks:
    """The listing's links (about 80 a page: cards, filters, pages), each built from a prefix
    that url_for made once: url_for for every link was a tenth of a page's time."""

    def __init__(self, endpoint: str, view_args: dict, topics: list[Topic]) -> None:
        self.listing, self.studies, self.councils, self.topics, self.studies_csv_prefix = _prefixes(
            endpoint, view_args, topics
        )
        self.language = current_language()
        # Worked out once for the listing's cards (board/browse/cards.py), not for each card.
        self.card_context = cards.card_context(self.language, self, topics)

    def board(self, args: dict) -> str:
        """This listing with the query string ``args`` (None values left out, lists repeated),
        in url_for's order and encoding."""
        return _with_query(self.listing, args)

    def studies_csv(self, filters: BoardFilters) -> str:
        """The CSV of what the listing shows (board/api: studies_csv_url)."""
        return _with_query(self.studies_csv_prefix, filters.studies_csv_args())

    def pagination(self, results: ResultsPage, args: dict, target: str) -> Markup:
        """The pagination of ``results`` (macros/listing.html), its links keeping ``args``:
        drawn once for what it shows, as the cards are, and reused."""
        key = (
            self.language,
            self.listing,
            tuple(
                (name, tuple(value) if isinstance(value, list) else value)
                for name, value in args.items()
            ),
            results.page,
            results.pages,
            results.has_next,
            target,
        )
        html = _paginations.get(key)
        if html is None:
            if len(_paginations) >= MAX_PAGINATIONS:
                _paginations.clear()
            macro = cards.listing_macros().pagination
            html = _paginations[key] = Markup(macro(results, self.board, args, target=target))  # noqa: S704  (drawn by a template)
        return html

    def study(self, card: StudyCard) -> str:
        return f"{self.studies}/{card.id}/{card.slug}"

    def council(self, slug: str) -> str:
        return f"{self.councils}/{_path_segment(slug)}"

    def card(self, card: StudyCard) -> Markup:
        return cards.card_html(card, self)

    def cards(self, items: list[StudyCard]) -> Markup:
        """The cards of ``items``, one after another, each indented as in the list that holds
        them: joined here rather than by a loop in the template, which cost more than
        finding the cards."""
        if not items:
            return Markup()
        # Joined as plain text: adding text to markup escapes the text first.
        joined = "  ".join([cards.card_html(card, self) for card in items])
        return Markup("  " + joined)  # noqa: S704  (drawn by a template)


# Drawn paginations, by everything they show; at most MAX_PAGINATIONS, then emptied and filled
# again.
MAX_PAGINATIONS = 1024
_paginations: dict[tuple, Markup] = {}


def _with_query(prefix: str, args: dict) -> str:
    """``prefix`` with the query string ``args`` (None values left out, lists repeated), in
    url_for's order and encoding."""
    items = [
        (name, item)
        for name, value in args.items()
        for item in (value if isinstance(value, list | tuple) else [value])
        if item is not None
    ]
    if not items:
        return prefix
    return prefix + "?" + urlencode(items, safe=QUERY_SAFE)


# The listing's prefixes, made by url_for once for each listing (the board, a topic's page or a
# council's) and kept in the app (its URL map makes them) under everything url_for reads to make
# them: the path the app is mounted at, the endpoint and its arguments, and the topics' slugs.
# At most MAX_PREFIXES listings are kept; then the store is emptied and filled again.
MAX_PREFIXES = 1024


def _prefixes(endpoint: str, view_args: dict, topics: list[Topic]) -> tuple:
    store = current_app.extensions.setdefault("board_listing_prefixes", {})
    key = (
        request.script_root,
        endpoint,
        tuple(sorted(view_args.items())),
        tuple((topic.id, topic.slug) for topic in topics),
    )
    prefixes = store.get(key)
    if prefixes is None:
        if len(store) >= MAX_PREFIXES:
            store.clear()
        prefixes = store[key] = (
            url_for(endpoint, **view_args),
            url_for("case_studies.show", study_id=1, slug="s").removesuffix("/1/s"),
            url_for("browse.council", slug="s").removesuffix("/s"),
            MappingProxyType(
                {topic.id: url_for("browse.topic", slug=topic.slug) for topic in topics}
            ),
            url_for("api.studies_csv"),
        )
    return prefixes


# Twenty cards a page ask for the same few hundred councils' URL parts again and again: each
# is worked out once (a bounded cache, so memory stays flat).
@lru_cache(maxsize=4096)
def _path_segment(slug: str) -> str:
    return quote(slug, safe=PATH_SAFE)


def all_topics() -> list[Topic]:
    """Every topic, in order, kept for the board's change counter this listing read first
    (board/browse/cache.py topics_at)."""
    return list(cache.topics_at(g.get("board_version")))


@bp.get("/")
def board():
    return _listing("browse.board")


@bp.get("/topics/<slug>")
def topic(slug: str):
    # The listing loads every topic (there are seven) for its filters; the page's is one of them.
    topics = all_topics()
    topic = next((topic for topic in topics if topic.slug == slug), None)
    if topic is None:
        abort(404)
    return _listing("browse.topic", topic=topic, topics=topics)


@bp.get("/councils/<slug>")
def council(slug: str):
    council = db.first_or_404(queries.council_by_slug(slug))
    return _listing("browse.council", council=council)


def _listing(
    endpoint: str,
    topic: Topic | None = None,
    council: Council | None = None,
    topics: list[Topic] | None = None,
):
    """The listing's filters and results: the "board" block (form and results) for a full page
    or a filter link, the "results" block when the form changed. Blocks come from the results
    cache when nothing they show has changed (board/browse/cache.py)."""
    htmx = is_htmx_request()
    # Filter links (chips, "clear all") target the whole board, so the form is redrawn too.
    block = "board" if not htmx or request.headers.get("HX-Target") == "board" else "results"
    # After a link swaps the results, focus their heading (the link itself is gone); a change
    # in the form (the council field sends its own) keeps focus where it is.
    focus_results = htmx and request.headers.get("HX-Trigger") not in FORM_TRIGGERS
    key = cache.entry_key(current_user, block, htmx, focus_results)
    entry = cache.get(key)
    if entry is None:
        entry = _render_listing(endpoint, block, topic, council, topics, htmx, focus_results)
        cache.put(key, entry)
    html, canonical, title = entry

    if htmx:
        response = make_response(html)
        response.headers["HX-Push-Url"] = _url_to_push(canonical)
    else:
        response = make_response(
            render_template(
                "browse/board.html",
                board_html=Markup(html),  # noqa: S704 (rendered by our own template, escaped)
                page_title=title,
                topic=topic,
                council=council,
                listing_url=canonical,
            )
        )
    # What htmx asked for (and from where) chooses the block, its focus and its announcement.
    response.vary.update(("HX-Request", "HX-Target", "HX-Trigger"))
    return response


def _render_listing(endpoint, block, topic, council, topics, htmx, focus_results):
    """Find the results and render ``block``; return its HTML, the filters' tidy URL and the
    page's title (which the whole page shows in its <title>, and an htmx block carries in a
    <title> of its own so that htmx updates the document's). After a change in the form, the
    results block also carries the council field and the error summary, out of band: the
    field then shows what its text found (the council's name, or why none)."""
    view_args = request.view_args or {}
    if topics is None:
        topics = all_topics()
    filters = parse_filters(
        request.args,
        topics,
        find_councils=find_councils,
        fixed_topic=topic,
        fixed_council=council,
    )
    results = find_studies(filters, current_user, current_app.config["PER_PAGE"], topics)
    links = ListingLinks(endpoint, view_args, topics)
    board_url = links.board
    council_field = htmx and block == "results" and not focus_results and council is None

    canonical = board_url(filters.to_args())
    place = topic.name if topic else council.name if council else _("Case studies")
    title = listing_title(filters, results, place)
    html = render_block(
        "browse/board.html",
        block,
        endpoint=endpoint,
        view_args=view_args,
        filters=filters,
        results=results,
        topics=topics,
        links=links,
        topic=topic,
        council=council,
        options=filter_options(links.language),
        listing=cards.listing_macros(),
        board_url=board_url,
        clear_url=board_url({}),
        htmx=htmx,
        swapped_block=block,
        page_title=title,
        focus_results=focus_results,
        council_field=council_field,
    )
    return html, canonical, title


def _url_to_push(canonical: str) -> str:
    """The address bar's new URL: the tidy form of the filters (no empty fields), or "false"
    when it is already showing it (a search box losing focus re-sends the same filters)."""
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    shown = current.path + (f"?{current.query}" if current.query else "")
    return "false" if shown == canonical else canonical
