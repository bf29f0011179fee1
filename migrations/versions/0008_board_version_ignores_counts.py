"""The board's change counter ignores reaction counts

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 14:20:00

Migration 0003 moves the board's change counter on whenever any statement changes case_studies.
Every "Useful" mark changes ``useful_count`` (and, until now, ``updated_at``), so each one threw
away every cached block of the board. This revision replaces the case_studies triggers with ones
that watch the columns by name: an UPDATE that sets only ``useful_count`` and ``updated_at``
leaves the counter where it was. Inserts and deletes (and, on PostgreSQL, TRUNCATE) still move
it, as do the triggers on case_study_topics, councils and topics, which are not touched here.

``useful_count`` is shown on result cards and orders "most useful"; the results cache lets those
lag by at most BOARD_CACHE_MAX_AGE instead (board/browse/cache.py says why that is safe).
``updated_at`` is not shown on the board. Every other column is watched, so a study published,
edited, unpublished or made members-only still moves the counter in the same transaction.

WATCHED_COLUMNS lists the columns of case_studies as of revision 0006 (the PostgreSQL
``search_vector`` is generated from watched columns and cannot be set). A column added later is
not watched until a migration adds it here: tests/browse/test_cache_under_writes.py fails until
each column is either watched or named as one the board does not show.

PostgreSQL fires a column-list trigger when a listed column is in the UPDATE's SET list, SQLite
likewise; the ORM sets only the attributes that changed. The triggers are dropped and made
again in place: no table is rebuilt (on SQLite batch_alter_table would drop the full-text
triggers of 0003 with the old table).
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BUMP = "UPDATE board_version SET version = version + 1 WHERE id = 1"
# Every column of case_studies except useful_count and updated_at.
WATCHED_COLUMNS = [
    "id",
    "title",
    "summary",
    "council_id",
    "author_id",
    "outcome",
    "challenge",
    "what_we_tried",
    "what_happened",
    "what_we_learned",
    "what_we_would_do_differently",
    "started_on",
    "ended_on",
    "cost_band",
    "visibility",
    "status",
    "decision_note",
    "created_at",
    "submitted_at",
    "published_at",
]

# The names 0003 gave the triggers, kept so that its downgrade still finds them.
PG_TRIGGER = "case_studies_board_version"
SQLITE_UPDATE_TRIGGER = "case_studies_board_version_update"


def upgrade():
    watched = ", ".join(WATCHED_COLUMNS)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON case_studies")
        # Once per statement, as before; the function bump_board_version() is 0003's.
        op.execute(
            f"CREATE TRIGGER {PG_TRIGGER} "
            f"AFTER INSERT OR UPDATE OF {watched} OR DELETE OR TRUNCATE ON case_studies "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_board_version()"
        )
        return
    # SQLite: only the update trigger changes; the insert and delete ones stay.
    op.execute(f"DROP TRIGGER IF EXISTS {SQLITE_UPDATE_TRIGGER}")
    op.execute(
        f"CREATE TRIGGER {SQLITE_UPDATE_TRIGGER} AFTER UPDATE OF {watched} ON case_studies "
        f"BEGIN {BUMP}; END"
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON case_studies")
        op.execute(
            f"CREATE TRIGGER {PG_TRIGGER} "
            "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON case_studies "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_board_version()"
        )
        return
    op.execute(f"DROP TRIGGER IF EXISTS {SQLITE_UPDATE_TRIGGER}")
    op.execute(
        f"CREATE TRIGGER {SQLITE_UPDATE_TRIGGER} AFTER UPDATE ON case_studies BEGIN {BUMP}; END"
    )
