"""'This helped': the asker and their council's members mark answers; a question with a
helpful answer shows as answered."""

from __future__ import annotations

import json

import pytest

from board.extensions import db
from board.models import Answer, Question, Visibility
from board.models.base import utcnow
from tests.answers.conftest import make_answer, make_question, post, sign_out


@pytest.fixture
def answered(app, world):
    """The author's question (Hereshire) with two answers: the outsider's (Thereshire) and the
    colleague's (Hereshire, the asker's own council)."""
    with app.app_context():
        question = make_question(world.people.author)
        theirs = make_answer(question, world.people.outsider, body="Theirs")
        ours = make_answer(question, world.people.colleague, body="Ours")
        db.session.commit()
        return question.id, theirs.id, ours.id


def state(app, question_id, answer_id):
    with app.app_context():
        answer = db.session.get(Answer, answer_id)
        question = db.session.get(Question, question_id)
        return answer.helpful_at, answer.helpful_by_id, question.answered_at


def test_the_asker_marks_and_unmarks(app, client, as_role, world, answered):
    question, theirs, _ = answered
    as_role("author")
    path = f"/questions/{question}/answers/{theirs}/helpful"
    page = client.get(f"/test/questions/{question}").text
    assert f'id="helpful-button-{theirs}"' in page and 'aria-pressed="false"' in page
    response = post(client, path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/questions/{question}#answer-{theirs}")
    helpful_at, by, answered_at = state(app, question, theirs)
    assert helpful_at is not None and by == world.people.author.id and answered_at is not None
    assert "Marked as helpful" in client.get(f"/test/questions/{question}").text
    assert post(client, path).status_code == 302
    assert state(app, question, theirs) == (None, None, None)


def test_with_htmx_the_control_is_swapped_focused_and_announced(app, client, as_role, answered):
    question, theirs, _ = answered
    as_role("author")
    path = f"/questions/{question}/answers/{theirs}/helpful"
    response = post(client, path, htmx=True)
    assert response.status_code == 200
    detail = json.loads(response.headers["HX-Trigger-After-Settle"])["app:swapped"]
    assert detail["focus"] == f"#helpful-button-{theirs}"
    assert detail["announce"] == "Marked as helpful. The question shows as answered."
    html = response.text
    assert html.lstrip().startswith(f'<div class="app-helpful" id="helpful-{theirs}">')
    assert 'aria-pressed="true"' in html and "Helpful" in html
    response = post(client, path, htmx=True)
    detail = json.loads(response.headers["HX-Trigger-After-Settle"])["app:swapped"]
    assert detail["announce"] == (
        "No longer marked as helpful. The question no longer shows as answered."
    )
    assert 'aria-pressed="false"' in response.text


def test_answered_stays_while_a_helpful_answer_is_left(app, client, as_role, answered):
    question, theirs, ours = answered
    as_role("author")
    post(client, f"/questions/{question}/answers/{theirs}/helpful")
    first = state(app, question, theirs)[2]
    # A colleague of the asker may mark another colleague's answer: their council found it so.
    post(client, f"/questions/{question}/answers/{ours}/helpful")
    assert state(app, question, ours)[0] is not None
    post(client, f"/questions/{question}/answers/{theirs}/helpful")
    assert state(app, question, theirs)[2] == first  # still answered, since the first mark
    post(client, f"/questions/{question}/answers/{ours}/helpful")
    assert state(app, question, ours)[2] is None


def test_a_member_of_the_asker_s_council_may_mark(app, client, as_role, world, answered):
    question, theirs, _ = answered
    as_role("colleague")
    assert post(client, f"/questions/{question}/answers/{theirs}/helpful").status_code == 302
    assert state(app, question, theirs)[1] == world.people.colleague.id


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("visitor", 302),  # to sign in
        ("unverified", 403),
        ("outsider", 403),  # the answerer: never their own answer
        ("moderator", 403),
        ("admin", 403),
    ],
)
def test_others_may_not_mark(app, client, as_role, answered, role, status):
    question, theirs, _ = answered
    as_role(role)
    response = post(client, f"/questions/{question}/answers/{theirs}/helpful")
    assert response.status_code == status
    if role == "visitor":
        assert "/auth/login" in response.headers["Location"]
    assert state(app, question, theirs) == (None, None, None)
    page = client.get(f"/test/questions/{question}").text
    assert "helpful-button-" not in page


def test_nobody_marks_their_own_answer(app, client, as_role, answered):
    question, _, ours = answered
    as_role("colleague")
    assert post(client, f"/questions/{question}/answers/{ours}/helpful").status_code == 403


def test_everyone_sees_which_answers_helped(app, client, as_role, world, answered):
    question, theirs, _ = answered
    with app.app_context():
        db.session.get(Answer, theirs).helpful_at = utcnow()
        db.session.commit()
    as_role("visitor")
    page = client.get(f"/test/questions/{question}").text
    assert "found this answer helpful" in page and "helpful-button-" not in page


def test_hidden_questions_and_answers(app, client, as_role, world):
    with app.app_context():
        members = make_question(world.people.author, visibility=Visibility.MEMBERS)
        on_members = make_answer(members, world.people.outsider)
        hidden = make_question(world.people.author, hidden_at=utcnow())
        on_hidden = make_answer(hidden, world.people.outsider)
        open_question = make_question(world.people.author)
        hidden_answer = make_answer(open_question, world.people.outsider, hidden_at=utcnow())
        elsewhere = make_answer(members, world.people.outsider)
        db.session.commit()
        ids = (members.id, on_members.id, hidden.id, on_hidden.id, open_question.id)
        ids += (hidden_answer.id, elsewhere.id)
    members, on_members, hidden, on_hidden, open_question, hidden_answer, elsewhere = ids
    as_role("visitor")
    assert post(client, f"/questions/{members}/answers/{on_members}/helpful").status_code == 404
    as_role("unverified")
    assert post(client, f"/questions/{members}/answers/{on_members}/helpful").status_code == 404
    sign_out(client)
    as_role("colleague")
    # Hidden: not found for those who may not see it, refused for the rest.
    assert post(client, f"/questions/{hidden}/answers/{on_hidden}/helpful").status_code == 404
    path = f"/questions/{open_question}/answers/{hidden_answer}/helpful"
    assert post(client, path).status_code == 404
    # An answer named under another question is not found.
    path = f"/questions/{open_question}/answers/{elsewhere}/helpful"
    assert post(client, path).status_code == 404
    sign_out(client)
    as_role("author")
    assert post(client, f"/questions/{hidden}/answers/{on_hidden}/helpful").status_code == 403
