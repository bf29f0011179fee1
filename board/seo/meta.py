"""What a page says about itself to search engines and link previews: its description, its
canonical address, and for a published public study its Open Graph and Twitter card tags.

Only a study that is published and public is described: one that a visitor may not read is a
404 to them (and to every link-preview bot, which never signs in), and a member who opens it
gets the site's general description, so nothing of it can be passed on by a preview.
Absolute addresses are on PUBLIC_URL, never the request's host (board/urls.py).

A study's preview and preview tags are the same for everyone who may read it, so each is worked
out once per process and kept under everything it shows (the interface's language among it): an
edit, a new outcome, a renamed council or topic, a language switch is a new key, worked out
afresh; nothing needs invalidating. The stores are bounded: full, they are emptied and filled
again. tests/test_seo.py holds the kept ones to what the template draws.
"""

from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext as _
from markupsafe import Markup

from board.i18n import current_language
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
# Entries kept per process in each store (a few hundred bytes each).
MAX_KEPT = 4096


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


def _kept(name: str, key: tuple, work):
    store = current_app.extensions.setdefault(name, {})
    value = store.get(key)
    if value is None:
        value = work()
        if len(store) >= MAX_KEPT:
            store.clear()
        store[key] = value
    return value


def study_preview(study: CaseStudy, limit: int = PREVIEW_LENGTH) -> str:
    """The summary, then the outcome and the council: what a pasted link should say."""
    council = study.council.name
    return _kept(
        "seo_study_previews",
        (current_language(), study.summary, study.outcome, council, limit),
        lambda: _preview(study.summary, study.outcome, council, limit),
    )


def _preview(summary: str, outcome, council: str, limit: int) -> str:
    after = " " + _(
        "Outcome: %(outcome)s. Shared by %(council)s.", outcome=outcome.label, council=council
    )
    return (shortened(summary, max(limit - len(after), 40)) + after).strip()


def study_meta_key(study: CaseStudy) -> tuple:
    """Everything case_studies/_meta.html shows of ``study``: its address (id, slug; the
    application's root), title, summary, outcome, council's name, language, dates and topics'
    names, in the interface's language."""
    return (
        current_language(),
        request.script_root,
        study.id,
        study.slug,
        study.title,
        study.summary,
        study.outcome,
        study.council.name,
        study.language,
        study.published_at,
        study.updated_at,
        tuple(topic.name for topic in study.topics),
    )


def study_meta(study: CaseStudy) -> Markup:
    """case_studies/_meta.html for ``study``: the canonical address and preview tags of a study
    anyone may read."""
    template = "case_studies/_meta.html"
    return _kept(
        "seo_study_meta",
        study_meta_key(study),
        lambda: Markup(current_app.jinja_env.get_template(template).render(study=study)),  # noqa: S704
    )


def forget_kept() -> None:
    """Empty this application's stores (tests use it)."""
    for name in ("seo_study_previews", "seo_study_meta"):
        current_app.extensions.pop(name, None)


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
        study_meta=study_meta,
        plain_page_address=plain_page_address,
    )


@bp.app_template_filter("shortened")
def _shortened(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    return shortened(text, limit)
