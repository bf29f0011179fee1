"""The language questions, answers and notifications are written in

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-27 05:00:00

Like studies and comments (0015): "en" or "cy", so that pages mark their text with its own
``lang``. A question or an answer takes the interface's language when it is written; a
notification the recipient's, in which it was composed. Every existing row is English.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

TABLES = ("questions", "answers", "notifications")


def upgrade():
    for table in TABLES:
        op.add_column(
            table,
            sa.Column("language", sa.String(length=2), nullable=False, server_default="en"),
        )


def downgrade():
    for table in reversed(TABLES):
        op.drop_column(table, "language")
