"""The account data download holds the person's answers and the answers they marked helpful,
and nobody else's."""

from __future__ import annotations

import json

from board.extensions import db
from board.models.base import utcnow
from tests.answers.conftest import make_answer, make_question


def test_the_download_holds_the_person_s_answers(app, client, sign_in, csrf_token, world):
    people = world.people
    with app.app_context():
        question = make_question(people.author, title="Anyone tried webchat?")
        mine = make_answer(question, people.outsider, body="We did, it worked.")
        make_answer(question, people.colleague, body="A colleague's words")
        mine.helpful_at, mine.helpful_by_id = utcnow(), people.author.id
        db.session.commit()
        mine_id, question_id = mine.id, question.id
    sign_in(people.outsider)
    text = client.post("/account/data", data={"csrf_token": csrf_token("/account/data")}).text
    data = json.loads(text)
    (answer,) = data["answers"]
    assert answer["id"] == mine_id and answer["question_id"] == question_id
    assert answer["body"] == "We did, it worked."
    assert answer["question_title"] == "Anyone tried webchat?"
    assert answer["helpful_at"] is not None
    assert data["answers_marked_helpful"] == []
    assert "A colleague's words" not in text

    client.post("/auth/logout", data={"csrf_token": csrf_token("/")})
    sign_in(people.author)
    data = json.loads(
        client.post("/account/data", data={"csrf_token": csrf_token("/account/data")}).text
    )
    assert data["answers"] == []
    (marked,) = data["answers_marked_helpful"]
    assert marked["answer_id"] == mine_id and marked["question_title"] == "Anyone tried webchat?"
