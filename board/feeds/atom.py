"""The Atom 1.0 feed of the board's newest published public studies, for any of its filters.

One Jinja template (templates/feeds/latest.atom.xml) writes the XML rather than a library: an
Atom feed is twenty lines of markup, autoescaping (on for ``.xml`` templates) escapes every
value, and no dependency (feedgen needs lxml) is added for it. Whatever the filters, and whoever
asks, the studies come from the board's own filter parsing and queries (board/browse/) as a
visitor sees them: a feed address is shared, so a member's session never adds members-only
studies to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from flask import render_template, url_for
from markupsafe import escape
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from board.browse import queries
from board.browse.forms import BoardFilters, parse_filters
from board.browse.results import StudyCard, find_councils, find_studies
from board.browse.routes import PATH_SAFE
from board.browse.titles import filters_described
from board.extensions import db
from board.feeds import bp
from board.feeds.links import feed_path, filters_pairs
from board.licence import LICENCE_NAME, LICENCE_URL
from board.models import CaseStudy
from board.templating import format_month
from board.urls import public_url

# Part of each feed's key in the results cache: moved on when what is kept (Feed) changes shape.
FEED_FORMAT = 1
# How many entries a feed carries: the newest, by date of publication.
FEED_SIZE = 50
# Entry ids are tag URIs (RFC 4151) on PUBLIC_URL's host with this date; they never change.
TAG_DATE = "2025"
# What an empty feed says it was last updated: it has no entry to say when.
EMPTY_FEED_UPDATED = datetime(2025, 1, 1, tzinfo=UTC)
# Characters XML 1.0 does not allow, whatever the escaping. Forms drop control characters
# already; this keeps the feed well formed whatever reached the database another way.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Feed:
    """What the view sends: a status, a body and, for a feed, when it last changed."""

    status: int
    body: str
    updated: datetime | None = None


@dataclass(frozen=True)
class Entry:
    """A study as the feed shows it: its card, when it last changed, and its addresses."""

    card: StudyCard
    updated: datetime
    url: str
    tag: str
    council_url: str
    # Its approved updates ("what happened next") as the entry's HTML content; "" if none.
    updates_html: str = ""


def xml_text(value: str) -> str:
    return NOT_XML.sub("", value)


def atom_date(value: datetime) -> str:
    """RFC 3339 in UTC, as Atom wants it."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def problems(filters: BoardFilters) -> list[str]:
    """What in the query string the feed cannot use, as the board words it."""
    found = list(filters.ignored)
    if filters.council_error:
        found.append(filters.council_error + ".")
    return found


def build_latest(args: MultiDict) -> Feed:
    """The feed for the filters in ``args``, or a 400 saying what in them is wrong."""
    topics = db.session.scalars(queries.topics_query()).all()
    filters = parse_filters(args, topics, find_councils=find_councils)
    wrong = problems(filters)
    if wrong:
        return Feed(400, "This feed's address has a filter we cannot use: " + " ".join(wrong))
    own_path = feed_path(filters_pairs(filters))
    # The newest first, whatever the board's sort, and never past the first FEED_SIZE.
    filters.page = 1
    filters.sort = "newest"
    results = find_studies(filters, None, FEED_SIZE, topics)
    entries = _entries(results.items)
    updated = max((entry.updated for entry in entries), default=EMPTY_FEED_UPDATED)
    board_path = url_for("browse.board")
    query = urlsplit(own_path).query
    described = ", ".join(filters_described(filters))
    body = render_template(
        "feeds/latest.atom.xml",
        title=f"Case studies: {described}" if described else "Latest case studies",
        feed_url=public_url(own_path),
        board_url=public_url(board_path + (f"?{query}" if query else "")),
        entries=entries,
        updated=updated,
        licence_name=LICENCE_NAME,
        licence_url=LICENCE_URL,
        public_url=public_url,
    )
    return Feed(200, body, updated)


def _entries(cards: list[StudyCard]) -> list[Entry]:
    """The cards as entries, with when each was last changed. The dates are read again with a
    visitor's conditions: a study that is not published and public is left out, even if it
    were ever handed over."""
    if not cards:
        return []
    changed = {
        row.id: row
        for row in db.session.execute(
            select(CaseStudy.id, CaseStudy.updated_at, CaseStudy.last_update_at).where(
                CaseStudy.id.in_([card.id for card in cards]),
                *queries.visible_conditions(None),
            )
        )
    }
    updates = _updates_html(list(changed))
    host = urlsplit(public_url("/")).hostname
    studies = public_url(url_for("case_studies.show", study_id=1, slug="s").removesuffix("/1/s"))
    councils = public_url(url_for("browse.council", slug="s").removesuffix("/s"))
    return [
        Entry(
            card=card,
            # A study republished after an edit was changed no earlier than it was published;
            # one with an update changed when the latest was approved.
            updated=max(
                changed[card.id].updated_at,
                card.published_at,
                changed[card.id].last_update_at or card.published_at,
            ),
            url=f"{studies}/{card.id}/{card.slug}",
            tag=f"tag:{host},{TAG_DATE}:studies/{card.id}",
            council_url=f"{councils}/{quote(card.council.slug, safe=PATH_SAFE)}",
            updates_html=updates.get(card.id, ""),
        )
        for card in cards
        if card.id in changed
    ]


def _updates_html(study_ids: list[int]) -> dict[int, str]:
    """Each study's approved updates, oldest first, as HTML for the entry's content: the month,
    the change of outcome if any, and the sanitised body. One query for the whole feed."""
    from board.updates.queries import approved_updates_query

    if not study_ids:
        return {}
    parts: dict[int, list[str]] = {}
    for update in db.session.scalars(approved_updates_query(study_ids)):
        html = [f"<h3>{escape(format_month(update.happened_on))}</h3>"]
        if update.new_outcome is not None:
            before = update.previous_outcome.label if update.previous_outcome else "not given"
            html.append(
                f"<p><strong>Outcome changed from {escape(before)} to "
                f"{escape(update.new_outcome.label)}</strong></p>"
            )
        html.append(str(update.rendered("body")))
        parts.setdefault(update.study_id, ["<h2>What happened next</h2>"]).extend(html)
    return {study_id: "\n".join(html) for study_id, html in parts.items()}


@bp.app_template_filter("xml_text")
def _xml_text_filter(value: str) -> str:
    return xml_text(value)


@bp.app_template_filter("atom_date")
def _atom_date_filter(value: datetime) -> str:
    return atom_date(value)
