"""Questions and answers for the tests of the API, the feed and the digest, made directly."""

from __future__ import annotations

from datetime import datetime

from board.extensions import db
from board.models import Answer, Question, Topic, Visibility
from board.models.base import utcnow


def make_question(
    author,
    title: str = "Has any council tried chatbots?",
    topics: list[str] | None = None,
    visibility: Visibility = Visibility.PUBLIC,
    created_at: datetime | None = None,
    **fields,
) -> Question:
    question = Question(
        author_id=author.id,
        council_id=fields.pop("council_id", author.council_id),
        title=title,
        details=fields.pop("details", "We want to know what **worked**."),
        visibility=visibility,
        created_at=created_at or utcnow(),
        topics=list(
            db.session.scalars(
                db.select(Topic).where(Topic.slug.in_(topics or ["data-and-research"]))
            )
        ),
        **fields,
    )
    db.session.add(question)
    db.session.flush()
    return question


def make_answer(
    question: Question, author, body: str = "We tried it: start small.", **fields
) -> Answer:
    answer = Answer(
        question_id=question.id,
        author_id=author.id,
        council_id=fields.pop("council_id", author.council_id),
        body=body,
        **fields,
    )
    db.session.add(answer)
    question.answer_count += 1
    if answer.helpful_at is not None and question.answered_at is None:
        question.answered_at = answer.helpful_at
    db.session.flush()
    return answer
