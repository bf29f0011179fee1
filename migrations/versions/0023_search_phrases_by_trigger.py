"""search_phrases is set by a trigger when a study's words change, no longer generated

Migration 0022 made search_phrases a stored generated column. PostgreSQL 15 computes such a
column again on every update of a table with row triggers, whatever the update changes: each
"Useful" toggle (an UPDATE of useful_count) read the study's search vector and made its pairs
again, 0.58 -> 1.3-1.7 ms an UPDATE at 100,000 studies.

The column keeps its values, index and statistics and becomes a plain column, set by a BEFORE
trigger that runs after case_studies_search_vector (BEFORE triggers run in the order of their
names) when an update names one of the columns search_vector is made from, or search_vector
itself (the council, topic and name triggers set it by an UPDATE), and only then if the vector
did change. A new study has its pairs made as it is inserted.

SQLite has no such column: nothing changes there.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-28 00:10:00

"""

from alembic import op

# Every name in the SQL below is a constant of this module: nothing comes from outside.
# ruff: noqa: S608

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

PHRASE_COLUMN = "search_phrases"
PHRASE_INDEX = "ix_case_studies_search_phrases"
STATISTICS = 1000
FUNCTION = "case_studies_search_phrases_set()"
# Named to sort after case_studies_search_vector, whose NEW.search_vector they read.
INSERT_TRIGGER = "case_studies_search_vector_phrases_insert"
UPDATE_TRIGGER = "case_studies_search_vector_phrases_update"
# What case_studies_search_vector watches (migration 0016), and search_vector itself.
WATCHED = [
    "search_vector",
    "title",
    "summary",
    "challenge",
    "what_we_tried",
    "what_happened",
    "what_we_learned",
    "what_we_would_do_differently",
    "council_id",
    "status",
    "visibility",
    "language",
]


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE case_studies ALTER COLUMN {PHRASE_COLUMN} DROP EXPRESSION")
    op.execute(
        f"CREATE FUNCTION {FUNCTION} RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"NEW.{PHRASE_COLUMN} := search_phrase_document(NEW.search_vector); "
        "RETURN NEW; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {INSERT_TRIGGER} BEFORE INSERT ON case_studies "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}"
    )
    op.execute(
        f"CREATE TRIGGER {UPDATE_TRIGGER} BEFORE UPDATE OF {', '.join(WATCHED)} "
        "ON case_studies FOR EACH ROW "
        "WHEN (NEW.search_vector IS DISTINCT FROM OLD.search_vector) "
        f"EXECUTE FUNCTION {FUNCTION}"
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP TRIGGER IF EXISTS {UPDATE_TRIGGER} ON case_studies")
    op.execute(f"DROP TRIGGER IF EXISTS {INSERT_TRIGGER} ON case_studies")
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}")
    # PostgreSQL 15 cannot make a column generated again: it is made afresh, as 0022 made it.
    op.execute(f"ALTER TABLE case_studies DROP COLUMN {PHRASE_COLUMN}")
    op.execute(
        f"ALTER TABLE case_studies ADD COLUMN {PHRASE_COLUMN} tsvector "
        "GENERATED ALWAYS AS (search_phrase_document(search_vector)) STORED"
    )
    op.execute(f"CREATE INDEX {PHRASE_INDEX} ON case_studies USING gin ({PHRASE_COLUMN})")
    op.execute(f"ALTER TABLE case_studies ALTER COLUMN {PHRASE_COLUMN} SET STATISTICS {STATISTICS}")
    op.execute(f"ANALYZE case_studies ({PHRASE_COLUMN})")
