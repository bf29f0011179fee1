"""Full-text search over case studies, board indexes and the board's change counter

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 02:10:00

The search index follows the case_studies table by itself, whatever code changes a study:

- SQLite: an external-content FTS5 table (it stores only the index, the text stays in
  case_studies) kept in step by INSERT, UPDATE and DELETE triggers. The update trigger fires only
  when a searched column changes, so reactions (useful_count) do not rewrite the index.
- PostgreSQL: a stored generated tsvector column, which PostgreSQL recomputes on every insert and
  update, with a GIN index on it.

Neither object is in the models (they are not ORM data); board/search.py names them, and
migrations/env.py and tests/test_migrations.py leave them out of the models-vs-database check.

The board_version table holds one counter, which triggers add one to whenever a statement changes
case studies, their topics, councils or topics. The board's results cache keys its entries by it
(board/browse/cache.py): a cached page can never be older than the data, in any process.

Two ordinary indexes serve the board's counts, deep pages and "most useful" order (declared in
board/browse/queries.py).

Careful on SQLite: a later migration that rebuilds case_studies (or another table named in
VERSIONED_TABLES) with batch_alter_table drops the triggers with the old table. Such a migration
must make them again (tests/browse/test_search.py checks they exist after the last migration).
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FTS_TABLE = "case_studies_fts"
# The searched columns, in bm25 weight order (see board/search.py).
COLUMNS = [
    "title",
    "summary",
    "challenge",
    "what_we_tried",
    "what_happened",
    "what_we_learned",
    "what_we_would_do_differently",
]
TRIGGERS = ["case_studies_fts_insert", "case_studies_fts_delete", "case_studies_fts_update"]

PG_COLUMN = "search_vector"
PG_INDEX = "ix_case_studies_search_vector"
# Title counts most (A), then the summary (B), then the five sections (C).
PG_EXPRESSION = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, "
    "coalesce(challenge, '') || ' ' || coalesce(what_we_tried, '') || ' ' || "
    "coalesce(what_happened, '') || ' ' || coalesce(what_we_learned, '') || ' ' || "
    "coalesce(what_we_would_do_differently, '')), 'C')"
)


# What the board shows comes from these tables; any change to them moves the counter on.
VERSIONED_TABLES = ["case_studies", "case_study_topics", "councils", "topics"]
BUMP = "UPDATE board_version SET version = version + 1 WHERE id = 1"

BOARD_INDEXES = {
    "ix_case_studies_status_visibility_published_at": [
        "status",
        "visibility",
        "published_at",
        "id",
    ],
    "ix_case_studies_status_useful_count_published_at": [
        "status",
        "useful_count",
        "published_at",
        "id",
    ],
}


def upgrade():
    for name, columns in BOARD_INDEXES.items():
        op.create_index(name, "case_studies", columns, unique=False)
    create_board_version()
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE case_studies ADD COLUMN {PG_COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({PG_EXPRESSION}) STORED"
        )
        op.execute(f"CREATE INDEX {PG_INDEX} ON case_studies USING gin ({PG_COLUMN})")
        return
    columns = ", ".join(COLUMNS)
    op.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({columns}, content='case_studies', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
    )
    create_sqlite_triggers()
    # Index the studies that already exist.
    op.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")  # noqa: S608


def create_sqlite_triggers():
    columns = ", ".join(COLUMNS)
    new_values = ", ".join(f"new.{column}" for column in COLUMNS)
    old_values = ", ".join(f"old.{column}" for column in COLUMNS)
    # Every name here is a constant of this module: nothing comes from outside.
    insert_new = f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {new_values});"  # noqa: S608
    # An external-content index forgets a row when told the values it indexed.
    delete_old = (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) "  # noqa: S608
        f"VALUES ('delete', old.id, {old_values});"
    )
    op.execute(
        "CREATE TRIGGER case_studies_fts_insert AFTER INSERT ON case_studies "
        f"BEGIN {insert_new} END"
    )
    op.execute(
        "CREATE TRIGGER case_studies_fts_delete AFTER DELETE ON case_studies "
        f"BEGIN {delete_old} END"
    )
    op.execute(
        f"CREATE TRIGGER case_studies_fts_update AFTER UPDATE OF {columns} ON case_studies "
        f"BEGIN {delete_old} {insert_new} END"
    )


def create_board_version():
    board_version = op.create_table(
        "board_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_version")),
    )
    op.bulk_insert(board_version, [{"id": 1, "version": 0}])
    if op.get_bind().dialect.name == "postgresql":
        # Once per statement: a bulk change moves the counter once.
        op.execute(
            "CREATE FUNCTION bump_board_version() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
        )
        for table in VERSIONED_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_board_version "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION bump_board_version()"
            )
        return
    # SQLite has row triggers only.
    for table in VERSIONED_TABLES:
        for event in ("insert", "update", "delete"):
            op.execute(
                f"CREATE TRIGGER {table}_board_version_{event} AFTER {event.upper()} ON {table} "
                f"BEGIN {BUMP}; END"
            )


def drop_board_version():
    if op.get_bind().dialect.name == "postgresql":
        for table in VERSIONED_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_board_version ON {table}")
        op.execute("DROP FUNCTION IF EXISTS bump_board_version()")
    else:
        for table in VERSIONED_TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_board_version_{event}")
    op.drop_table("board_version")


def downgrade():
    drop_board_version()
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        op.execute(f"ALTER TABLE case_studies DROP COLUMN IF EXISTS {PG_COLUMN}")
    else:
        for trigger in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    for name in BOARD_INDEXES:
        op.drop_index(name, table_name="case_studies")
