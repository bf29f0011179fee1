"""The board's change counter watches a study's language

The board marks each card's title and summary with the language they are written in and
filters by it (``language=cy``), so a study whose ``language`` changes moves the counter, as a
change to any column the board shows does: the case_studies triggers of 0012 are made again
with ``language`` in the list.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-27 04:30:00

"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# The watched columns and trigger names as 0012 made them (copied: a migration stays as it was
# written whatever later code says).
BUMP = "UPDATE board_version SET version = version + 1 WHERE id = 1"
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
    "last_update_at",
]
PG_TRIGGER = "case_studies_board_version"
SQLITE_UPDATE_TRIGGER = "case_studies_board_version_update"


def _watch(columns: list[str]) -> None:
    watched = ", ".join(columns)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON case_studies")
        op.execute(
            f"CREATE TRIGGER {PG_TRIGGER} "
            f"AFTER INSERT OR UPDATE OF {watched} OR DELETE OR TRUNCATE ON case_studies "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_board_version()"
        )
        return
    op.execute(f"DROP TRIGGER IF EXISTS {SQLITE_UPDATE_TRIGGER}")
    op.execute(
        f"CREATE TRIGGER {SQLITE_UPDATE_TRIGGER} AFTER UPDATE OF {watched} ON case_studies "
        f"BEGIN {BUMP}; END"
    )


def upgrade():
    _watch([*WATCHED_COLUMNS, "language"])


def downgrade():
    _watch(WATCHED_COLUMNS)
