"""/robots.txt, /sitemap.xml and its parts. Every address in them is on PUBLIC_URL, never the
request's host. Public and cacheable like a visitor's page (board/http_cache.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.sax.saxutils import escape

from flask import Response, abort, url_for

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


@bp.get("/sitemap.xml")
def sitemap_index():
    parts = [(public_url_for("seo.pages"), sitemaps.newest_change())]
    parts += [
        (public_url_for("seo.studies", number=number), updated)
        for number, updated in sitemaps.study_parts()
    ]
    body = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n']
    for location, updated in parts:
        modified = f"<lastmod>{w3c_date(updated)}</lastmod>" if updated else ""
        body.append(f"<sitemap><loc>{escape(location)}</loc>{modified}</sitemap>\n")
    body.append("</sitemapindex>\n")
    return Response("".join(body), content_type=XML)


@bp.get("/sitemaps/pages.xml")
def pages():
    body = [f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n']
    body.append(_url(public_url_for("browse.board"), sitemaps.newest_change()))
    for topic, updated in sitemaps.topics_with_dates():
        body.append(_url(public_url_for("browse.topic", slug=topic.slug), updated))
    for slug, updated in sitemaps.councils_with_dates():
        body.append(_url(public_url_for("browse.council", slug=slug), updated))
    body.append("</urlset>\n")
    return Response("".join(body), content_type=XML)


@bp.get(f"/sitemaps/studies-<int(max={MAX_PARTS}):number>.xml")
def studies(number: int):
    """Up to 50,000 studies: built as one string from plain rows (about 130 bytes each), so
    that the ETag and the 304 work as on every public page."""
    prefix = public_url(url_for("case_studies.show", study_id=1, slug="s").removesuffix("/1/s"))
    body = [f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n']
    for study_id, title, updated in sitemaps.studies_in_part(number):
        body.append(_url(f"{prefix}/{study_id}/{title_slug(title)}", updated))
    if len(body) == 1:
        abort(404)  # a block of ids with no public study is in no index
    body.append("</urlset>\n")
    return Response("".join(body), content_type=XML)
