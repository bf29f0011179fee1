"""The studies like each published study, chosen when it is published

A study page searched the board's full text for studies like it on every view: on 100,000
studies about 1 ms on SQLite and 2 to 3 ms of PostgreSQL's time, the dearest part of the page.
related_choices holds, for each study chosen for, the ids of those studies as a member and as a
visitor would see them, chosen when the study is published (board/related_choices.py). A study
with no row yet has its related studies searched for as before; `flask related choose` fills
the rows of studies published before this migration.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-27 16:00:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "related_choices",
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("for_members", sa.String(length=200), nullable=False),
        sa.Column("for_visitors", sa.String(length=200), nullable=False),
        sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["study_id"],
            ["case_studies.id"],
            name=op.f("fk_related_choices_study_id_case_studies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("study_id", name=op.f("pk_related_choices")),
    )


def downgrade():
    op.drop_table("related_choices")
