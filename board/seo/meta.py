"""What a page says about itself to search engines and link previews: its description, its
canonical address, and for a published public study its Open Graph and Twitter card tags.

Only a study that is published and public is described: one that a visitor may not read is a
404 to them (and to every link-preview bot, which never signs in), and a member who opens it
gets the site's general description, so nothing of it can be passed on by a preview.
Absolute addresses are on PUBLIC_URL, never the request's host (board/urls.py).
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from board.licence import LICENCE_NAME, LICENCE_URL
from board.models import CaseStudy, Status, Visibility
from board.seo import bp
from board.urls import public_url, public_url_for

# Pages with one address and no parameters, the same for everyone: their canonical address is
# their own. (Listings and studies say theirs in their templates.)
PLAIN_PAGES = frozenset({"core.accessibility", "core.privacy", "core.cookies", "core.contact"})
# Search engines show about this much of a description; previews a little more.
DESCRIPTION_LENGTH = 160
PREVIEW_LENGTH = 300


def shortened(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """``text`` on one line, cut at a word and ending with "…" when longer than ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


def is_open(study) -> bool:
    """May anyone read it, without signing in: published and public."""
    return (
        isinstance(study, CaseStudy)
        and study.status is Status.PUBLISHED
        and study.visibility is Visibility.PUBLIC
    )


def study_preview(study: CaseStudy, limit: int = PREVIEW_LENGTH) -> str:
    """The summary, then the outcome and the council: what a pasted link should say."""
    after = " " + _(
        "Outcome: %(outcome)s. Shared by %(council)s.",
        outcome=study.outcome.label,
        council=study.council.name,
    )
    return (shortened(study.summary, max(limit - len(after), 40)) + after).strip()


def plain_page_address() -> str | None:
    """The canonical address of a plain page (PLAIN_PAGES), on PUBLIC_URL; None on others."""
    if request.endpoint not in PLAIN_PAGES:
        return None
    return public_url_for(request.endpoint)


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(
        licence_name=LICENCE_NAME,
        licence_url=LICENCE_URL,
        public_url=public_url,
        is_open_study=is_open,
        study_preview=study_preview,
        plain_page_address=plain_page_address,
    )


@bp.app_template_filter("shortened")
def _shortened(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    return shortened(text, limit)
