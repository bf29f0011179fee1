"""Administration and people's own accounts: retired councils, deleted accounts, and whether a
person's job title is shown

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 17:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    # Added and dropped in place (SQLite 3.35+ drops columns itself): a batch operation would
    # copy the users and councils tables, which other tables' foreign keys point at.
    op.add_column(
        "users",
        sa.Column("show_job_title", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.add_column("users", sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("councils", sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column("councils", "retired_at")
    op.drop_column("users", "deleted_at")
    op.drop_column("users", "show_job_title")
