"""Follows, digests, study updates and follow-up prompts

A study's latest approved update (``case_studies.last_update_at``) is shown on the board and
sorts "recently updated", so the board's change counter watches it: the case_studies triggers
of 0008 are made again with it in the list.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 20:14:23.263565

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


# The watched columns and trigger names as 0008 made them (copied: a migration stays as it was
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
    op.create_table(
        "follow_up_prompts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "six-months",
                "end-passed",
                "snoozed",
                name="follow_up_reason",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.String(length=16), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["users.id"],
            name=op.f("fk_follow_up_prompts_answered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["study_id"],
            ["case_studies.id"],
            name=op.f("fk_follow_up_prompts_study_id_case_studies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_prompts")),
        sa.UniqueConstraint("study_id", "reason", "due_at", name="uq_follow_up_prompts_study_id"),
    )
    with op.batch_alter_table("follow_up_prompts", schema=None) as batch_op:
        batch_op.create_index("ix_follow_up_prompts_due", ["sent_at", "due_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_follow_up_prompts_study_id"), ["study_id"], unique=False
        )

    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "topic",
                "council",
                "study",
                "search",
                name="follow_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("target", sa.String(length=600), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("council_id", sa.Integer(), nullable=True),
        sa.Column("study_id", sa.Integer(), nullable=True),
        sa.Column("query", sa.String(length=500), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_follows_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["study_id"],
            ["case_studies.id"],
            name=op.f("fk_follows_study_id_case_studies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topics.id"], name=op.f("fk_follows_topic_id_topics"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_follows_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follows")),
        sa.UniqueConstraint("user_id", "target", name="uq_follows_user_id_target"),
    )
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follows_council_id"), ["council_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follows_study_id"), ["study_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follows_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "study_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column(
            "new_outcome",
            sa.Enum(
                "worked",
                "partly-worked",
                "did-not-work",
                "ongoing",
                name="update_new_outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "previous_outcome",
            sa.Enum(
                "worked",
                "partly-worked",
                "did-not-work",
                "ongoing",
                name="update_previous_outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "changes-requested",
                "rejected",
                "approved",
                "withdrawn",
                name="update_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("markdown_version", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_study_updates_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["study_id"],
            ["case_studies.id"],
            name=op.f("fk_study_updates_study_id_case_studies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_updates")),
    )
    with op.batch_alter_table("study_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_updates_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            "ix_study_updates_status_published_at", ["status", "published_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_study_updates_study_id"), ["study_id"], unique=False)

    # One open update a study (waiting for review, or sent back for changes).
    op.create_index(
        "uq_study_updates_one_open",
        "study_updates",
        ["study_id"],
        unique=True,
        sqlite_where=sa.text("status IN ('submitted', 'changes-requested')"),
        postgresql_where=sa.text("status IN ('submitted', 'changes-requested')"),
    )
    # The digests read the comments made in a window.
    op.create_index("ix_comments_created_at", "comments", ["created_at"])
    # Added in place (a batch operation would copy case_studies, users and outbox_messages, and
    # on SQLite drop the full-text triggers of 0003 with the old case_studies table).
    op.add_column("case_studies", sa.Column("last_update_at", sa.DateTime(timezone=True)))
    op.create_index(
        "ix_case_studies_status_last_update_at", "case_studies", ["status", "last_update_at"]
    )
    op.add_column("outbox_messages", sa.Column("headers", sa.JSON(), nullable=True))
    # A plain column here, its CHECK added where ALTER TABLE can add one: SQLite cannot add a
    # constraint to an existing table without copying it (the model still refuses other values).
    op.add_column(
        "users",
        sa.Column("digest_frequency", sa.String(length=6), server_default="weekly", nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_check_constraint(
            "ck_users_digest_frequency", "users", "digest_frequency IN ('daily', 'weekly', 'none')"
        )
    op.add_column("users", sa.Column("digest_period", sa.String(length=16), nullable=True))
    op.add_column(
        "users", sa.Column("digest_covered_until", sa.DateTime(timezone=True), nullable=True)
    )
    _watch([*WATCHED_COLUMNS, "last_update_at"])


def downgrade():
    op.drop_index("ix_comments_created_at", table_name="comments")
    op.drop_index("uq_study_updates_one_open", table_name="study_updates")
    _watch(WATCHED_COLUMNS)
    op.drop_column("users", "digest_covered_until")
    op.drop_column("users", "digest_period")
    op.drop_column("users", "digest_frequency")
    op.drop_column("outbox_messages", "headers")
    op.drop_index("ix_case_studies_status_last_update_at", table_name="case_studies")
    op.drop_column("case_studies", "last_update_at")
    with op.batch_alter_table("study_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_updates_study_id"))
        batch_op.drop_index("ix_study_updates_status_published_at")
        batch_op.drop_index(batch_op.f("ix_study_updates_author_id"))

    op.drop_table("study_updates")
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follows_topic_id"))
        batch_op.drop_index(batch_op.f("ix_follows_study_id"))
        batch_op.drop_index(batch_op.f("ix_follows_council_id"))

    op.drop_table("follows")
    with op.batch_alter_table("follow_up_prompts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_prompts_study_id"))
        batch_op.drop_index("ix_follow_up_prompts_due")

    op.drop_table("follow_up_prompts")
