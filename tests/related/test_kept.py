"""What board/related.py keeps per process: each word's count on SQLite (a statistic, kept for a
while), and the study page's five under the board's change counter (never older than it)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from board import related
from board.extensions import db
from board.models import CaseStudy, Visibility
from board.models.board_version import BOARD_VERSION_ID, BoardVersion
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
        monkeypatch.setattr(related, "WORD_COUNTS_KEPT", 3)
        chatbot_study(world)
        db.session.commit()
        related_studies(f"{CHATBOT}\n{CHATBOT_SUMMARY}", [], None)
        kept = "related_word_counts" if db.engine.dialect.name == "sqlite" else "related_lexemes"
        assert len(app.extensions[kept]) == 3


def statements_and_parameters(call) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return seen


def board_version() -> int:
    return db.session.get(BoardVersion, BOARD_VERSION_ID).version


def test_postgresql_looks_up_only_the_words_it_has_not_seen(app, world):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL keeps each word's lexemes")
        chatbot_study(world)
        db.session.commit()
        version = board_version()
        asked = f"{CHATBOT}\n{CHATBOT_SUMMARY}"
        first, seen = statements_of(lambda: related_studies(asked, [], None, None, version))
        assert len(seen) == 2
        # The same words under the same counter: only the candidates are read.
        again, seen = statements_of(lambda: related_studies(asked, [], None, None, version))
        assert len(seen) == 1
        assert again == first
        # One new word: only it is looked up.
        seen = statements_and_parameters(
            lambda: related_studies(f"{asked} gritting", [], None, None, version)
        )
        assert len(seen) == 2
        assert seen[0][1]["words"] == ["gritting"]
        # Without a counter, the newest id is read each time (the words are not).
        seen = statements_and_parameters(lambda: related_studies(asked, [], None))
        assert len(seen) == 2
        assert seen[0][1]["words"] == []


def test_postgresql_reads_the_newest_id_again_when_the_counter_moves(app, world, monkeypatch):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL keeps the newest id under the board's counter")
        # Every word among the newest studies only, and at most 2 of them.
        monkeypatch.setattr(related, "PG_ROWS_READ", 0)
        monkeypatch.setattr(related, "PG_NEWEST_STUDIES", 2)
        older = chatbot_study(world, title="Chatbot number 1")
        db.session.commit()
        db.session.execute(text("ANALYZE case_studies"))
        version = board_version()
        seen = statements_and_parameters(lambda: related_studies(CHATBOT, [], None, None, version))
        assert f"case_studies.id > {older.id - 2} " in seen[-1][0]
        newer = chatbot_study(world, title="Chatbot number 2")
        db.session.commit()
        assert board_version() != version
        # Under the old counter the kept id is used (a request that read it before the study
        # was added): the range only starts earlier, and the new study is still in it.
        seen = statements_and_parameters(lambda: related_studies(CHATBOT, [], None, None, version))
        assert len(seen) == 1
        assert f"case_studies.id > {older.id - 2} " in seen[0][0]
        # The new counter reads the newest id again.
        found = []
        moved = board_version()
        seen = statements_and_parameters(
            lambda: found.extend(related_studies(CHATBOT, [], None, None, moved))
        )
        assert len(seen) == 2
        assert f"case_studies.id > {newer.id - 2} " in seen[-1][0]
        assert [study.id for study in found] == [newer.id, older.id]


def test_postgresql_writes_each_searchs_words_into_its_sql(app, world):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL plans for the words")
        council = make_council("Elsewhere Council")
        gritting = make_study(council, title="Gritting routes planned from sensor data")
        chatbot = chatbot_study(world)
        db.session.commit()
        related._POSTGRESQL_STATEMENTS.clear()
        found: dict[str, list[int]] = {}

        def ask(words: str):
            found[words] = [study.id for study in related_studies(words, [], None)]

        gritting_sql = statements_and_parameters(lambda: ask("Gritting routes"))[-1]
        chatbot_sql = statements_and_parameters(lambda: ask("Chatbot"))[-1]
        assert found == {"Gritting routes": [gritting.id], "Chatbot": [chatbot.id]}
        # One statement built for both; each run's words are in its own text, and nothing is
        # left as a parameter that a prepared statement could plan for any value.
        assert len(related._POSTGRESQL_STATEMENTS) == 1
        assert gritting_sql[0] != chatbot_sql[0]
        assert "'gritting | routes'" in gritting_sql[0]
        assert "'chatbot'" in chatbot_sql[0]
        assert not gritting_sql[1]
        assert not chatbot_sql[1]


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


def test_one_statement_for_each_shape_and_each_finds_its_own(app, world):
    with app.app_context():
        built = (
            related._SQLITE_STATEMENTS
            if db.engine.dialect.name == "sqlite"
            else related._POSTGRESQL_STATEMENTS
        )
        council = make_council("Elsewhere Council")
        gritting = make_study(council, title="Gritting routes planned from sensor data")
        chatbot = chatbot_study(world)
        secret = chatbot_study(
            world, title="Chatbot for council tax secrets", visibility=Visibility.MEMBERS
        )
        db.session.commit()
        member = db.session.merge(world.people.outsider)
        built.clear()
        found_gritting = related_studies("Gritting routes", [], None)
        found_chatbot = related_studies(CHATBOT, [], None)
        # The same shape, one statement: each search still finds its own words.
        assert len(built) == 1
        assert [study.id for study in found_gritting] == [gritting.id]
        assert found_chatbot[0].id == chatbot.id
        # A visitor never gets the members' statement, nor a member the visitors'.
        assert secret.id not in [study.id for study in found_chatbot]
        assert secret.id in [study.id for study in related_studies(CHATBOT, [], member)]
        assert secret.id not in [study.id for study in related_studies(CHATBOT, [], None)]
        assert len(built) == 2
        # Leaving a study out is a parameter too.
        left_out = related_studies(CHATBOT, [], None, exclude_study_id=chatbot.id)
        assert chatbot.id not in [study.id for study in left_out]
