"""Found and shared: /robots.txt, /sitemap.xml and its parts, and the tags that describe a page
to search engines and to the link previews of Teams, Slack and social media (meta.py)."""

from flask import Blueprint

from board import http_cache

bp = Blueprint("seo", __name__)


@bp.record_once
def _open_data(state) -> None:
    """The same for everyone who asks: no session, shareable by caches (board/http_cache.py)."""
    http_cache.open_data(state.app, "/robots.txt", "/sitemap.xml", "/sitemaps/")


from board.seo import meta, routes  # noqa: E402, F401
