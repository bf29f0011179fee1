"""Migrations build the schema the models describe, on SQLite and PostgreSQL alike."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from board.extensions import db
from board.models import AppendOnlyError, ModerationLog, Topic
from board.search import (
    PG_PHRASE_TRIGGERS,
    PG_TRIGGERS,
    SQLITE_WORDS_TRIGGERS,
    include_in_schema_comparison,
)

TOPIC_SLUGS = [
    "digital-inclusion-and-connectivity",
    "smart-places-technology",
    "digital-communications",
    "data-and-research",
    "cyber-security",
    "digital-in-social-care",
    "digital-political-leadership",
]


def test_migrated_schema_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        # The search index (FTS5 table or tsvector column) is made by the migration alone.
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_name": include_in_schema_comparison},
        )
        assert compare_metadata(context, db.metadata) == []


def test_seven_topics_are_seeded_in_order(app):
    with app.app_context():
        topics = db.session.scalars(db.select(Topic).order_by(Topic.position)).all()
        assert [topic.slug for topic in topics] == TOPIC_SLUGS
        assert topics[5].name == "Digital in social care and shielding vulnerable people"
        assert all(topic.description for topic in topics)


def test_migrations_downgrade_to_empty_and_upgrade_again(app):
    from flask_migrate import downgrade, upgrade

    with app.app_context():
        downgrade(revision="base")
        with db.engine.connect() as connection:
            tables = db.inspect(connection).get_table_names()
        assert set(tables) <= {"alembic_version"}
        upgrade()
        assert db.session.scalar(db.select(db.func.count()).select_from(Topic)) == 7


def _log_row(app) -> int:
    with app.app_context():
        row = ModerationLog(action="test", target_type="user", target_id=1, reason="because")
        db.session.add(row)
        db.session.commit()
        return row.id


def test_moderation_log_refuses_edits_through_the_orm(app):
    row_id = _log_row(app)
    with app.app_context():
        row = db.session.get(ModerationLog, row_id)
        row.reason = "rewritten"
        with pytest.raises(AppendOnlyError):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(ModerationLog, row_id))
        with pytest.raises(AppendOnlyError):
            db.session.flush()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE moderation_log SET reason = 'rewritten'", "DELETE FROM moderation_log"],
)
def test_moderation_log_refuses_edits_in_the_database(app, statement):
    _log_row(app)
    with app.app_context():
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
        assert db.session.scalar(db.select(ModerationLog.reason)) == "because"


# Migration 0019's trigger on case_studies: it copies a study's status and visibility to its
# rows of case_study_topics.
TOPICS_STUDY_STATE_TRIGGER = "case_studies_topics_study_state"


def _case_study_triggers(connection) -> set[str]:
    if connection.dialect.name == "sqlite":
        query = (
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'case_studies'"
        )
    else:
        query = (
            "SELECT tgname FROM pg_trigger "
            "WHERE tgrelid = 'case_studies'::regclass AND NOT tgisinternal"
        )
    return set(connection.execute(text(query)).scalars())


def test_stored_html_columns_come_and_go_without_touching_rows_or_triggers(app):
    """0007 adds the HTML columns empty (pages render those rows until the rerender command
    runs) and its downgrade drops them in place, keeping the search and change triggers."""
    from flask_migrate import downgrade, upgrade

    from tests.factories import make_comment, make_council, make_study

    with app.app_context():
        study = make_study(make_council(), what_we_learned="Start **small**.")
        make_comment(study.id, study.author, body="A *comment*")
        db.session.commit()
        study_id = study.id
        with db.engine.connect() as connection:
            triggers = _case_study_triggers(connection)
        assert triggers

        downgrade(revision="0006")
        with db.engine.connect() as connection:
            columns = {column["name"] for column in db.inspect(connection).get_columns("comments")}
            assert "body_html" not in columns and "markdown_version" not in columns
            # Less the triggers that 0014 made (board.search.PG_TRIGGERS on PostgreSQL, and
            # SQLITE_WORDS_TRIGGERS on SQLite), the one of 0019 that copies a study's status
            # and visibility to its topics, and 0023's that set search_phrases.
            made_later = set(PG_TRIGGERS) | set(SQLITE_WORDS_TRIGGERS) | set(PG_PHRASE_TRIGGERS)
            made_later.add(TOPICS_STUDY_STATE_TRIGGER)
            assert _case_study_triggers(connection) == triggers - made_later
            assert connection.execute(text("SELECT body FROM comments")).scalar() == "A *comment*"

        upgrade()
        with db.engine.connect() as connection:
            assert _case_study_triggers(connection) == triggers
            assert connection.execute(
                text(
                    "SELECT what_we_learned, what_we_learned_html, markdown_version "
                    "FROM case_studies WHERE id = :id"
                ),
                {"id": study_id},
            ).one() == ("Start **small**.", None, None)
            assert connection.execute(
                text("SELECT body_html, markdown_version FROM comments")
            ).one() == (None, None)


def test_welsh_search_comes_and_goes_with_0016(app):
    """0016 indexes a Welsh study unstemmed and watches its language; its downgrade puts the
    study back in the English index as 0014 had it, and leaves every trigger's name as it was."""
    from flask_migrate import downgrade, upgrade

    from board import search
    from tests.factories import make_council, make_study

    def found(word: str) -> bool:
        with app.app_context():
            groups = search.plan_search(word)
            dialect = db.engine.dialect.name
            query = search.matching_studies_query(word, None, dialect, groups=groups)
            return bool(db.session.execute(query).all())

    def bumps_on_a_language_change() -> bool:
        with app.app_context():
            before = db.session.scalar(text("SELECT version FROM board_version"))
            db.session.execute(text("UPDATE case_studies SET language = language"))
            db.session.commit()
            return db.session.scalar(text("SELECT version FROM board_version")) > before

    with app.app_context():
        make_study(make_council(), language="cy", title="Merched yn codio")
        db.session.commit()
        with db.engine.connect() as connection:
            triggers = _case_study_triggers(connection)
    assert found("merched") and not found("merch")
    assert bumps_on_a_language_change()
    try:
        with app.app_context():
            downgrade(revision="0015")
            with db.engine.connect() as connection:
                made_later = {TOPICS_STUDY_STATE_TRIGGER, *PG_PHRASE_TRIGGERS}
                assert _case_study_triggers(connection) == triggers - made_later
                tables = db.inspect(connection).get_table_names()
                assert search.WELSH_FTS_TABLE not in tables
        # Stemmed as English again, as before 0016.
        with app.app_context():
            if db.engine.dialect.name == "sqlite":
                stemmed = text(
                    "SELECT count(*) FROM case_studies_fts WHERE case_studies_fts MATCH 'merch'"
                )
            else:
                stemmed = text(
                    "SELECT count(*) FROM case_studies "
                    "WHERE search_vector @@ to_tsquery('simple', 'merch')"
                )
            assert db.session.scalar(stemmed) == 1
        assert not bumps_on_a_language_change()
    finally:
        with app.app_context():
            upgrade()
    with app.app_context(), db.engine.connect() as connection:
        assert _case_study_triggers(connection) == triggers
    assert found("merched") and not found("merch")
    assert bumps_on_a_language_change()


def test_0021_gives_its_indexes_statistics_where_the_others_have_them(app):
    """SQLite's planner takes an index without statistics for a very selective one: beside
    indexes that ANALYZE has measured, the language indexes were chosen for the whole board
    (80 to 260 ms a page at 100,000 studies). A database never analysed is left so."""
    from flask_migrate import downgrade, upgrade

    from tests.factories import make_council, make_study

    def statistics() -> dict | None:
        with db.engine.connect() as connection:
            if not connection.scalar(
                text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            ):
                return None
            rows = connection.execute(text("SELECT idx, stat FROM sqlite_stat1"))
            return {index: stat for index, stat in rows}

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL keeps statistics on columns, which a new index does not need")
        make_study(make_council(), language="cy")
        db.session.commit()
        try:
            downgrade(revision="0020")
            upgrade()
            assert statistics() is None

            downgrade(revision="0020")
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            assert "ix_case_studies_status_visibility_published_at" in statistics()
            assert "ix_case_studies_status_language_published_at" not in statistics()
            upgrade()
            measured = statistics()
            assert measured["ix_case_studies_status_language_published_at"].startswith("1 1 1")
            assert measured["ix_case_studies_status_language_useful_count"].startswith("1 1 1")
        finally:
            upgrade()


def test_0023_sets_search_phrases_by_trigger_and_goes_back_to_a_generated_column(app):
    """0023 makes search_phrases a plain column kept by triggers, keeping each study's pairs;
    its downgrade makes it generated again, as 0022 had it, with the same pairs and index."""
    from flask_migrate import downgrade, upgrade

    from tests.factories import make_council, make_study

    def generated() -> str:
        return db.session.scalar(
            text(
                "SELECT attgenerated FROM pg_attribute "
                "WHERE attrelid = 'case_studies'::regclass AND attname = 'search_phrases'"
            )
        )

    def out_of_step() -> int:
        """Studies whose pairs are not those of their search vector."""
        return db.session.scalar(
            text(
                "SELECT count(*) FROM case_studies WHERE search_phrases "
                "IS DISTINCT FROM search_phrase_document(search_vector)"
            )
        )

    def found() -> int:
        return db.session.scalar(
            text(
                "SELECT count(*) FROM case_studies "
                "WHERE search_phrases @@ search_phrase_query('english', 'care at home')"
            )
        )

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("search_phrases is PostgreSQL's")
        make_study(make_council(), title="Care at home by tablet")
        db.session.commit()
        assert generated() == "" and found() == 1
        with db.engine.connect() as connection:
            triggers = _case_study_triggers(connection)
        assert set(PG_PHRASE_TRIGGERS) <= triggers
        db.session.remove()
        try:
            downgrade(revision="0022")
            assert generated() == "s" and found() == 1 and out_of_step() == 0
            with db.engine.connect() as connection:
                assert _case_study_triggers(connection) == triggers - set(PG_PHRASE_TRIGGERS)
            db.session.remove()
        finally:
            upgrade()
        assert generated() == "" and found() == 1 and out_of_step() == 0
        with db.engine.connect() as connection:
            assert _case_study_triggers(connection) == triggers
