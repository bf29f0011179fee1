"""What board/related.py keeps per process: each word's count on SQLite (a statistic, kept for a
while), and the study page's five under the board's change counter (never older than it)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from board import related
from board.extensions import db
from board.models import CaseStudy, Visibility
from board.related import related_studies, related_to_study
from tests.factories import make_council, make_study
from tests.related.test_related import (
    CHATBOT,
    CHATBOT_SUMMARY,
    chatbot_study,
    section,
    statements_of,
)


def page_statements(app, client, page: str) -> tuple[str, int]:
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(page)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return response.text, len(seen)


def test_sqlite_keeps_each_words_count_for_a_while(app, world):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite counts words in its index")
        chatbot_study(world)
        db.session.commit()
        asked = f"{CHATBOT}\n{CHATBOT_SUMMARY}"
        first, seen = statements_of(lambda: related_studies(asked, [], None))
        assert len(seen) == 2
        # Counted once: the same words again are only ranked.
        again, seen = statements_of(lambda: related_studies(asked, [], None))
        assert len(seen) == 1
        assert again == first
        # One new word: only it is counted.
        _, seen = statements_of(lambda: related_studies(f"{asked} gritting", [], None))
        assert len(seen) == 2
        # Older than PG_STATISTICS_MAX_AGE: counted again.
        kept = app.extensions["related_word_counts"]
        for key, (read_at, count) in list(kept.items()):
            kept[key] = (read_at - related.PG_STATISTICS_MAX_AGE - 1, count)
        _, seen = statements_of(lambda: related_studies(asked, [], None))
        assert len(seen) == 2


def test_a_word_no_study_held_is_found_as_soon_as_one_does(app, world):
    with app.app_context():
        source = chatbot_study(
            world, title="Chatbot for defibrillator maps", topics=["cyber-security"]
        )
        db.session.commit()
        asked = f"{source.title}\n{source.summary}"
        assert related_studies(asked, [], None, source.id) == []
        newer = make_study(
            make_council(), title="Defibrillator maps for villages", topics=["cyber-security"]
        )
        db.session.commit()
        assert [study.id for study in related_studies(asked, [], None, source.id)] == [newer.id]


def test_the_kept_words_are_bounded(app, world, monkeypatch):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite counts words in its index")
        monkeypatch.setattr(related, "WORD_COUNTS_KEPT", 3)
        chatbot_study(world)
        db.session.commit()
        related_studies(f"{CHATBOT}\n{CHATBOT_SUMMARY}", [], None)
        assert len(app.extensions["related_word_counts"]) == 3


def test_the_study_page_keeps_its_five_until_the_board_changes(app, client, world):
    with app.app_context():
        source = chatbot_study(world)
        similar = make_study(
            make_council("Elsewhere Council"), title="Chatbot for council tax bills"
        )
        db.session.commit()
        page = f"/studies/{source.id}/{source.slug}"
        similar_id = similar.id
    html, first = page_statements(app, client, page)
    assert "Chatbot for council tax bills" in section(html)
    # Asked again: the five are kept (the words' counts and the ranking are not read), as are
    # the topics the first page read for the board's counter (board/case_studies/queries.py).
    html_again, again = page_statements(app, client, page)
    assert again == first - 3
    assert html_again.count("Chatbot for council tax bills") == html.count(
        "Chatbot for council tax bills"
    )
    # Any change to a study moves the board's counter: the next page shows it at once.
    with app.app_context():
        db.session.get(CaseStudy, similar_id).title = "Chatbot for council tax arrears"
        db.session.commit()
    html, after_change = page_statements(app, client, page)
    assert "Chatbot for council tax arrears" in section(html)
    assert "Chatbot for council tax bills" not in html
    assert after_change > again


def test_a_study_made_members_only_leaves_a_visitors_kept_five_at_once(app, client, world, as_role):
    with app.app_context():
        source = chatbot_study(world)
        similar = chatbot_study(world, title="Chatbot for council tax bills")
        db.session.commit()
        page = f"/studies/{source.id}/{source.slug}"
        similar_id = similar.id
    assert "Chatbot for council tax bills" in section(client.get(page).text)
    with app.app_context():
        db.session.get(CaseStudy, similar_id).visibility = Visibility.MEMBERS
        db.session.commit()
    html = client.get(page).text
    assert "Chatbot for council tax bills" not in html
    # A member, asking after the visitor, gets the members' five, not the visitor's.
    as_role("outsider")
    assert "Chatbot for council tax bills" in section(client.get(page).text)


def test_kept_fives_are_kept_apart_by_audience(app, world):
    with app.app_context():
        source = chatbot_study(world)
        secret = chatbot_study(
            world, title="Chatbot for council tax secrets", visibility=Visibility.MEMBERS
        )
        db.session.commit()
        member = db.session.merge(world.people.outsider)
        version = 7
        # The member first, then a visitor under the same counter: the visitor's own five.
        assert secret.id in [study.id for study in related_to_study(source, member, version)]
        assert secret.id not in [study.id for study in related_to_study(source, None, version)]
        assert secret.id in [study.id for study in related_to_study(source, member, version)]
        # Kept: asked again under the same counter, nothing is read.
        _, seen = statements_of(lambda: related_to_study(source, None, version))
        assert seen == []
        # Not kept without a counter.
        _, seen = statements_of(lambda: related_to_study(source, None, None))
        assert seen != []


def test_a_renamed_council_shows_at_once(app, client, world):
    with app.app_context():
        source = chatbot_study(world)
        elsewhere = make_council("Elsewhere Council")
        make_study(elsewhere, title="Chatbot for council tax bills")
        db.session.commit()
        page = f"/studies/{source.id}/{source.slug}"
        council_id = elsewhere.id
    assert "Elsewhere Council" in section(client.get(page).text)
    with app.app_context():
        db.session.get(type(elsewhere), council_id).name = "Renamed Council"
        db.session.commit()
    related_html = section(client.get(page).text)
    assert "Renamed Council" in related_html
    assert "Elsewhere Council" not in related_html


def test_sqlite_builds_one_statement_for_each_shape_and_each_finds_its_own(app, world):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's statements are built once for each shape")
        council = make_council("Elsewhere Council")
        gritting = make_study(council, title="Gritting routes planned from sensor data")
        chatbot = chatbot_study(world)
        secret = chatbot_study(
            world, title="Chatbot for council tax secrets", visibility=Visibility.MEMBERS
        )
        db.session.commit()
        member = db.session.merge(world.people.outsider)
        related._SQLITE_STATEMENTS.clear()
        found_gritting = related_studies("Gritting routes", [], None)
        found_chatbot = related_studies(CHATBOT, [], None)
        # The same shape, one statement: each search still finds its own words.
        assert len(related._SQLITE_STATEMENTS) == 1
        assert [study.id for study in found_gritting] == [gritting.id]
        assert found_chatbot[0].id == chatbot.id
        # A visitor never gets the members' statement, nor a member the visitors'.
        assert secret.id not in [study.id for study in found_chatbot]
        assert secret.id in [study.id for study in related_studies(CHATBOT, [], member)]
        assert len(related._SQLITE_STATEMENTS) == 2
        # Leaving a study out is a parameter too.
        left_out = related_studies(CHATBOT, [], None, exclude_study_id=chatbot.id)
        assert chatbot.id not in [study.id for study in left_out]
