"""The list of questions: not yet answered first, then newest; filtered by topic (with htmx
and without); members-only and hidden questions never shown to those who may not see them;
the same number of queries whatever the page holds."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from board.extensions import db
from board.models import Visibility
from board.models.base import utcnow
from tests.factories import make_question


def titles(html: str) -> list[str]:
    return re.findall(
        r'<h3 class="govuk-heading-s app-study-card__title">\s*<a[^>]*>([^<]+)</a>', html
    )


@pytest.fixture
def asked(app, world):
    now = utcnow()
    with app.app_context():
        author, outsider = world.people.author, world.people.outsider
        make_question(
            author,
            "Old and answered?",
            created_at=now - timedelta(days=9),
            answered_at=now - timedelta(days=1),
            answer_count=2,
        )
        make_question(
            outsider,
            "New and answered?",
            created_at=now - timedelta(days=1),
            answered_at=now,
            answer_count=1,
            topics=["cyber-security"],
        )
        make_question(
            author,
            "Old and open?",
            created_at=now - timedelta(days=5),
            topics=["cyber-security", "data-and-research"],
        )
        make_question(outsider, "New and open?", created_at=now - timedelta(hours=1))
        make_question(
            author,
            "Members only?",
            visibility=Visibility.MEMBERS,
            created_at=now - timedelta(hours=2),
            topics=["cyber-security"],
        )
        make_question(
            author,
            "Hidden one?",
            hidden_at=now,
            hidden_reason="Spam",
            created_at=now - timedelta(minutes=5),
            topics=["cyber-security"],
        )
        db.session.commit()


def test_open_questions_come_first_then_the_newest(client, asked):
    html = client.get("/questions").get_data(as_text=True)
    assert titles(html) == [
        "New and open?",
        "Old and open?",
        "New and answered?",
        "Old and answered?",
    ]
    assert "4 questions" in html
    assert html.count(">Answered</strong>") == 2
    assert "Thereshire Council" in html and "1 answer" in html and "2 answers" in html


@pytest.mark.parametrize("role", ["author", "outsider", "moderator"])
def test_members_see_members_only_questions(client, as_role, asked, role):
    as_role(role)
    html = client.get("/questions").get_data(as_text=True)
    assert titles(html)[:3] == ["New and open?", "Members only?", "Old and open?"]
    assert "Members only</strong>" in html


@pytest.mark.parametrize("role", ["visitor", "unverified"])
def test_members_only_questions_are_not_listed_for_others(client, as_role, asked, role):
    as_role(role)
    for path in ("/questions", "/questions?topic=cyber-security", "/topics/cyber-security"):
        html = client.get(path).get_data(as_text=True)
        assert "Members only?" not in html


@pytest.mark.parametrize("role", ["visitor", "author", "moderator"])
def test_hidden_questions_are_never_listed(client, as_role, asked, role):
    as_role(role)
    for path in ("/questions", "/questions?topic=cyber-security", "/topics/cyber-security"):
        assert "Hidden one?" not in client.get(path).get_data(as_text=True)


def test_filtering_by_topics_without_javascript(client, asked):
    response = client.get("/questions?topic=cyber-security")
    html = response.get_data(as_text=True)
    assert titles(html) == ["Old and open?", "New and answered?"]
    assert (
        'id="topic-cyber-security" name="topic" type="checkbox" value="cyber-security" checked'
        in html
    )
    assert "<title>Questions to councils: Cyber security" in html
    several = client.get(
        "/questions?topic=cyber-security&topic=digital-inclusion-and-connectivity&topic=nonsense"
    )
    assert titles(several.get_data(as_text=True)) == ["Old and open?", "New and answered?"]


def test_only_questions_not_yet_answered(client, asked):
    html = client.get("/questions?answered=no").get_data(as_text=True)
    assert titles(html) == ["New and open?", "Old and open?"]
    assert 'id="answered-no" name="answered" type="checkbox" value="no" checked' in html
    html = client.get("/questions?answered=no&topic=cyber-security").get_data(as_text=True)
    assert titles(html) == ["Old and open?"]


def test_htmx_swaps_only_the_results_pushes_the_url_and_announces_the_count(client, asked):
    response = client.get(
        "/questions?topic=cyber-security&answered=",
        headers={"HX-Request": "true", "HX-Trigger": "question-filters"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and 'id="question-filters"' not in html
    assert titles(html) == ["Old and open?", "New and answered?"]
    assert response.headers["HX-Push-Url"] == "/questions?topic=cyber-security"
    swapped = json.loads(response.headers["HX-Trigger-After-Settle"])["app:swapped"]
    assert swapped == {"focus": "", "announce": "2 questions"}
    assert "<title>Questions to councils: Cyber security \u2013 Case Board</title>" in html
    assert "HX-Request" in response.headers["Vary"]


def test_a_page_link_moves_focus_to_the_results_heading(app, client, world):
    with app.app_context():
        for number in range(23):
            make_question(world.people.author, f"Question {number}?")
        db.session.commit()
    response = client.get("/questions?page=2", headers={"HX-Request": "true"})
    swapped = json.loads(response.headers["HX-Trigger-After-Settle"])["app:swapped"]
    assert swapped["focus"] == "#results-heading"
    html = response.get_data(as_text=True)
    assert len(titles(html)) == 3
    assert "page 2 of 2" in html
    full = client.get("/questions").get_data(as_text=True)
    assert len(titles(full)) == 20
    assert 'href="/questions?page=2"' in full and 'hx-target="#results"' in full


def test_a_page_past_the_end_says_so(client, asked):
    html = client.get("/questions?page=7").get_data(as_text=True)
    assert "There are no results on page 7" in html
    assert client.get("/questions?page=nonsense").status_code == 200


def test_no_questions_yet(client, world):
    assert "No questions have been asked yet" in client.get("/questions").get_data(as_text=True)
    html = client.get("/questions?topic=cyber-security").get_data(as_text=True)
    assert "No questions match these filters" in html


def count_queries(app, client, path: str, **kwargs) -> int:
    with app.app_context():
        engine = db.engine
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path, **kwargs).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.parametrize("role", ["visitor", "author"])
def test_the_number_of_queries_does_not_grow_with_the_page(app, client, as_role, world, role):
    as_role(role)
    with app.app_context():
        make_question(world.people.author, "One?", topics=["cyber-security"])
        db.session.commit()
    paths = ["/questions", "/questions?topic=cyber-security", "/topics/cyber-security"]
    for path in paths:  # the topic page's studies come from the board's cache after this
        client.get(path)
    few = [count_queries(app, client, path) for path in paths]
    with app.app_context():
        for number in range(30):
            make_question(
                world.people.outsider,
                f"Question {number}?",
                topics=["cyber-security", "data-and-research", "digital-communications"],
                visibility=Visibility.MEMBERS if number % 2 else Visibility.PUBLIC,
            )
        db.session.commit()
    many = [count_queries(app, client, path) for path in paths]
    assert many == few


def test_the_board_and_every_page_link_to_questions(client):
    html = client.get("/").get_data(as_text=True)
    assert html.count('href="/questions"') >= 2  # the header, and the board's own link
    assert 'href="/questions"' in client.get("/accessibility").get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        "topic=%00",
        "topic=cyber%00security",
        "answered=%00",
        "page=%00",
        "page=-1",
        "page=²",
        "page=99999999999999999999",
        "answered=yes&topic=&page=",
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_filters_not_understood_are_ignored(client, asked, query, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(f"/questions?{query}", headers=headers)
    assert response.status_code == 200
    assert "\x00" not in response.text
    assert titles(response.text)[0] == "New and open?"
