"""A person's questions in their data download, and what deleting their account does to them."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from board.extensions import db
from board.models import Answer, Question
from tests.conftest import csrf_token_from
from tests.factories import PASSWORD, make_answer, make_question


def test_the_data_download_holds_the_persons_questions(app, client, as_role, world):
    with app.app_context():
        make_question(
            world.people.author,
            "Has any council tried smart bins?",
            details="Ours *overflow*.",
            topics=["smart-places-technology"],
        )
        make_question(world.people.colleague, "Not hers?")
        db.session.commit()
    as_role("author")
    token = csrf_token_from(client.get("/account/data").text)
    data = json.loads(client.post("/account/data", data={"csrf_token": token}).text)
    (asked,) = data["questions"]
    assert asked["title"] == "Has any council tried smart bins?"
    assert asked["details"] == "Ours *overflow*."
    assert asked["visibility"] == "public"
    assert asked["topics"] == ["Smart places technology"]
    assert asked["council_id"] == world.here.id


@pytest.mark.parametrize("comments", ["keep", "delete"])
def test_questions_go_with_comments_when_an_account_is_deleted(
    app, client, as_role, world, comments
):
    with app.app_context():
        unanswered = make_question(world.people.author, "Nobody answered?", details="Words")
        answered = make_question(world.people.author, "Answered?", details="Private words")
        make_answer(answered, world.people.outsider, "We did this.")
        answered.answer_count = 1
        db.session.commit()
        ids = (unanswered.id, answered.id)
    as_role("author")
    token = csrf_token_from(client.get("/account/delete").text)
    html = client.get("/account/delete").text
    assert "questions you asked go with your comments" in html
    response = client.post(
        "/account/delete",
        data={"comments": comments, "current_password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    with app.app_context():
        unanswered, answered = (db.session.get(Question, id_) for id_ in ids)
        if comments == "keep":
            assert unanswered.details == "Words"
            assert answered.details == "Private words"
        else:
            assert unanswered is None
            assert answered.title == "Answered?"
            assert answered.details == "" and "Private" not in answered.details_html
            # Other councils' answers stay.
            assert db.session.scalar(select(Answer.body)) == "We did this."


def test_the_demo_data_asks_questions(app):
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        asked = db.session.scalars(select(Question)).all()
        assert len(asked) >= 5
        assert {question.visibility.value for question in asked} == {"public", "members"}
        assert all(question.title.endswith("?") and question.topics for question in asked)
        assert len({topic.slug for question in asked for topic in question.topics}) >= 5
