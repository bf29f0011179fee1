"""Posting an answer: good and bad input, with and without htmx, who may, and on which
questions."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import func, select

from board.extensions import db
from board.models import Answer, Question, Visibility
from board.models.base import utcnow
from tests.answers.conftest import make_question, post, sign_out, token


def answers_of(app, question_id):
    with app.app_context():
        return db.session.scalars(
            select(Answer).where(Answer.question_id == question_id).order_by(Answer.id)
        ).all()


def answer_count(app, question_id):
    with app.app_context():
        return db.session.get(Question, question_id).answer_count


def test_a_member_answers_and_returns_to_the_answer(app, client, as_role, question):
    as_role("outsider")
    response = post(client, f"/questions/{question}/answers", body="We tried **this**.")
    [answer] = answers_of(app, question)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/questions/{question}#answer-{answer.id}")
    assert answer.body == "We tried **this**." and answer.study_id is None
    assert answer_count(app, question) == 1
    page = client.get(f"/test/questions/{question}").text
    assert "Your answer has been posted." in page
    assert "We tried <strong>this</strong>." in page
    assert "Thereshire Council" in page and "1 answer" in page


def test_with_htmx_the_answer_is_added_and_announced(app, client, as_role, question):
    as_role("outsider")
    page = client.get(f"/test/questions/{question}").text
    assert 'id="answers-list"' in page and 'id="answer-form"' in page
    assert "No answers yet." in page
    response = post(client, f"/questions/{question}/answers", htmx=True, body="Worked for us")
    [answer] = answers_of(app, question)
    assert response.status_code == 200
    detail = json.loads(response.headers["HX-Trigger-After-Settle"])["app:swapped"]
    assert detail == {"focus": f"#answer-{answer.id}", "announce": "Answer posted"}
    html = response.text
    assert 'hx-swap-oob="beforeend:#answers-list"' in html
    assert f'id="answer-{answer.id}"' in html and "Worked for us" in html
    # The heading's count, out of band, and a fresh form in place of the one posted.
    assert 'id="answers-heading-block" hx-swap-oob="true"' in html and "1 answer" in html
    assert "No answers yet." not in html
    form = html[html.index('id="answer-form"') :]
    assert "Worked for us" not in form and "There is a problem" not in form


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Enter your answer"), ("x" * 5001, "Answers must be 5,000 characters or fewer")],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_input_keeps_what_was_typed(app, client, as_role, question, body, message, htmx):
    as_role("outsider")
    response = post(
        client,
        f"/questions/{question}/answers",
        htmx=htmx,
        body=body,
        other_study="somewhere else",
    )
    assert response.status_code == 422
    html = response.text
    assert "There is a problem" in html and message in html
    assert "somewhere else" in html
    if body:
        assert body in html
    assert ("<html" in html) is (not htmx)  # a page of its own without JavaScript
    assert answers_of(app, question) == []
    assert answer_count(app, question) == 0


def test_control_characters_are_dropped(app, client, as_role, question):
    as_role("outsider")
    post(client, f"/questions/{question}/answers", body="Fine\x00 text\x07")
    [answer] = answers_of(app, question)
    assert answer.body == "Fine text"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("visitor", 401),
        ("unverified", 403),
        ("admin", 403),
        ("author", 302),
        ("colleague", 302),
        ("moderator", 302),
    ],
)
def test_who_may_answer(app, client, as_role, question, role, status):
    as_role(role)
    response = post(client, f"/questions/{question}/answers", body="Our experience")
    assert response.status_code == status
    assert len(answers_of(app, question)) == (1 if status == 302 else 0)


def test_a_visitor_whose_session_ended_keeps_the_answer(client, as_role, question):
    as_role("visitor")
    response = post(client, f"/questions/{question}/answers", body="Long answer I wrote")
    assert response.status_code == 401
    assert "You have been signed out" in response.text
    assert "Long answer I wrote" in response.text


def test_members_only_and_hidden_questions(app, client, as_role, world):
    with app.app_context():
        members = make_question(world.people.author, visibility=Visibility.MEMBERS).id
        hidden = make_question(world.people.author, hidden_at=utcnow(), hidden_reason="Spam").id
        db.session.commit()
    as_role("visitor")
    assert post(client, f"/questions/{members}/answers", body="Hi").status_code == 404
    assert client.get(f"/test/questions/{members}").status_code == 404
    as_role("unverified")
    assert post(client, f"/questions/{members}/answers", body="Hi").status_code == 404
    sign_out(client)
    as_role("outsider")
    assert post(client, f"/questions/{hidden}/answers", body="Hi").status_code == 404
    assert post(client, f"/questions/{members}/answers", body="Hi").status_code == 302
    assert post(client, "/questions/999999/answers", body="Hi").status_code == 404
    # The asker still sees their hidden question, but nobody answers it.
    sign_out(client)
    as_role("author")
    assert post(client, f"/questions/{hidden}/answers", body="Hi").status_code == 403
    assert "cannot be answered" in client.get(f"/test/questions/{hidden}").text
    assert answers_of(app, hidden) == []


@pytest.mark.parametrize("bad_token", [None, "not-the-token"])
def test_csrf_failure_keeps_the_text_and_saves_nothing(app, client, as_role, question, bad_token):
    as_role("outsider")
    data = {"body": "Kept after the token failed"}
    if bad_token:
        data["csrf_token"] = bad_token
    response = client.post(f"/questions/{question}/answers", data=data)
    assert response.status_code == 400
    assert "Kept after the token failed" in response.text
    assert "Your session expired" in response.text
    assert answers_of(app, question) == []


def test_answering_is_rate_limited(app, client, as_role, question):
    app.config["POSTING_RATE_LIMIT"] = "2 per minute"
    as_role("outsider")
    codes = [
        post(client, f"/questions/{question}/answers", body=f"Answer {n}").status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    assert answer_count(app, question) == 2


def test_answers_are_sanitised(app, client, as_role, question):
    as_role("outsider")
    payload = "<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"
    post(client, f"/questions/{question}/answers", body=payload)
    page = client.get(f"/test/questions/{question}").text
    answers = page[page.index('id="answers-list"') :]
    assert "<script>alert(1)" not in answers and "&lt;script&gt;alert(1)" in answers
    assert 'href="javascript:' not in answers and "<img" not in answers


def test_ten_answers_at_once_are_all_counted(app, world, question):
    """The count goes up in one conditional UPDATE, so answers posted at the same moment are
    all counted (on PostgreSQL, ten sessions at once)."""
    from board.questions import answer_services

    people = []
    with app.app_context():
        from tests.factories import make_user

        people = [make_user(world.there).id for _ in range(10)]
        db.session.commit()
    start = threading.Barrier(10)
    failures = []

    def answer(user_id):
        from board.models import User

        try:
            with app.app_context():
                user = db.session.get(User, user_id)
                found = db.session.get(Question, question)
                start.wait(timeout=10)
                answer_services.post_answer(found, user, f"Answer by {user_id}")
                db.session.commit()
        except Exception as error:
            failures.append(error)

    threads = [threading.Thread(target=answer, args=(user_id,)) for user_id in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures and app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # SQLite allows one writer: a writer that timed out added nothing and counted nothing.
        assert all("locked" in str(error) for error in failures), failures
    else:
        assert failures == []
    with app.app_context():
        rows = db.session.scalar(
            select(func.count()).select_from(Answer).where(Answer.question_id == question)
        )
    assert answer_count(app, question) == rows == 10 - len(failures)


def test_an_answer_to_a_question_hidden_meanwhile_is_refused(app, client, as_role, question):
    as_role("outsider")
    the_token = token(client)
    with app.app_context():
        db.session.get(Question, question).hidden_at = utcnow()
        db.session.commit()
    response = client.post(
        f"/questions/{question}/answers", data={"csrf_token": the_token, "body": "Late"}
    )
    assert response.status_code == 404
    assert answers_of(app, question) == []


def test_an_answer_stores_its_html_and_stale_html_is_never_shown(app, client, as_role, question):
    from board.rendering import rerender_stale
    from board.sanitize import SANITIZER_VERSION
    from tests.test_rendered_markdown import make_stale

    as_role("outsider")
    post(client, f"/questions/{question}/answers", body="We did **this**")
    [answer] = answers_of(app, question)
    assert answer.body_html.strip() == "<p>We did <strong>this</strong></p>"
    assert answer.markdown_version == SANITIZER_VERSION
    make_stale(app, "answers", answer.id, body_html="<p>Made by the old rules</p>")
    page = client.get(f"/test/questions/{question}").text
    assert "Made by the old rules" not in page and "We did <strong>this</strong>" in page
    with app.app_context():
        assert rerender_stale(db.session)["answers"] == 1
        db.session.commit()
    [answer] = answers_of(app, question)
    assert answer.markdown_version == SANITIZER_VERSION


def test_hidden_answers_are_seen_by_moderators_and_their_author_only(
    app, client, sign_in, world, question
):
    from tests.answers.conftest import make_answer

    with app.app_context():
        make_answer(
            question,
            world.people.outsider,
            body="Their names and phone numbers",
            hidden_at=utcnow(),
            hidden_reason="Personal data about residents",
        )
        db.session.commit()
    path = f"/test/questions/{question}"
    assert "Their names" not in client.get(path).text
    for person, sees in [
        (world.people.colleague, False),
        (world.people.moderator, True),
        (world.people.outsider, True),
    ]:
        sign_in(person)
        page = client.get(path).text
        assert ("Their names and phone numbers" in page) is sees, person.name
        assert ("Personal data about residents" in page) is sees
        sign_out(client)
