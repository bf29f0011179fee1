"""The board's outcome filter ("did not work", alone or with a topic): indexes that find a
study's outcome without reading its row

The board's indexes gave published (and public) studies in order, but not their outcome, so a
filter on the outcome read each candidate study's row from the table to check it. On 100,000
studies, PostgreSQL counted the studies that did not work (up to 1,000) by scanning the whole
table (16 to 45 ms), and those of one topic that did not work by reading thousands of rows
(120 to 170 ms); SQLite read about 3,000 rows for either (3 to 15 ms). With the outcome in
the index, after the status and visibility: newest first, a page is read from the index alone;
in study order, PostgreSQL counts by merging the outcome's studies with the topic's (as it
does for a topic alone, migration 0009): 0.3 ms and under 2 ms.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-27 09:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

PAGES_INDEX = "ix_case_studies_status_visibility_outcome_published_at"
COUNT_INDEX = "ix_case_studies_status_visibility_outcome_id"


def upgrade():
    op.create_index(
        PAGES_INDEX,
        "case_studies",
        ["status", "visibility", "outcome", "published_at", "id"],
        unique=False,
    )
    op.create_index(
        COUNT_INDEX, "case_studies", ["status", "visibility", "outcome", "id"], unique=False
    )


def downgrade():
    op.drop_index(COUNT_INDEX, table_name="case_studies")
    op.drop_index(PAGES_INDEX, table_name="case_studies")
