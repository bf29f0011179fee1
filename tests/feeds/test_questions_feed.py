"""GET /feeds/questions.atom: valid Atom of the newest public questions that are not hidden,
by topic, the same whoever asks, with conditional GET and a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from flask import render_template_string
from sqlalchemy import event

from board.extensions import db
from board.feeds.atom import FEED_SIZE
from board.models import Visibility
from board.models.base import utcnow
from tests.factories import make_council, make_user
from tests.question_rows import make_answer, make_question

ATOM = "application/atom+xml; charset=utf-8"


def feed_of(response):
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == ATOM
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def titles(response) -> list[str]:
    return [entry.title for entry in feed_of(response).entries]


@pytest.fixture
def asked(app):
    with app.app_context():
        now = utcnow()
        here = make_council("Feedshire Council")
        asker = make_user(here, name="Quinn Asker", email="quinn@feedshire.gov.uk")
        chatbots = make_question(
            asker,
            "Has any council tried chatbots & <bots>?",
            topics=["digital-communications"],
            details="We get **800 calls** <script>alert(1)</script>\x0b a week.",
            created_at=now - timedelta(hours=1),
        )
        make_question(
            asker,
            "Phishing drills that worked?",
            topics=["cyber-security"],
            created_at=now - timedelta(hours=2),
        )
        make_question(
            asker,
            "Members only worry",
            topics=["cyber-security"],
            visibility=Visibility.MEMBERS,
            created_at=now - timedelta(minutes=5),
        )
        make_question(
            asker,
            "Hidden spam question",
            topics=["cyber-security"],
            hidden_at=now,
            created_at=now - timedelta(minutes=4),
        )
        make_answer(chatbots, make_user(make_council("Answerton Council")), helpful_at=now)
        db.session.commit()
        return {"asker": asker, "chatbots": chatbots.id}


def test_the_feed_is_valid_atom_of_public_questions_newest_first(client, asked):
    response = client.get("/feeds/questions.atom")
    parsed = feed_of(response)
    assert [entry.title for entry in parsed.entries] == [
        "Has any council tried chatbots & <bots>?",
        "Phishing drills that worked?",
    ]
    assert parsed.feed.title == "Latest questions \N{EN DASH} Case Board"
    assert parsed.feed.link == "http://localhost/questions"
    first = parsed.entries[0]
    assert first.link.startswith(f"http://localhost/questions/{asked['chatbots']}/")
    assert first.id == f"tag:localhost,2025:questions/{asked['chatbots']}"
    assert first.author == "Feedshire Council"
    assert [tag.term for tag in first.tags] == ["digital-communications"]
    assert "Answered." in first.summary
    assert "<strong>800 calls</strong>" in first.content[0].value
    assert "<script" not in first.content[0].value
    text = response.text
    for secret in ("Members only worry", "Hidden spam question", "Quinn Asker", "quinn@"):
        assert secret not in text
    assert response.last_modified is not None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=cyber-security", ["Phishing drills that worked?"]),
        (
            "topic=cyber-security&topic=digital-communications",
            ["Has any council tried chatbots & <bots>?", "Phishing drills that worked?"],
        ),
        ("topic=smart-places-technology", []),
        (
            "topic=&answered=ignored",
            ["Has any council tried chatbots & <bots>?", "Phishing drills that worked?"],
        ),
    ],
)
def test_the_feed_takes_topics_like_the_list(client, asked, query, expected):
    assert titles(client.get(f"/feeds/questions.atom?{query}")) == expected


def test_a_filtered_feed_names_itself_and_its_list(client, asked):
    parsed = feed_of(client.get("/feeds/questions.atom?topic=cyber-security"))
    assert parsed.feed.title == "Questions: Cyber security \N{EN DASH} Case Board"
    assert parsed.feed.link == "http://localhost/questions?topic=cyber-security"
    selves = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert selves == ["http://localhost/feeds/questions.atom?topic=cyber-security"]


def test_an_unknown_topic_is_refused(client, asked):
    response = client.get("/feeds/questions.atom?topic=no-such-topic")
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert "not a topic" in response.text


def test_an_empty_feed_is_still_valid(client, app):
    parsed = feed_of(client.get("/feeds/questions.atom"))
    assert parsed.entries == []


def test_a_members_session_adds_nothing_and_the_answer_is_shareable(client, asked, sign_in):
    visitors = client.get("/feeds/questions.atom")
    sign_in(asked["asker"])
    response = client.get("/feeds/questions.atom")
    assert response.data == visitors.data
    assert "Members only worry" not in response.text
    assert response.cache_control.public and response.cache_control.s_maxage == 60
    assert "Set-Cookie" not in response.headers
    again = client.get("/feeds/questions.atom", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_feed_costs_the_same_queries_however_many_questions(app, client, asked):
    def statements() -> int:
        seen = []

        def record(conn, cursor, statement, *args):
            seen.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            feed_of(client.get("/feeds/questions.atom"))
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(seen)

    few = statements()
    with app.app_context():
        asker = make_user(make_council("Manyshire Council"))
        for number in range(FEED_SIZE + 5):
            make_question(
                asker, f"Question {number}", topics=["cyber-security", "data-and-research"]
            )
        db.session.commit()
    assert statements() == few <= 3
    assert len(feed_of(client.get("/feeds/questions.atom")).entries) == FEED_SIZE


def test_the_link_tag_points_at_the_feed_for_the_lists_topics(app):
    with app.test_request_context("/questions"):
        unfiltered = render_template_string('{% include "questions/_feed_link.html" %}')
        filtered = render_template_string(
            '{% include "questions/_feed_link.html" %}',
            feed_topics=["cyber-security", "data-and-research"],
        )
    assert 'rel="alternate"' in unfiltered
    assert 'type="application/atom+xml"' in unfiltered
    assert 'href="http://localhost/feeds/questions.atom"' in unfiltered
    assert (
        'href="http://localhost/feeds/questions.atom?topic=cyber-security&amp;topic=data-and-research"'
        in filtered
    )
