"""Turning what users write into safe HTML. The only module that imports bleach.

Users write Markdown; the source is stored, and only the sanitised HTML made here reaches a page.
"""

from __future__ import annotations

import bleach
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


def _nofollow_noopener(attrs, new=False):
    if (None, "href") in attrs:
        attrs[(None, "rel")] = "nofollow noopener"
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    filters=[],
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
    cleaned = _cleaner.clean(html)
    # linkify also runs the callback on links Markdown made, so every link gets the same rel.
    linked = bleach.linkify(cleaned, callbacks=[_nofollow_noopener], skip_tags={"pre", "code"})
    return Markup(linked)  # noqa: S704  (sanitised by bleach just above)
