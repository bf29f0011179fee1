"""The board's topic filter: an index of studies by topic

The primary key of case_study_topics leads with the study, which answers "the topics of these
studies" (the result cards). Filtering the board by a topic asks the other way round, "the
studies with this topic", and without an index in that order PostgreSQL read the whole table
for it (see board/browse/queries.py).

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-26 14:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None

INDEX = "ix_case_study_topics_topic_id_case_study_id"


def upgrade():
    op.create_index(INDEX, "case_study_topics", ["topic_id", "case_study_id"], unique=False)


def downgrade():
    op.drop_index(INDEX, table_name="case_study_topics")
