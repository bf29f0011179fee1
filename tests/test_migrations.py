"""Migrations build the schema the models describe, on SQLite and PostgreSQL alike."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from board.extensions import db
from board.models import AppendOnlyError, ModerationLog, Topic
from board.search import include_in_schema_comparison

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
