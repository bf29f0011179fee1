"""Turning what users write into safe HTML. The only module that imports bleach.

Users write Markdown; the source is stored, and only the sanitised HTML made here reaches a page.
That HTML is made when the text is saved and stored beside it (board/rendering.py), marked
with ``SANITIZER_VERSION``: a fingerprint of everything below that decides the output, so a row
made under another allow-list or renderer is never served as it is (see ``SANITIZER_VERSION``).
"""

from __future__ import annotations

import hashlib
import json
from functools import partial

import bleach
import markdown_it
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "th": ["align"], "td": ["align"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# "html": False makes markdown-it escape raw HTML rather than pass it through; bleach is the
# second wall, in case a Markdown construct produces markup we did not expect.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


# Bump when our own code below changes what comes out (heading demotion, rel, linkify's
# settings). Everything else that decides the output is read by ``_fingerprint`` itself.
RENDERER_REVISION = 2


def _nofollow_noopener(attrs, new=False):
    if (None, "href") in attrs:
        attrs[(None, "rel")] = "nofollow noopener"
    return attrs


# Cleaning and linkifying in one pass over one parse: linkify as a second bleach call parsed the
# cleaned HTML again (a third of the time) and escaped the text of code spans a second time, so
# `<b>` in backticks read "&lt;b&gt;". The filter runs after the sanitiser, and also gives the
# links Markdown made the same rel.
_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    filters=[partial(LinkifyFilter, callbacks=[_nofollow_noopener], skip_tags={"pre", "code"})],
)


def _demote_headings(html: str) -> str:
    # Pages own h1 and h2; section text starts at h3 so the outline stays correct.
    for level in (2, 1):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return html


def render_markdown(source: str | None) -> Markup:
    """Markdown to sanitised HTML, with every link marked nofollow noopener."""
    if not source:
        return Markup("")
    html = _demote_headings(_markdown.render(source))
    return Markup(_cleaner.clean(html))  # noqa: S704  (sanitised by bleach just here)


def _fingerprint() -> str:
    """A short hash of everything that decides what ``render_markdown`` makes: the allow-lists,
    the versions of bleach and markdown-it-py, the Markdown rules switched on and our own
    ``RENDERER_REVISION``. Computed, not written by hand, so that nobody can change the
    allow-list or upgrade a library and forget to mark the stored HTML as out of date."""
    decisive = {
        "tags": sorted(ALLOWED_TAGS),
        "attributes": {tag: sorted(names) for tag, names in sorted(ALLOWED_ATTRIBUTES.items())},
        "protocols": sorted(ALLOWED_PROTOCOLS),
        "bleach": bleach.__version__,
        "markdown-it-py": markdown_it.__version__,
        "markdown-rules": _markdown.get_active_rules(),
        # Plain values only: a function's repr holds its address, different in every process.
        "markdown-options": {
            key: value
            for key, value in _markdown.options.items()
            if isinstance(value, str | int | float | bool | None)
        },
        "revision": RENDERER_REVISION,
    }
    encoded = json.dumps(decisive, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:12]


# Recorded with each row's stored HTML; a row whose version differs is rendered afresh when
# shown and again, for good, by ``flask --app wsgi markdown rerender``.
SANITIZER_VERSION = _fingerprint()
