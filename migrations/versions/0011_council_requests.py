"""Council requests: people whose council is not listed ask for it to be added

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 17:15:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "council_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=True),
        sa.Column("council_name", sa.String(length=160), nullable=False),
        sa.Column("website", sa.String(length=255), nullable=False),
        sa.Column("requester_role", sa.String(length=120), nullable=False),
        sa.Column("email_domain", sa.String(length=253), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "waiting",
                "approved",
                "declined",
                name="council_request_status",
                native_enum=False,
                create_constraint=True,
                length=8,
            ),
            nullable=False,
        ),
        sa.Column("decline_reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["users.id"],
            name=op.f("fk_council_requests_requester_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_council_requests_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_council_requests_council_id_councils"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_requests")),
    )
    op.create_index(
        op.f("ix_council_requests_requester_id"), "council_requests", ["requester_id"]
    )
    op.create_index(op.f("ix_council_requests_status"), "council_requests", ["status"])


def downgrade():
    op.drop_index(op.f("ix_council_requests_status"), table_name="council_requests")
    op.drop_index(op.f("ix_council_requests_requester_id"), table_name="council_requests")
    op.drop_table("council_requests")
