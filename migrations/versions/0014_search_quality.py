"""Search finds council and topic names, and knows the words it has, for misspellings

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27 00:30:00

A search for "Gwynedd" found nothing: council names and topic names live in their own tables,
outside the index. Now each study is indexed with its council's name and its topics' names,
and the index still follows every change by itself (board/search.py):

- SQLite: ``case_studies_fts`` is made again as an FTS5 table that keeps its own copy of the
  text (an external-content table can only index columns of case_studies), with the same seven
  columns first, in the same order, then ``council`` and ``topics``. Triggers on case_studies,
  case_study_topics, councils and topics keep it in step; each changes a row by its rowid (the
  study's id), so none needs to know what was indexed before.
- PostgreSQL: ``search_vector`` is no longer generated (a generated column cannot read other
  tables) but set by a BEFORE trigger on case_studies from the same expression plus the council
  and topic names (weight D); triggers on case_study_topics, councils and topics set it again
  for the studies they touch. Its GIN index stays.

Misspellings are matched against ``search_words``: every word (3 to 40 characters) of the
titles and summaries of published public studies, and of council names and topic names, added
by triggers (never removed: an old word costs nothing but a wasted guess). Only what everyone
may read is learnt: whether a word is known decides whether near words are looked for, so a
word of a draft or a members-only study must not change what a visitor's search does. On PostgreSQL it has a pg_trgm GIN index (the
extension is made here, which needs a superuser or a trusted extension); on SQLite an FTS5
trigram table, ``search_words_trigrams``, kept in step by a trigger, finds the candidates.

The change counter triggers of 0003, 0008 and 0012 are not touched, and no table is rebuilt.
"""

from alembic import op

# Every name in the SQL below is a constant of this module: nothing comes from outside.
# ruff: noqa: S608

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

FTS_TABLE = "case_studies_fts"
TEXT_COLUMNS = [
    "title",
    "summary",
    "challenge",
    "what_we_tried",
    "what_happened",
    "what_we_learned",
    "what_we_would_do_differently",
]
TOKENIZE = "porter unicode61 remove_diacritics 2"
OLD_TRIGGERS = ["case_studies_fts_insert", "case_studies_fts_delete", "case_studies_fts_update"]
NEW_SQLITE_TRIGGERS = [
    "case_studies_words_insert",
    "case_studies_words_update",
    "case_study_topics_fts_insert",
    "case_study_topics_fts_delete",
    "councils_fts_update",
    "topics_fts_update",
    "search_words_trigrams_insert",
    "search_words_trigrams_delete",
]
WORDS_TABLE = "search_words"
TRIGRAM_TABLE = "search_words_trigrams"
PG_COLUMN = "search_vector"
PG_INDEX = "ix_case_studies_search_vector"
PG_WORDS_INDEX = "ix_search_words_word_trgm"
# A study whose words everyone may read, and so which search_words learns.
OPEN_STUDY = "{row}.status = 'published' AND {row}.visibility = 'public'"

# Words of a text, for search_words: the text lower-cased, with dashes, slashes and line
# breaks made spaces, split on spaces by json_each (json_quote escapes whatever would break the
# JSON: quotes, backslashes, control characters), and each piece trimmed of the punctuation
# around it. SQLite triggers cannot use WITH, so no recursive split; and a few replace() calls
# only, as deeply nested ones overflow SQLite's parser.
SEPARATORS = ["-", "/", "\u2013", "\u2014", "\n", "\r", "\t"]
TRIMMED = ".,;:!?()[]{}\"'`*_#%&+<>=|~@^$\\\u2018\u2019\u201c\u201d"


def sqlite_literal(character: str) -> str:
    if character in "\n\r\t":
        return f"char({ord(character)})"
    return "'" + character.replace("'", "''") + "'"


def sqlite_words(expression: str, source: str = "") -> str:
    """A statement that adds the words of ``expression`` to search_words (``source``: a FROM
    item the expression reads, for a statement over many rows)."""
    cleaned = f"lower({expression})"
    for character in SEPARATORS:
        cleaned = f"replace({cleaned}, {sqlite_literal(character)}, ' ')"
    source = f"{source}, " if source else ""
    trimmed = "'" + TRIMMED.replace("'", "''") + "'"
    return (
        f"INSERT OR IGNORE INTO {WORDS_TABLE}(word) SELECT word FROM ("
        f"SELECT trim(value, {trimmed}) AS word FROM {source}json_each("
        f"'[' || replace(json_quote({cleaned}), ' ', '\",\"') || ']')) "
        "WHERE length(word) BETWEEN 3 AND 40;"
    )


def sqlite_topics(study_id: str) -> str:
    """The names of a study's topics, in topic order, as one text."""
    return (
        "(SELECT group_concat(name, ' ') FROM (SELECT topics.name FROM topics "
        "JOIN case_study_topics ON case_study_topics.topic_id = topics.id "
        f"WHERE case_study_topics.case_study_id = {study_id} "
        "ORDER BY topics.position, topics.id))"
    )


def sqlite_council(council_id: str) -> str:
    return f"(SELECT name FROM councils WHERE id = {council_id})"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        upgrade_postgresql()
    else:
        upgrade_sqlite()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        downgrade_postgresql()
    else:
        downgrade_sqlite()


def create_sqlite_words_tables():
    op.execute(f"CREATE TABLE {WORDS_TABLE} (word TEXT NOT NULL PRIMARY KEY)")
    op.execute(
        f"CREATE VIRTUAL TABLE {TRIGRAM_TABLE} USING fts5(word, content='{WORDS_TABLE}', "
        "content_rowid='rowid', tokenize='trigram')"
    )
    op.execute(
        f"CREATE TRIGGER search_words_trigrams_insert AFTER INSERT ON {WORDS_TABLE} BEGIN "
        f"INSERT INTO {TRIGRAM_TABLE}(rowid, word) VALUES (new.rowid, new.word); END"
    )
    op.execute(
        f"CREATE TRIGGER search_words_trigrams_delete AFTER DELETE ON {WORDS_TABLE} BEGIN "
        f"INSERT INTO {TRIGRAM_TABLE}({TRIGRAM_TABLE}, rowid, word) "
        "VALUES ('delete', old.rowid, old.word); END"
    )


def upgrade_sqlite():
    create_sqlite_words_tables()
    for trigger in OLD_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    columns = ", ".join([*TEXT_COLUMNS, "council", "topics"])
    op.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({columns}, tokenize='{TOKENIZE}')")
    new_values = ", ".join(f"new.{column}" for column in TEXT_COLUMNS)
    insert_new = (
        f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {new_values}, "
        f"{sqlite_council('new.council_id')}, {sqlite_topics('new.id')});"
    )
    words_new = sqlite_words("new.title || ' ' || new.summary") + sqlite_words(
        f"coalesce({sqlite_council('new.council_id')}, '')"
    )
    delete_old = f"DELETE FROM {FTS_TABLE} WHERE rowid = old.id;"
    watched = ", ".join([*TEXT_COLUMNS, "council_id"])
    op.execute(
        "CREATE TRIGGER case_studies_fts_insert AFTER INSERT ON case_studies "
        f"BEGIN {insert_new} END"
    )
    op.execute(
        "CREATE TRIGGER case_studies_fts_delete AFTER DELETE ON case_studies "
        f"BEGIN {delete_old} END"
    )
    op.execute(
        f"CREATE TRIGGER case_studies_fts_update AFTER UPDATE OF {watched} ON case_studies "
        f"BEGIN {delete_old} {insert_new} END"
    )
    # The words of a study everyone may read, when it is written or becomes so.
    open_study = OPEN_STUDY.format(row="new")
    op.execute(
        "CREATE TRIGGER case_studies_words_insert AFTER INSERT ON case_studies "
        f"WHEN {open_study} BEGIN {words_new} END"
    )
    op.execute(
        "CREATE TRIGGER case_studies_words_update AFTER UPDATE OF "
        f"title, summary, council_id, status, visibility ON case_studies "
        f"WHEN {open_study} BEGIN {words_new} END"
    )
    for event, row in (("insert", "new"), ("delete", "old")):
        op.execute(
            f"CREATE TRIGGER case_study_topics_fts_{event} AFTER {event.upper()} "
            f"ON case_study_topics BEGIN "
            f"UPDATE {FTS_TABLE} SET topics = {sqlite_topics(f'{row}.case_study_id')} "
            f"WHERE rowid = {row}.case_study_id; "
            + (
                sqlite_words(f"(SELECT name FROM topics WHERE id = {row}.topic_id)")
                if event == "insert"
                else ""
            )
            + " END"
        )
    op.execute(
        "CREATE TRIGGER councils_fts_update AFTER UPDATE OF name ON councils BEGIN "
        f"UPDATE {FTS_TABLE} SET council = new.name "
        "WHERE rowid IN (SELECT id FROM case_studies WHERE council_id = new.id); "
        f"{sqlite_words('new.name')} END"
    )
    op.execute(
        "CREATE TRIGGER topics_fts_update AFTER UPDATE OF name ON topics BEGIN "
        f"UPDATE {FTS_TABLE} SET topics = {sqlite_topics(f'{FTS_TABLE}.rowid')} "
        "WHERE rowid IN (SELECT case_study_id FROM case_study_topics WHERE topic_id = new.id); "
        f"{sqlite_words('new.name')} END"
    )
    # Index the studies, and learn the words, that already exist.
    plain = ", ".join(TEXT_COLUMNS)
    op.execute(
        f"INSERT INTO {FTS_TABLE}(rowid, {columns}) "
        f"SELECT id, {plain}, {sqlite_council('council_id')}, {sqlite_topics('case_studies.id')} "
        "FROM case_studies"
    )
    for source in (
        "SELECT title || ' ' || summary AS text FROM case_studies WHERE "
        + OPEN_STUDY.format(row="case_studies"),
        "SELECT name AS text FROM councils",
        "SELECT name AS text FROM topics",
    ):
        op.execute(sqlite_words("source.text", f"({source}) AS source"))


def downgrade_sqlite():
    for trigger in [*OLD_TRIGGERS, *NEW_SQLITE_TRIGGERS]:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute(f"DROP TABLE IF EXISTS {TRIGRAM_TABLE}")
    op.execute(f"DROP TABLE IF EXISTS {WORDS_TABLE}")
    op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    # The index of 0003, as it was.
    columns = ", ".join(TEXT_COLUMNS)
    new_values = ", ".join(f"new.{column}" for column in TEXT_COLUMNS)
    old_values = ", ".join(f"old.{column}" for column in TEXT_COLUMNS)
    op.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({columns}, content='case_studies', "
        f"content_rowid='id', tokenize='{TOKENIZE}')"
    )
    insert_new = f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {new_values});"
    delete_old = (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) "
        f"VALUES ('delete', old.id, {old_values});"
    )
    op.execute(
        "CREATE TRIGGER case_studies_fts_insert AFTER INSERT ON case_studies "
        f"BEGIN {insert_new} END"
    )
    op.execute(
        "CREATE TRIGGER case_studies_fts_delete AFTER DELETE ON case_studies "
        f"BEGIN {delete_old} END"
    )
    op.execute(
        f"CREATE TRIGGER case_studies_fts_update AFTER UPDATE OF {columns} ON case_studies "
        f"BEGIN {delete_old} {insert_new} END"
    )
    op.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


# The tsvector of 0003, then the council's and topics' names at weight D.
PG_TEXT_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, coalesce(study.title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(study.summary, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, "
    "coalesce(study.challenge, '') || ' ' || coalesce(study.what_we_tried, '') || ' ' || "
    "coalesce(study.what_happened, '') || ' ' || coalesce(study.what_we_learned, '') || ' ' || "
    "coalesce(study.what_we_would_do_differently, '')), 'C')"
)
PG_OLD_EXPRESSION = PG_TEXT_VECTOR.replace("study.", "")
PG_WORDS = (
    f"INSERT INTO {WORDS_TABLE}(word) SELECT DISTINCT word "
    "FROM regexp_split_to_table(lower({text}), '[^[:alnum:]]+') AS word "
    "WHERE length(word) BETWEEN 3 AND 40 ON CONFLICT DO NOTHING"
)
# A study's council and topic names as a tsvector at weight D.
PG_NAMES = (
    "setweight(to_tsvector('english'::regconfig, "
    "coalesce((SELECT name FROM councils WHERE id = study.council_id), '') || ' ' || "
    "coalesce((SELECT string_agg(topics.name, ' ' ORDER BY topics.position, topics.id) "
    "FROM topics JOIN case_study_topics ON case_study_topics.topic_id = topics.id "
    "WHERE case_study_topics.case_study_id = study.id), '')), 'D')"
)
# When only the names change, the text's part of the vector (weights A to C) is kept as it is
# rather than made again from the whole text: adding a study's topics costs little.
PG_NAMES_AGAIN = (
    "UPDATE case_studies SET search_vector = "
    "ts_filter(search_vector, '{a,b,c}') || case_study_search_names(case_studies) "
)
PG_FUNCTIONS = {
    "case_study_search_names(study case_studies)": (
        f"RETURNS tsvector LANGUAGE sql STABLE AS $$ SELECT {PG_NAMES} $$"
    ),
    # The whole vector of a study, council and topics included.
    "case_study_search_vector(study case_studies)": (
        "RETURNS tsvector LANGUAGE sql STABLE AS $$ SELECT "
        f"{PG_TEXT_VECTOR} || case_study_search_names(study) $$"
    ),
    "case_studies_search_vector_set()": (
        "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "NEW.search_vector := case_study_search_vector(NEW); "
        + "IF "
        + OPEN_STUDY.format(row="NEW")
        + " THEN "
        + PG_WORDS.format(
            text="NEW.title || ' ' || NEW.summary || ' ' || "
            "coalesce((SELECT name FROM councils WHERE id = NEW.council_id), '')"
        )
        + "; END IF; RETURN NEW; END $$"
    ),
    "case_study_topics_search_vector_set()": (
        "RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE changed case_study_topics; BEGIN "
        "IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF; "
        + PG_NAMES_AGAIN
        + "WHERE id = changed.case_study_id; "
        + PG_WORDS.format(text="(SELECT name FROM topics WHERE id = changed.topic_id)")
        + "; RETURN NULL; END $$"
    ),
    "councils_search_vector_set()": (
        "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + PG_NAMES_AGAIN
        + "WHERE council_id = NEW.id; "
        + PG_WORDS.format(text="NEW.name")
        + "; RETURN NULL; END $$"
    ),
    "topics_search_vector_set()": (
        "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + PG_NAMES_AGAIN
        + "WHERE id IN (SELECT case_study_id FROM case_study_topics WHERE topic_id = NEW.id); "
        + PG_WORDS.format(text="NEW.name")
        + "; RETURN NULL; END $$"
    ),
}
PG_TRIGGERS = {
    "case_studies_search_vector": (
        "BEFORE INSERT OR UPDATE OF "
        + ", ".join([*TEXT_COLUMNS, "council_id", "status", "visibility"])
        + " ON case_studies FOR EACH ROW EXECUTE FUNCTION case_studies_search_vector_set()"
    ),
    "case_study_topics_search_vector": (
        "AFTER INSERT OR DELETE ON case_study_topics "
        "FOR EACH ROW EXECUTE FUNCTION case_study_topics_search_vector_set()"
    ),
    "councils_search_vector": (
        "AFTER UPDATE OF name ON councils "
        "FOR EACH ROW EXECUTE FUNCTION councils_search_vector_set()"
    ),
    "topics_search_vector": (
        "AFTER UPDATE OF name ON topics FOR EACH ROW EXECUTE FUNCTION topics_search_vector_set()"
    ),
}


def upgrade_postgresql():
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(f"CREATE TABLE {WORDS_TABLE} (word text NOT NULL PRIMARY KEY)")
    op.execute(f"CREATE INDEX {PG_WORDS_INDEX} ON {WORDS_TABLE} USING gin (word gin_trgm_ops)")
    op.execute(f"ALTER TABLE case_studies ALTER COLUMN {PG_COLUMN} DROP EXPRESSION")
    for signature, body in PG_FUNCTIONS.items():
        op.execute(f"CREATE FUNCTION {signature} {body}")
    for name, definition in PG_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {definition}")
    # search_vector is not a watched column: the change counter does not move.
    op.execute(f"UPDATE case_studies SET {PG_COLUMN} = case_study_search_vector(case_studies)")
    op.execute(
        PG_WORDS.format(text="source.text").replace(
            "FROM regexp_split_to_table",
            "FROM (SELECT title || ' ' || summary AS text FROM case_studies WHERE "
            + OPEN_STUDY.format(row="case_studies")
            + " UNION ALL SELECT name FROM councils UNION ALL SELECT name FROM topics) AS source, "
            "regexp_split_to_table",
        )
    )


def downgrade_postgresql():
    tables = {
        "case_studies_search_vector": "case_studies",
        "case_study_topics_search_vector": "case_study_topics",
        "councils_search_vector": "councils",
        "topics_search_vector": "topics",
    }
    for name, table in tables.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for signature in reversed(PG_FUNCTIONS):
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    op.execute(f"DROP TABLE IF EXISTS {WORDS_TABLE}")
    # A column cannot become generated again: made afresh, as 0003 made it.
    op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    op.execute(f"ALTER TABLE case_studies DROP COLUMN IF EXISTS {PG_COLUMN}")
    op.execute(
        f"ALTER TABLE case_studies ADD COLUMN {PG_COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({PG_OLD_EXPRESSION}) STORED"
    )
    op.execute(f"CREATE INDEX {PG_INDEX} ON case_studies USING gin ({PG_COLUMN})")
