"""The address of the feed that follows a listing: the board's filters as the feed takes them.

A feed has no pages and is always newest first, so ``page`` and ``sort`` are left out; a topic
page's or a council page's own topic or council (part of its path) becomes ``topic`` or
``council``. The same filters always make the same address, in the board's order.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import url_for

from board.browse.forms import BoardFilters
from board.feeds import bp
from board.models import Council, Topic

# The board's order for its query string (BoardFilters.to_args); what a feed leaves out.
ORDER = ("q", "topic", "outcome", "council", "nation", "council_type")
LEFT_OUT = {"page", "sort"}
# As the board's links (board/browse/routes.py): what werkzeug leaves unescaped.
QUERY_SAFE = "!$'()*,/:;?@"


def feed_path(
    pairs: list[tuple[str, str]], topic: Topic | None = None, council: Council | None = None
) -> str:
    """The feed's path and query string for the listing filtered by ``pairs`` (name, value),
    on ``topic``'s or ``council``'s page when given."""
    pairs = [(name, value) for name, value in pairs if name not in LEFT_OUT]
    if topic is not None:
        pairs.append(("topic", topic.slug))
    if council is not None:
        pairs.append(("council", council.slug))
    # Stable: repeated topics keep their order.
    pairs.sort(key=lambda pair: ORDER.index(pair[0]) if pair[0] in ORDER else len(ORDER))
    path = url_for("feeds.latest")
    return path + "?" + urlencode(pairs, safe=QUERY_SAFE) if pairs else path


def filters_pairs(filters: BoardFilters) -> list[tuple[str, str]]:
    """The filters' query string (BoardFilters.to_args) as (name, value) pairs."""
    return [
        (name, item)
        for name, value in filters.to_args(page=1).items()
        for item in (value if isinstance(value, list) else [value])
    ]


@bp.app_template_global()
def feed_url_for_filters(filters: BoardFilters) -> str | None:
    """The feed of a listing's results (the link beside them), or None when the filters name no
    council the feed could use (the council text matched several or none)."""
    if filters.council_error:
        return None
    return feed_path(filters_pairs(filters), filters.fixed_topic, filters.fixed_council)


@bp.app_template_global()
def feed_url_for_listing(
    listing_url: str, topic: Topic | None = None, council: Council | None = None
) -> str:
    """The feed of a listing whose tidy address (path and query string) is ``listing_url``:
    for the page's <head>, which a cached listing renders without its filters."""
    return feed_path(parse_qsl(urlsplit(listing_url).query), topic, council)
