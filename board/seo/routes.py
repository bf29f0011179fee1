"""/robots.txt, /sitemap.xml and its parts. Every address in them is on PUBLIC_URL, never the
request's host. Public and cacheable like a visitor's page (board/http_cache.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from flask import Response, abort, url_for

from board.browse import cache
from board.converters import MAX_ID
from board.models.case_study import title_slug
from board.seo import bp, sitemaps
from board.urls import public_url, public_url_for

XML = "application/xml; charset=utf-8"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_PARTS = MAX_ID // sitemaps.STUDIES_PER_PART + 1

# Kept out of search engines: what is someone's own, what needs an account, and the board's
# filtered variants (any address with a query string: the same studies in another order or
# subset, without end). Topic and council pages have no query string, so they stay in, and
# every study is reachable from the sitemap.
DISALLOWED = (
    "/account",
    "/admin",
    "/auth",
    "/moderation",
    "/notifications",
    "/studies/new",
    "/studies/mine",
    "/*?",
)


def w3c_date(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _url(location: str, lastmod: datetime | None) -> str:
    modified = f"<lastmod>{w3c_date(lastmod)}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(location)}</loc>{modified}</url>\n"


@bp.get("/robots.txt")
def robots():
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    lines += ["", f"Sitemap: {public_url_for('seo.sitemap_index')}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


def _cached(build: Callable[[], str | None]) -> Response:
    """The body ``build`` makes (None: a 404), kept in the board's results cache under its
    change counter and the audience "public", as a feed is: a sitemap reads every public study's
    date (about half a second at 100,000 studies), and changes only when the board does."""
    key = cache.entry_key(None, "sitemap")
    body = cache.get(key)
    if body is None:
        body = build() or ""
        cache.put(key, body)
    if not body:
        abort(404)
    return Response(body, content_type=XML)


def _urlset(urls: list[str]) -> str:
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n'
    return "".join([head, *urls, "</urlset>\n"])


@bp.get("/sitemap.xml")
def sitemap_index():
    return _cached(_build_index)


def _build_index() -> str:
    parts = sitemaps.study_parts()
    # The pages part changes with any public study: its newest change is the newest of all.
    newest = max((updated for _, updated in parts), default=None)
    entries = [(public_url_for("seo.pages"), newest)]
    entries += [
        (public_url_for("seo.studies", number=number), updated) for number, updated in parts
    ]
    body = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n']
    for location, updated in entries:
        modified = f"<lastmod>{w3c_date(updated)}</lastmod>" if updated else ""
        body.append(f"<sitemap><loc>{escape(location)}</loc>{modified}</sitemap>\n")
    body.append("</sitemapindex>\n")
    return "".join(body)


@bp.get("/sitemaps/pages.xml")
def pages():
    return _cached(_build_pages)


def _build_pages() -> str:
    councils = sitemaps.councils_with_dates()
    # Every public study has a council: the board's newest change is its councils' newest.
    newest = max((updated for _, updated in councils), default=None)
    urls = [_url(public_url_for("browse.board"), newest)]
    for topic, updated in sitemaps.topics_with_dates():
        urls.append(_url(public_url_for("browse.topic", slug=topic.slug), updated))
    for slug, updated in councils:
        urls.append(_url(public_url_for("browse.council", slug=slug), updated))
    return _urlset(urls)


@bp.get(f"/sitemaps/studies-<int(max={MAX_PARTS}):number>.xml")
def studies(number: int):
    return _cached(lambda: _build_studies(number))


def _build_studies(number: int) -> str | None:
    """Up to 50,000 studies, built as one string from plain rows (about 130 bytes each), so that
    the ETag and the 304 work as on every public page; None when the block has no public study
    (it is in no index)."""
    prefix = public_url(url_for("case_studies.show", study_id=1, slug="s").removesuffix("/1/s"))
    urls = [
        _url(f"{prefix}/{study_id}/{title_slug(title)}", updated)
        for study_id, title, updated in sitemaps.studies_in_part(number)
    ]
    return _urlset(urls) if urls else None
