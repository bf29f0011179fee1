"""The study page's comments, each drawn once for what it shows, and reused.

A comment's opening (``comment_head`` in templates/macros/comments.html: its author, council,
date, "edited", the moderator's note, its text, and the actions offered) is a function of its
arguments and of the interface's language. So it is kept under a key made of every one of
them: the comment's id, whether it is deleted, hidden and readable by this viewer, its author's
name, the council's name, when it was written, whether it was edited, the moderator's reason,
the language it is written in, its HTML, which actions are offered, the page a hide or restore
comes back to, the application's root (its links) and the interface's language. An edit, a
hiding, a renamed author or council is a new key, drawn afresh; nothing needs invalidating.

What depends on who is looking is never decided here, only looked up: whether the viewer may
read a hidden comment (permissions.can_see_comment_text) and which actions they are offered
(reply, edit within its window, delete, report, hide or restore: the rules in
board/permissions.py, asked on every request, so the edit window closes on time) are worked
out for each request and are part of the key. Two viewers share an entry only when everything
the entry shows is the same for both: a visitor's key says "not readable" for a hidden comment,
so no visitor can be handed the text a moderator sees.

The rest of each comment (the reply slot, its replies, the closing tag) is written here as the
``comment_item`` macro writes it; tests/comments/test_drawn.py holds the two to the same
output. The store is per application (so per process) and bounded: when it holds MAX_DRAWN
entries it is emptied and filled again.

A visitor (anyone not signed in) is offered no action and reads no hidden comment, so every
visitor sees a discussion the same way: their threads are kept whole, under the values each
comment was read from (board/comments/queries.py ShownComment.row: its text, its state, its
author's and council's names), how they are grouped into threads, the application's root and
the interface's language. Any change to a comment is a new key. So is their whole discussion
(comments/_discussion.html: visitors_discussion), under those threads and the rest it shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app, render_template_string, request
from flask_login import current_user
from markupsafe import Markup

from board import permissions
from board.i18n import current_language

if TYPE_CHECKING:
    from board.comments.queries import Thread

# About 1 KB an entry: a few megabytes a worker.
MAX_DRAWN = 4096
# A visitor's whole discussion, about 1 KB a comment: a few megabytes a worker.
MAX_VISITORS_DRAWN = 256


def drawn_threads(
    threads: list[Thread], viewer, can_discuss: bool, take_part: bool, moderate: bool
) -> list[Markup]:
    """Each thread's markup, as ``comment_item`` would draw it for ``viewer``."""
    visitor = not (permissions.is_signed_in(viewer) or can_discuss or take_part or moderate)
    key = _visitors_key(threads) if visitor else None
    if key is not None:
        store = current_app.extensions.setdefault("drawn_visitors_threads", {})
        drawn = store.get(key)
        if drawn is None:
            drawn = tuple(_draw(threads, viewer, can_discuss, take_part, moderate))
            if len(store) >= MAX_VISITORS_DRAWN:
                store.clear()
            store[key] = drawn
        return list(drawn)
    return _draw(threads, viewer, can_discuss, take_part, moderate)


def _draw(threads, viewer, can_discuss, take_part, moderate) -> list[Markup]:
    drawer = _Drawer(viewer, can_discuss, take_part, moderate)
    return [Markup(drawer.item(thread.comment, thread.replies)) for thread in threads]  # noqa: S704


def _visitors_key(threads: list[Thread]) -> tuple | None:
    """Everything a visitor is shown of ``threads``; None unless each comment was read as a
    ShownComment (which keeps its values)."""
    try:
        grouped = tuple(
            (thread.comment.row, tuple(reply.row for reply in thread.replies)) for thread in threads
        )
    except AttributeError:
        return None
    return (current_language(), request.script_root, grouped)


def visitors_discussion(discussion) -> Markup | None:
    """comments/_discussion.html as a visitor sees ``discussion`` (board/comments/discussion.py),
    kept under all it shows a visitor: the threads (as drawn_threads keeps them), the study's
    address, state, useful count and audience, the councils that tried it too with their
    write-ups' addresses and titles, the number of comments, the page a "sign in" link comes
    back to, the application's root and the interface's language. None when it is not to be
    kept: for someone signed in, with a comment form, or comments not read as ShownComment."""
    if permissions.is_signed_in(current_user) or discussion.comment_form is not None:
        return None
    if discussion.can_discuss or discussion.can_react:
        return None
    threads = _visitors_key(discussion.threads)
    if threads is None:
        return None
    study = discussion.study
    key = (
        threads,
        request.path,
        study.id,
        study.is_published,
        study.useful_count,
        study.visibility,
        discussion.count,
        tuple(
            (tried.council.name, tuple((own.id, own.slug, own.title) for own in tried.own_studies))
            for tried in discussion.councils_tried
        ),
    )
    store = current_app.extensions.setdefault("drawn_visitors_discussions", {})
    html = store.get(key)
    if html is None:
        html = Markup(  # noqa: S704  (drawn by a template)
            render_template_string(
                '{% include "comments/_discussion.html" %}', study=study, discussion=discussion
            )
        )
        if len(store) >= MAX_VISITORS_DRAWN:
            store.clear()
        store[key] = html
    return html


def forget_drawn() -> None:
    """Empty this application's stores (tests use it)."""
    for name in ("drawn_comments", "drawn_visitors_threads", "drawn_visitors_discussions"):
        current_app.extensions.pop(name, None)


class _Drawer:
    def __init__(self, viewer, can_discuss: bool, take_part: bool, moderate: bool):
        self.viewer = viewer
        self.can_discuss = can_discuss
        self.take_part = take_part
        self.moderate = moderate
        self.store: dict[tuple, Markup] = current_app.extensions.setdefault("drawn_comments", {})
        # What every comment's key shares: the interface's language and the links' root.
        self.shared = (current_language(), request.script_root)
        self.path = request.path

    def item(self, comment, replies) -> str:
        """``comment_item(comment, replies, ...)``: "" for a comment the viewer may not read
        that has no replies under it."""
        visible = permissions.can_see_comment_text(comment, self.viewer)
        if not (visible or replies):
            return ""
        head = self.head(comment, visible)
        if comment.parent_id is not None:
            return f"{head}</li>\n"
        parts = [
            head,
            f'    <div class="app-reply-slot" id="reply-slot-{comment.id}"></div>\n',
            '    <ol class="app-comment-list app-comment-list--replies"',
            f' id="replies-{comment.id}">\n',
        ]
        for reply in replies or []:
            parts.append(f"        {self.item(reply, None)}\n")
        parts.append("    </ol>\n</li>\n")
        return "".join(parts)

    def head(self, comment, visible: bool) -> Markup:
        hidden = comment.hidden_at is not None
        deleted = comment.deleted_at is not None
        if visible and not deleted:
            viewer = self.viewer
            can_moderate = self.moderate and permissions.can_moderate_comment(comment, viewer)
            shown = (
                comment.parent_id is None and self.can_discuss and not hidden,
                self.take_part and permissions.can_edit_comment(comment, viewer),
                self.take_part and permissions.can_delete_comment(comment, viewer),
                self.can_discuss and comment.author_id != viewer.id,
                can_moderate,
                self.path if can_moderate else None,
            )
            author_name, council_name = comment.author_name, comment.council_name
            key = (
                *self.shared,
                comment.id,
                hidden,
                deleted,
                visible,
                author_name,
                council_name,
                comment.created_at,
                comment.edited_at is not None,
                comment.hidden_reason if hidden else None,
                comment.language,
                str(comment.rendered("body")),
                shown,
            )
        else:
            author_name = council_name = None
            shown = ()
            key = (*self.shared, comment.id, hidden, deleted, visible)
        html = self.store.get(key)
        if html is None:
            macro = current_app.jinja_env.get_template("macros/comments.html").module.comment_head
            html = Markup(macro(comment, author_name, council_name, visible, *shown))  # noqa: S704
            if len(self.store) >= MAX_DRAWN:
                self.store.clear()
            self.store[key] = html
        return html
