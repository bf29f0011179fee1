"""Addresses of questions and answers, for pages, notifications and redirects (imported by
other features: it imports nothing of theirs)."""

from __future__ import annotations

from flask import url_for

from board.models import Answer, Question
from board.models.case_study import title_slug


def question_slug(question: Question) -> str:
    return title_slug(question.title)


def question_link(question: Question) -> str:
    return url_for("questions.show", question_id=question.id, slug=question_slug(question))


def answer_link(answer: Answer) -> str:
    return question_link(answer.question) + f"#answer-{answer.id}"
