"""A question's page: what it shows, to whom, and its address."""

from __future__ import annotations

import pytest

from board.extensions import db
from board.models import Visibility
from board.models.base import utcnow
from tests.factories import make_question


@pytest.fixture
def question(app, world):
    with app.app_context():
        question = make_question(
            world.people.author,
            "Has any council used a chatbot for council tax?",
            details="We tried *a little*. <script>alert(1)</script>",
            topics=["digital-communications", "cyber-security"],
        )
        db.session.commit()
        return question.id


def test_the_page_shows_the_question(client, question):
    response = client.get(f"/questions/{question}/has-any-council-used-a-chatbot-for-council-tax")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Has any council used a chatbot for council tax?" in html
    assert "Question from Hereshire Council" in html
    assert "<em>a little</em>" in html and "<script>alert(1)" not in html
    assert "Digital communications" in html and "Cyber security" in html
    assert "Report this question" not in html  # visitors do not report


def test_the_id_alone_and_a_wrong_slug_move_to_the_address_with_the_slug(client, question):
    canonical = f"/questions/{question}/has-any-council-used-a-chatbot-for-council-tax"
    for path in (f"/questions/{question}", f"/questions/{question}/old-title"):
        response = client.get(path + "?from=email")
        assert response.status_code == 301
        assert response.headers["Location"] == canonical + "?from=email"


def test_an_unknown_question_is_not_found(client, world):
    assert client.get("/questions/999999").status_code == 404


@pytest.mark.parametrize("role", ["author", "outsider", "moderator", "unverified", "admin"])
def test_participants_may_report_it(client, as_role, question, role):
    as_role(role)
    html = client.get(f"/questions/{question}", follow_redirects=True).get_data(as_text=True)
    assert ("Report this question" in html) is (role != "unverified")


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 404), ("unverified", 404), ("author", 200), ("outsider", 200), ("moderator", 200)],
)
def test_members_only_questions_are_not_found_by_others(app, client, as_role, world, role, status):
    with app.app_context():
        secret = make_question(
            world.people.author, "A members-only question?", visibility=Visibility.MEMBERS
        ).id
        db.session.commit()
    as_role(role)
    response = client.get(f"/questions/{secret}/a-members-only-question")
    assert response.status_code == status
    if status == 404:
        assert "A members-only question?" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("visitor", 404),
        ("unverified", 404),
        ("author", 200),
        ("colleague", 404),
        ("outsider", 404),
        ("moderator", 200),
        ("admin", 200),
    ],
)
def test_a_hidden_question_is_seen_by_its_asker_and_moderators(
    app, client, as_role, world, role, status
):
    with app.app_context():
        hidden = make_question(
            world.people.author, "A hidden question?", hidden_at=utcnow(), hidden_reason="Spam"
        ).id
        db.session.commit()
    as_role(role)
    response = client.get(f"/questions/{hidden}/a-hidden-question")
    html = response.get_data(as_text=True)
    assert response.status_code == status
    if status == 200:
        assert "Hidden by a moderator: Spam" in html
        assert "Report this question" not in html
    else:
        assert "A hidden question?" not in html


def test_a_moderator_from_another_council_is_offered_hiding(client, as_role, question):
    as_role("moderator")
    html = client.get(f"/questions/{question}", follow_redirects=True).get_data(as_text=True)
    assert f'href="/moderation/questions/{question}/hide"' in html


def test_the_topic_page_shows_open_questions(app, client, world, question):
    with app.app_context():
        make_question(
            world.people.author,
            "Answered already?",
            topics=["cyber-security"],
            answered_at=utcnow(),
        )
        db.session.commit()
    html = client.get("/topics/cyber-security").get_data(as_text=True)
    assert "Has any council used a chatbot for council tax?" in html
    assert "Answered already?" not in html
    assert 'href="/questions?topic=cyber-security"' in html
    html = client.get("/topics/smart-places-technology").get_data(as_text=True)
    assert "No open questions on this topic" in html


def test_the_topic_page_shows_at_most_five(app, client, world):
    with app.app_context():
        for number in range(7):
            make_question(
                world.people.author, f"Open question {number}?", topics=["cyber-security"]
            )
        db.session.commit()
    html = client.get("/topics/cyber-security").get_data(as_text=True)
    assert sum(f"Open question {number}?" in html for number in range(7)) == 5
    assert "Open question 0?" in html  # the newest
