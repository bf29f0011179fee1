"""Telling people what happened: an in-app notification and an email."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import render_template
from flask_babel import gettext as _
from markdown_it import MarkdownIt

from board.extensions import db
from board.i18n import current_language, in_language_of
from board.mail import send_email
from board.models import Notification, User
from board.urls import public_url

if TYPE_CHECKING:
    from board.models import Comment

EXCERPT_LIMIT = 300

# The same Markdown flavour as board/sanitize.py, read here only for its words: a notification
# and its email are plain text, where "*reporting*" would show its asterisks.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
# Inline tokens whose content is what a reader sees (a link's text is a "text" token inside it).
_WORDS = {"text", "code_inline"}
_BREAKS = {"softbreak", "hardbreak"}


def plain_text(markdown_source: str) -> str:
    """What a reader sees of some Markdown, as one line of plain text: no emphasis marks, link
    addresses, heading hashes or list bullets; paragraphs and lines joined by spaces."""
    words: list[str] = []
    for token in _markdown.parse(markdown_source or ""):
        if token.type == "code_block" or token.type == "fence":
            words.append(token.content)
        for child in token.children or ():
            if child.type in _WORDS:
                words.append(child.content)
            elif child.type in _BREAKS:
                words.append(" ")
        if token.type.endswith("_close") and token.block:
            words.append(" ")
    return " ".join("".join(words).split())


def excerpt(markdown_source: str, limit: int = EXCERPT_LIMIT) -> str:
    """The start of some Markdown as plain text, at most ``limit`` characters, cut at a word
    with an ellipsis when it is longer."""
    text = plain_text(markdown_source)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def notify(user: User, subject: str, body: str, link: str, email: bool = True) -> Notification:
    """Add a notification to ``user``'s list and, unless ``email`` is false, email them the
    same news.

    A notification is written once and read later, so its words are kept as they were
    written: ``subject`` and ``body`` must already be in the recipient's language. Callers
    compose them inside ``with in_language_of(user):`` (board/i18n.py), whoever's request is
    running (a moderator writing in Welsh decides on an English speaker's study: the author
    is told in English). The email around them (its greeting and subject line) is rendered
    here in the recipient's language too; the notifications page shows the stored text as it
    is, with its date in the reader's language of the moment."""
    notification = Notification(
        user_id=user.id,
        subject=subject[:200],
        body=body,
        link=link,
        language=current_language(),
    )
    db.session.add(notification)
    if not email:
        return notification
    with in_language_of(user):
        text = render_template(
            "notifications/email.txt",
            user=user,
            subject=subject,
            body=body,
            link=public_url(link),
        )
    send_email(user.email, subject, text)
    return notification


def comment_notice(comment: Comment, recipient: User) -> str:
    """What ``recipient`` is told about a new comment: a reply is a reply, to their comment or
    to someone else's on their study; anything else is a comment on their study. In the
    language of the moment: the caller chooses the recipient's (``in_language_of``)."""
    study, parent, author = comment.case_study, comment.parent, comment.author
    if parent is None:
        return _("%(name)s commented on “%(title)s”", name=author.name, title=study.title)
    if parent.author_id == recipient.id:
        return _(
            "%(name)s replied to your comment on “%(title)s”", name=author.name, title=study.title
        )
    return _("%(name)s replied to a comment on “%(title)s”", name=author.name, title=study.title)


def notify_comment_posted(comment: Comment, link: str) -> list[Notification]:
    """Tell the study's author and, for a reply, the author of the comment replied to, about
    ``comment`` (at ``link``): once each, never its own author, with a plain-text excerpt.
    Email only for those who asked for it."""
    study, parent = comment.case_study, comment.parent
    recipients = [study.author]
    if parent is not None:
        recipients.append(parent.author)
    body = excerpt(comment.body)
    sent: list[Notification] = []
    told: set[int] = {comment.author_id}
    for recipient in recipients:
        if recipient.id in told:
            continue
        told.add(recipient.id)
        with in_language_of(recipient):
            sent.append(
                notify(
                    recipient,
                    comment_notice(comment, recipient),
                    body,
                    link,
                    email=recipient.email_on_comments,
                )
            )
    return sent


def unread_count(user: User) -> int:
    return db.session.scalar(
        db.select(db.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )
