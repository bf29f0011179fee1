"""Queries for a study's discussion, as functions returning ``Select`` or small structures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from board import sanitize
from board.extensions import db
from board.models import (
    CaseStudy,
    Comment,
    Council,
    Status,
    TriedToo,
    UsefulMark,
    User,
    Visibility,
)
from board.rendering import RendersMarkdown


class ShownComment:
    """A comment as the discussion shows it, read as plain values (with its author's name and
    council's name) rather than as a Comment and its User and Council: the study page reads
    thirty of them, and building ORM objects cost more than the query. It answers what
    board/permissions.py asks of a comment (author_id, hidden_at, deleted_at, created_at,
    case_study) and ``rendered("body")`` as a Comment does, and keeps the values it was read
    from (``row``): all that a visitor is shown of it (board/comments/drawn.py)."""

    __slots__ = (
        "author_id",
        "author_name",
        "body",
        "body_html",
        "case_study",
        "council_name",
        "created_at",
        "deleted_at",
        "edited_at",
        "hidden_at",
        "hidden_reason",
        "id",
        "language",
        "markdown_version",
        "parent_id",
        "row",
    )
    MARKDOWN_FIELDS = Comment.MARKDOWN_FIELDS

    id: int
    parent_id: int | None
    author_id: int
    body: str
    body_html: str | None
    markdown_version: str | None
    language: str
    created_at: datetime
    edited_at: datetime | None
    hidden_at: datetime | None
    hidden_reason: str
    deleted_at: datetime | None
    author_name: str
    # None when the author belongs to no council.
    council_name: str | None
    case_study: CaseStudy
    row: tuple

    def __init__(self, row, study: CaseStudy):
        self.row = tuple(row)
        (
            self.id,
            self.parent_id,
            self.author_id,
            self.body,
            self.body_html,
            self.markdown_version,
            self.language,
            self.created_at,
            self.edited_at,
            self.hidden_at,
            self.hidden_reason,
            self.deleted_at,
            self.author_name,
            self.council_name,
        ) = row
        self.case_study = study

    @property
    def markdown_is_current(self) -> bool:
        return self.markdown_version == sanitize.SANITIZER_VERSION

    # The stored HTML while today's sanitiser made it, the text rendered afresh otherwise.
    rendered = RendersMarkdown.rendered


@dataclass
class Thread:
    comment: Comment | ShownComment
    replies: list[Comment | ShownComment] = field(default_factory=list)


# The study page's statements are built once, with the study's id as a parameter
# (``{"study_id": ...}``): SQLAlchemy works out a statement's cache key once per statement
# object, and for one made afresh on every request that walk cost more than running it.
COMMENTS = (
    select(Comment)
    .where(Comment.case_study_id == bindparam("study_id"))
    .options(joinedload(Comment.author).joinedload(User.council))
    .order_by(Comment.created_at, Comment.id)
)
# The same comments as plain values, in the order ShownComment takes them.
SHOWN_COMMENTS = (
    select(
        Comment.id,
        Comment.parent_id,
        Comment.author_id,
        Comment.body,
        Comment.body_html,
        Comment.markdown_version,
        Comment.language,
        Comment.created_at,
        Comment.edited_at,
        Comment.hidden_at,
        Comment.hidden_reason,
        Comment.deleted_at,
        User.name,
        Council.name,
    )
    .join(User, User.id == Comment.author_id)
    .outerjoin(Council, Council.id == User.council_id)
    .where(Comment.case_study_id == bindparam("study_id"))
    .order_by(Comment.created_at, Comment.id)
)
TRIED_TOO = (
    select(TriedToo)
    .where(TriedToo.case_study_id == bindparam("study_id"))
    .options(joinedload(TriedToo.council), joinedload(TriedToo.own_study))
    .order_by(TriedToo.created_at)
)


def comments_query(study_id: int) -> Select[tuple[Comment]]:
    return COMMENTS.params(study_id=study_id)


def shown_comments(study: CaseStudy) -> list[ShownComment]:
    """``study``'s comments, oldest first, as the discussion shows them: one query."""
    # On the session's connection: plain values need nothing of the ORM's.
    rows = db.session.connection().execute(SHOWN_COMMENTS, {"study_id": study.id}).all()
    return [ShownComment(row, study) for row in rows]


def threads(comments: list) -> list[Thread]:
    """Top-level comments in order, each with its replies (one level)."""
    by_id = {comment.id: Thread(comment) for comment in comments if comment.parent_id is None}
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in by_id:
            by_id[comment.parent_id].replies.append(comment)
    return list(by_id.values())


def tried_too_query(study_id: int) -> Select[tuple[TriedToo]]:
    return TRIED_TOO.params(study_id=study_id)


def has_marked_useful(study_id: int, user_id: int) -> Select[tuple[int]]:
    return select(UsefulMark.id).where(
        UsefulMark.case_study_id == study_id, UsefulMark.user_id == user_id
    )


def linkable_council_studies(council_id: int, study: CaseStudy) -> Select[tuple[int, str]]:
    """Choices for "link to your council's write-up" under ``study``: its council's published
    studies that everyone who can read ``study`` can read too (see
    permissions.can_link_as_tried_too), so a public study never shows a members-only title."""
    query = (
        select(CaseStudy.id, CaseStudy.title)
        .where(
            CaseStudy.council_id == council_id,
            CaseStudy.status == Status.PUBLISHED,
            CaseStudy.id != study.id,
        )
        .order_by(CaseStudy.published_at.desc())
    )
    if study.visibility is Visibility.PUBLIC:
        query = query.where(CaseStudy.visibility == Visibility.PUBLIC)
    return query
