"""Queries for questions, as functions returning ``Select``: what a viewer may see, in the
list's order (not yet answered first, then newest first)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, case, select
from sqlalchemy.orm import joinedload, selectinload

from board.extensions import db
from board.models import Question, Topic, User, Visibility, question_topics
from board.permissions import can_see_members_only, can_see_question

# Open questions shown on a topic page.
TOPIC_PAGE_LIMIT = 5


@dataclass
class QuestionFilters:
    """What the list is filtered by, read from its query string; anything not understood is
    left out."""

    topics: list[Topic] = field(default_factory=list)
    unanswered_only: bool = False
    page: int = 1

    def to_args(self, **changes) -> dict:
        """The query string of these filters (None for what is not set)."""
        args = {
            "topic": [topic.slug for topic in self.topics] or None,
            "answered": "no" if self.unanswered_only else None,
            "page": self.page if self.page > 1 else None,
        }
        args.update(changes)
        return args


def parse_filters(args, topics: list[Topic]) -> QuestionFilters:
    chosen = set(args.getlist("topic"))
    return QuestionFilters(
        topics=[topic for topic in topics if topic.slug in chosen],
        unanswered_only=args.get("answered") == "no",
        page=_page_number(args.get("page", "")),
    )


def load_question(question_id: int) -> Question:
    """The question, or 404 for anyone who may not see it (members-only to a visitor, hidden
    to all but its asker and moderators): its existence does not leak."""
    question = db.session.get(Question, question_id)
    if question is None or not can_see_question(question, current_user):
        abort(404)
    return question


def _page_number(value: str) -> int:
    """A page number in ASCII digits ("²" and "٣" are digits to Python, not to us); anything
    else, or a page past any list, is the first page."""
    if not (value.isascii() and value.isdigit()) or len(value) > 5:
        return 1
    return max(int(value), 1)


def visible_questions(viewer: User | None) -> Select:
    """Questions ``viewer`` may find in a list: never hidden ones (their asker and moderators
    reach them by their address), members-only ones only for members."""
    query = select(Question).where(Question.hidden_at.is_(None))
    if not can_see_members_only(viewer):
        query = query.where(Question.visibility == Visibility.PUBLIC)
    return query


def in_list_order(query: Select) -> Select:
    not_yet_answered_first = case((Question.answered_at.is_(None), 0), else_=1)
    return query.order_by(not_yet_answered_first, Question.created_at.desc(), Question.id.desc())


def questions_query(filters: QuestionFilters, viewer: User | None) -> Select:
    """The list: on any of the chosen topics, with each card's council and topics loaded
    alongside (a constant number of queries whatever the page size)."""
    query = visible_questions(viewer)
    if filters.topics:
        on_topics = select(question_topics.c.question_id).where(
            question_topics.c.topic_id.in_([topic.id for topic in filters.topics])
        )
        query = query.where(Question.id.in_(on_topics))
    if filters.unanswered_only:
        query = query.where(Question.answered_at.is_(None))
    return in_list_order(query).options(joinedload(Question.council), selectinload(Question.topics))


def open_questions_on_topic(topic_id: int, viewer: User | None) -> Select:
    """A topic page's open questions: not yet answered, newest first, with their councils."""
    on_topic = select(question_topics.c.question_id).where(question_topics.c.topic_id == topic_id)
    return (
        visible_questions(viewer)
        .where(Question.answered_at.is_(None), Question.id.in_(on_topic))
        .order_by(Question.created_at.desc(), Question.id.desc())
        .options(joinedload(Question.council))
        .limit(TOPIC_PAGE_LIMIT)
    )


def questions_by(user_id: int) -> Select:
    """Someone's own questions (their data download)."""
    return (
        select(Question)
        .where(Question.author_id == user_id)
        .options(selectinload(Question.topics))
        .order_by(Question.id)
    )
