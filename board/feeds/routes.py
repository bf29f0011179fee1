"""GET /feeds/latest.atom: the board's newest published public studies, with its filters."""

from __future__ import annotations

from flask import Response, request

from board.browse import cache
from board.feeds import bp
from board.feeds.atom import FEED_FORMAT, build_latest

ATOM = "application/atom+xml; charset=utf-8"


@bp.get("/feeds/latest.atom")
def latest():
    """A visitor's view whoever asks. Kept in the board's results cache under the board's
    change counter and the audience "public" (board/browse/cache.py), like a listing; sent
    with an ETag and Last-Modified, and shareable by caches (board/http_cache.py)."""
    key = cache.entry_key(None, "atom", FEED_FORMAT)
    feed = cache.get(key)
    if feed is None:
        feed = build_latest(request.args)
        cache.put(key, feed)
    if feed.status != 200:
        return Response(feed.body, status=feed.status, mimetype="text/plain")
    response = Response(feed.body, content_type=ATOM)
    response.last_modified = feed.updated
    return response
