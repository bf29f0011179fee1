"""The board's language filter ("language=cy"): indexes that find a study's language without
reading its row

No index held a study's language, so filtering on it walked the published studies in the
board's order and read each one's row to check it. While few studies are in Welsh, a Welsh
board read every published study twice, once to count them and once for the page: on 100,000
studies (none in Welsh) 100 to 180 ms for each on SQLite, and on PostgreSQL a scan of the
whole table for each (250 to 470 ms). With the language after the status, and the visibility
last so that visitors' studies are checked in the index: newest first and most useful first,
the count and the page are read from an index alone, under 0.3 ms on either database.

On SQLite the planner judges an index by the statistics ANALYZE left in sqlite_stat1, and
takes an index without any for a very selective one: where the other indexes have statistics,
new ones without them were chosen for the whole board (on 100,000 studies, members' unfiltered
page went from 0.3 ms to 80 ms, "most useful" to 100 ms, a member's outcome filter to 260 ms).
So where statistics exist, the new indexes get theirs at once. PostgreSQL keeps statistics on
columns, not on plain indexes: nothing to do.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-27 20:30:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

NEWEST_INDEX = "ix_case_studies_status_language_published_at"
USEFUL_INDEX = "ix_case_studies_status_language_useful_count"


def upgrade():
    op.create_index(
        NEWEST_INDEX,
        "case_studies",
        ["status", "language", "published_at", "id", "visibility"],
        unique=False,
    )
    op.create_index(
        USEFUL_INDEX,
        "case_studies",
        ["status", "language", "useful_count", "published_at", "id", "visibility"],
        unique=False,
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and _has_statistics(bind):
        op.execute(f"ANALYZE {NEWEST_INDEX}")
        op.execute(f"ANALYZE {USEFUL_INDEX}")


def downgrade():
    op.drop_index(USEFUL_INDEX, table_name="case_studies")
    op.drop_index(NEWEST_INDEX, table_name="case_studies")


def _has_statistics(bind) -> bool:
    """Whether ANALYZE has ever run on this SQLite database (it makes sqlite_stat1). One that
    never ran it has no statistics for any index, and is left so."""
    return (
        bind.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
        ).first()
        is not None
    )
