"""Questions and answers made directly, and a page that shows a question's answers as the
question page does (templates/questions/_answers.html with answers_context merged in)."""

from __future__ import annotations

import pytest
from flask import abort, render_template_string
from flask_login import current_user

from board import permissions
from board.extensions import db
from board.models import Answer, Question, Topic, Visibility
from tests.conftest import csrf_token_from

PAGE = """{% extends "base.html" %}
{% block title %}{{ question.title }}{% endblock %}
{% block content %}<h1 class="govuk-heading-l">{{ question.title }}</h1>
{% include "questions/_answers.html" %}{% endblock %}"""


def add_answers_page(app) -> None:
    """/test/questions/<id>: the question's answers, as the question page includes them."""
    from board.questions.answers import answers_context

    def show(question_id: int):
        question = db.session.get(Question, question_id)
        if question is None or not permissions.can_see_question(question, current_user):
            abort(404)
        return render_template_string(PAGE, **answers_context(question, current_user))

    app.add_url_rule("/test/questions/<int:question_id>", "answers_test_page", show)


@pytest.fixture(autouse=True)
def answers_page(app):
    add_answers_page(app)


def make_question(author, title="Has any council tried a chatbot for council tax?", **fields):
    topics = fields.pop("topics", ["digital-communications", "cyber-security"])
    question = Question(
        author_id=author.id,
        council_id=fields.pop("council_id", author.council_id),
        title=title,
        details=fields.pop("details", "We are thinking about it."),
        visibility=fields.pop("visibility", Visibility.PUBLIC),
        topics=list(db.session.scalars(db.select(Topic).where(Topic.slug.in_(topics)))),
        **fields,
    )
    db.session.add(question)
    db.session.flush()
    return question


def make_answer(question, author, body="We tried it.", **fields):
    answer = Answer(
        question_id=question.id if hasattr(question, "id") else question,
        author_id=author.id,
        council_id=author.council_id,
        body=body,
        **fields,
    )
    db.session.add(answer)
    db.session.flush()
    return answer


@pytest.fixture
def question(app, world):
    """A public question asked by the author (Hereshire)."""
    with app.app_context():
        question_id = make_question(world.people.author).id
        db.session.commit()
        return question_id


def token(client) -> str:
    return csrf_token_from(client.get("/").get_data(as_text=True))


def post(client, path: str, htmx: bool = False, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(path, data={"csrf_token": token(client), **data}, headers=headers)


def sign_out(client) -> None:
    client.post("/auth/logout", data={"csrf_token": token(client)})
