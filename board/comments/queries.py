"""Queries for a study's discussion, as functions returning ``Select`` or small structures."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from board.models import CaseStudy, Comment, Status, TriedToo, UsefulMark, User, Visibility


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


# The study page's statements are built once, with the study's id as a parameter
# (``{"study_id": ...}``): SQLAlchemy works out a statement's cache key once per statement
# object, and for one made afresh on every request that walk cost more than running it.
COMMENTS = (
    select(Comment)
    .where(Comment.case_study_id == bindparam("study_id"))
    .options(joinedload(Comment.author).joinedload(User.council))
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


def threads(comments: list[Comment]) -> list[Thread]:
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
