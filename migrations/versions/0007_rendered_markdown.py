"""Rendered Markdown stored beside its source

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 14:30:00

Each Markdown column of studies, revisions and comments gets a ``<column>_html`` column for its
sanitised HTML, and each row a ``markdown_version``: the board.sanitize.SANITIZER_VERSION that
HTML was made under (board/rendering.py).

Existing rows are left with both null rather than rendered here. A row without current HTML is
rendered afresh whenever it is shown, as every row was before this revision, so nothing is
wrong in the meantime; ``flask --app wsgi markdown rerender`` then fills them in batches,
committing as it goes, while the service runs. Rendering inside the migration would hold one
transaction (and its locks on case_studies) for minutes on a large board, and would tie a
schema change to whatever renderer the code has on the day it runs.

Columns are added and dropped directly, not with batch_alter_table: on SQLite, batch mode
recreates case_studies and would drop the full-text and board_version triggers of 0003.
SQLite has dropped columns in place since 3.35.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SECTIONS = (
    "challenge",
    "what_we_tried",
    "what_happened",
    "what_we_learned",
    "what_we_would_do_differently",
)
HTML_COLUMNS = {
    "case_studies": [f"{section}_html" for section in SECTIONS],
    "study_revisions": [f"{section}_html" for section in SECTIONS],
    "comments": ["body_html"],
}


def upgrade():
    for table, columns in HTML_COLUMNS.items():
        for column in columns:
            op.add_column(table, sa.Column(column, sa.Text(), nullable=True))
        op.add_column(table, sa.Column("markdown_version", sa.String(length=16), nullable=True))


def downgrade():
    for table, columns in HTML_COLUMNS.items():
        op.drop_column(table, "markdown_version")
        for column in reversed(columns):
            op.drop_column(table, column)
