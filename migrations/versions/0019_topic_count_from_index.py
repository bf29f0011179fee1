"""A topic's published studies counted from one index: case_study_topics carries each study's
status and visibility

Counting a topic's published (and, for visitors, public) studies read the topic's entries in
ix_case_study_topics_topic_id_case_study_id and checked each study in case_studies' indexes:
on SQLite at 100,000 studies about 1 ms for the 1,000 studies the board counts to, against
0.09 ms for the topic's entries alone; PostgreSQL merged the two indexes. Each row of
case_study_topics now holds its study's status and visibility (``study_status``,
``study_visibility``), and ix_case_study_topics_topic_id_study_status_visibility answers the
count alone (board/browse/queries.py).

Triggers keep the copies right in the same transaction, whatever writes the tables:

- a topic given to a study (or a row moved to another study) takes the study's values: on
  PostgreSQL a BEFORE trigger sets them on the new row, reading the study FOR SHARE so that a
  change of its status being committed meanwhile is waited for and seen (otherwise both
  transactions could miss each other's row); on SQLite, which has neither BEFORE triggers that
  set values nor concurrent writers, an AFTER trigger updates the row just written;
- a study whose status or visibility changes passes them to its rows.

The change counter's trigger on case_study_topics (0003) fired on any UPDATE: the copies would
have moved it once for each of a study's topics (on SQLite, once a row), although the change
of the study itself already moves it (0016 watches status and visibility). It now watches
the study and the topic, the only columns of the table the board shows. The full-text
triggers of case_study_topics (0014, 0016) fire on INSERT and DELETE only: untouched.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-27 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# Every name in the SQL below is a constant of this module: nothing comes from outside.
# ruff: noqa: S608

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

TABLE = "case_study_topics"
STATUS = "study_status"
VISIBILITY = "study_visibility"
INDEX = "ix_case_study_topics_topic_id_study_status_visibility"
# Copied from the study's columns, which have the CHECK constraints: none is needed here.
STATUS_TYPE = sa.Enum(
    "draft",
    "submitted",
    "published",
    "changes-requested",
    "rejected",
    "withdrawn",
    name="study_status",
    native_enum=False,
    create_constraint=False,
    length=17,
)
VISIBILITY_TYPE = sa.Enum(
    "public",
    "members",
    name="study_visibility",
    native_enum=False,
    create_constraint=False,
    length=7,
)

BUMP = "UPDATE board_version SET version = version + 1 WHERE id = 1"
COUNTER_WATCHES = "case_study_id, topic_id"
PG_COUNTER_TRIGGER = "case_study_topics_board_version"
SQLITE_COUNTER_TRIGGER = "case_study_topics_board_version_update"

FROM_STUDY = (
    f"UPDATE {TABLE} SET ({STATUS}, {VISIBILITY}) = "
    "(SELECT status, visibility FROM case_studies WHERE id = {row}.case_study_id)"
)
TO_TOPICS = (
    f"UPDATE {TABLE} SET {STATUS} = new.status, {VISIBILITY} = new.visibility "
    "WHERE case_study_id = new.id"
)
STUDY_CHANGED = (
    "OLD.status IS DISTINCT FROM NEW.status OR OLD.visibility IS DISTINCT FROM NEW.visibility"
)

SQLITE_TRIGGERS = {
    "case_study_topics_study_state_insert": (
        f"AFTER INSERT ON {TABLE} BEGIN "
        + FROM_STUDY.format(row="new")
        + " WHERE rowid = new.rowid; END"
    ),
    "case_study_topics_study_state_update": (
        f"AFTER UPDATE OF case_study_id ON {TABLE} BEGIN "
        + FROM_STUDY.format(row="new")
        + " WHERE rowid = new.rowid; END"
    ),
    "case_studies_topics_study_state": (
        "AFTER UPDATE OF status, visibility ON case_studies "
        "WHEN old.status IS NOT new.status OR old.visibility IS NOT new.visibility "
        f"BEGIN {TO_TOPICS}; END"
    ),
}

PG_FUNCTIONS = {
    "case_study_topics_study_state_set()": (
        "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"SELECT status, visibility INTO NEW.{STATUS}, NEW.{VISIBILITY} "
        "FROM case_studies WHERE id = NEW.case_study_id FOR SHARE; "
        "RETURN NEW; END $$"
    ),
    "case_studies_topics_study_state_set()": (
        f"RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {TO_TOPICS}; RETURN NULL; END $$"
    ),
}
PG_TRIGGERS = {
    "case_study_topics_study_state": (
        TABLE,
        f"BEFORE INSERT OR UPDATE OF case_study_id ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION case_study_topics_study_state_set()",
    ),
    "case_studies_topics_study_state": (
        "case_studies",
        "AFTER UPDATE OF status, visibility ON case_studies "
        f"FOR EACH ROW WHEN ({STUDY_CHANGED}) "
        "EXECUTE FUNCTION case_studies_topics_study_state_set()",
    ),
}


def watch(columns: str | None) -> None:
    """The change counter's trigger on case_study_topics, on an UPDATE OF ``columns`` only, or
    of any column (as 0003 made it) when ``columns`` is None."""
    update = f"UPDATE OF {columns}" if columns else "UPDATE"
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {PG_COUNTER_TRIGGER} ON {TABLE}")
        op.execute(
            f"CREATE TRIGGER {PG_COUNTER_TRIGGER} "
            f"AFTER INSERT OR {update} OR DELETE OR TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_board_version()"
        )
        return
    op.execute(f"DROP TRIGGER IF EXISTS {SQLITE_COUNTER_TRIGGER}")
    op.execute(
        f"CREATE TRIGGER {SQLITE_COUNTER_TRIGGER} AFTER {update} ON {TABLE} BEGIN {BUMP}; END"
    )


def upgrade():
    # First, so that filling the copies below does not move the counter.
    watch(COUNTER_WATCHES)
    op.add_column(TABLE, sa.Column(STATUS, STATUS_TYPE, nullable=True))
    op.add_column(TABLE, sa.Column(VISIBILITY, VISIBILITY_TYPE, nullable=True))
    op.execute(FROM_STUDY.format(row=TABLE))
    if op.get_bind().dialect.name == "postgresql":
        for signature, body in PG_FUNCTIONS.items():
            op.execute(f"CREATE FUNCTION {signature} {body}")
        for name, (_table, definition) in PG_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {definition}")
    else:
        for name, definition in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {definition}")
    op.create_index(INDEX, TABLE, ["topic_id", STATUS, VISIBILITY, "case_study_id"], unique=False)


def downgrade():
    op.drop_index(INDEX, table_name=TABLE)
    if op.get_bind().dialect.name == "postgresql":
        for name, (table, _definition) in PG_TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for signature in PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_column(TABLE, VISIBILITY)
    op.drop_column(TABLE, STATUS)
    watch(None)
