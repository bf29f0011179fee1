"""Welsh studies are searched as Welsh; the board's change counter watches a study's language

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-27 05:00:00

0015 gave each study a language ("en" or "cy"). English stemming mangles Welsh: "merched"
(girls) was indexed as "merch" (a girl), so a search for one found the other. Now a Welsh
study's words are indexed as written, less the diacritics (a search for "llyn" finds "Llŷn",
as people often type without a to bach), and searched that way (board/search.py):

- SQLite: a second FTS5 table, ``case_studies_fts_cy``, with the same nine columns and the
  unicode61 tokenizer without porter, holds the Welsh studies. ``case_studies_fts`` still
  holds every study (related studies read it, board/related.py), and search reads only the
  English ones from it. The triggers of 0014 keep their names and are made again so that
  each fills both tables: a study that becomes Welsh enters ``case_studies_fts_cy``, one
  that becomes English leaves it (the update trigger watches ``language`` too).
- PostgreSQL: ``study_search_document(language, text)`` makes a text's tsvector with the
  'english' configuration, or for a Welsh study the 'simple' one (no stemming, no stop words)
  over the text with Welsh diacritics taken off. case_study_search_vector and
  case_study_search_names use it for the text and for the council and topic names alike, so a
  Welsh study is unstemmed throughout, as on SQLite. The BEFORE trigger watches ``language``
  too. A Welsh study's vector also holds the lexeme ``_cy_``, which no text makes: search
  matches ``english words & !_cy_ | simple words & _cy_``, one tsquery the GIN index answers
  alone, so an English stem never reaches a Welsh study.

Every study's topics are indexed with their Welsh names (topics.name_cy, 0015) after the
English ones, on both databases, so the Welsh board's own topic names find studies; a topic
whose Welsh name changes indexes its studies again.

The change counter triggers (0003, 0008, 0012) are made again with ``language`` watched: the
board shows each card's language and filters by it. No table is rebuilt.
"""

from alembic import op

# Every name in the SQL below is a constant of this module: nothing comes from outside.
# ruff: noqa: S608

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

WELSH = "'cy'"

# -- the change counter: 0012's columns, and language -----------------------------------------

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
    "last_update_at",
]
PG_COUNTER_TRIGGER = "case_studies_board_version"
SQLITE_COUNTER_TRIGGER = "case_studies_board_version_update"


def watch(columns: list[str]) -> None:
    watched = ", ".join(columns)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {PG_COUNTER_TRIGGER} ON case_studies")
        op.execute(
            f"CREATE TRIGGER {PG_COUNTER_TRIGGER} "
            f"AFTER INSERT OR UPDATE OF {watched} OR DELETE OR TRUNCATE ON case_studies "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_board_version()"
        )
        return
    op.execute(f"DROP TRIGGER IF EXISTS {SQLITE_COUNTER_TRIGGER}")
    op.execute(
        f"CREATE TRIGGER {SQLITE_COUNTER_TRIGGER} AFTER UPDATE OF {watched} ON case_studies "
        f"BEGIN {BUMP}; END"
    )


def upgrade():
    watch([*WATCHED_COLUMNS, "language"])
    if op.get_bind().dialect.name == "postgresql":
        upgrade_postgresql()
    else:
        upgrade_sqlite()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        downgrade_postgresql()
    else:
        downgrade_sqlite()
    watch(WATCHED_COLUMNS)


# -- SQLite ------------------------------------------------------------------------------------

FTS_TABLE = "case_studies_fts"
WELSH_FTS_TABLE = "case_studies_fts_cy"
TEXT_COLUMNS = [
    "title",
    "summary",
    "challenge",
    "what_we_tried",
    "what_happened",
    "what_we_learned",
    "what_we_would_do_differently",
]
COLUMNS = ", ".join([*TEXT_COLUMNS, "council", "topics"])
# As case_studies_fts's, less porter: no English stemming.
WELSH_TOKENIZE = "unicode61 remove_diacritics 2"
WORDS_TABLE = "search_words"

# Words of a text, for search_words, as 0014 adds them (copied: a migration stays as it was
# written whatever later code says).
SEPARATORS = ["-", "/", "\u2013", "\u2014", "\n", "\r", "\t"]
TRIMMED = ".,;:!?()[]{}\"'`*_#%&+<>=|~@^$\\\u2018\u2019\u201c\u201d"


def sqlite_literal(character: str) -> str:
    if character in "\n\r\t":
        return f"char({ord(character)})"
    return "'" + character.replace("'", "''") + "'"


def sqlite_words(expression: str) -> str:
    cleaned = f"lower({expression})"
    for character in SEPARATORS:
        cleaned = f"replace({cleaned}, {sqlite_literal(character)}, ' ')"
    trimmed = "'" + TRIMMED.replace("'", "''") + "'"
    return (
        f"INSERT OR IGNORE INTO {WORDS_TABLE}(word) SELECT word FROM ("
        f"SELECT trim(value, {trimmed}) AS word FROM json_each("
        f"'[' || replace(json_quote({cleaned}), ' ', '\",\"') || ']')) "
        "WHERE length(word) BETWEEN 3 AND 40;"
    )


def sqlite_topics(study_id: str, welsh_names: bool = False) -> str:
    """The study's topic names; with ``welsh_names``, each followed by its Welsh name, so that a
    reader of the Welsh board finds a topic's studies by the name the page shows them."""
    name = "topics.name || ' ' || coalesce(topics.name_cy, '')" if welsh_names else "topics.name"
    return (
        f"(SELECT group_concat(name, ' ') FROM (SELECT {name} AS name FROM topics "
        "JOIN case_study_topics ON case_study_topics.topic_id = topics.id "
        f"WHERE case_study_topics.case_study_id = {study_id} "
        "ORDER BY topics.position, topics.id))"
    )


def sqlite_council(council_id: str) -> str:
    return f"(SELECT name FROM councils WHERE id = {council_id})"


def sqlite_triggers(welsh: bool) -> dict[str, str]:
    """The index's triggers: with ``welsh``, filling both tables; without, as 0014 made them."""
    tables = [FTS_TABLE, WELSH_FTS_TABLE] if welsh else [FTS_TABLE]
    new_values = ", ".join(f"new.{column}" for column in TEXT_COLUMNS)
    row = f"{new_values}, {sqlite_council('new.council_id')}, {sqlite_topics('new.id', welsh)}"
    insert_new = f"INSERT INTO {FTS_TABLE}(rowid, {COLUMNS}) VALUES (new.id, {row});"
    if welsh:
        insert_new += (
            f" INSERT INTO {WELSH_FTS_TABLE}(rowid, {COLUMNS}) "
            f"SELECT new.id, {row} WHERE new.language = {WELSH};"
        )
    delete_old = " ".join(f"DELETE FROM {name} WHERE rowid = old.id;" for name in tables)
    watched = ", ".join([*TEXT_COLUMNS, "council_id", *(["language"] if welsh else [])])
    triggers = {
        "case_studies_fts_insert": (f"AFTER INSERT ON case_studies BEGIN {insert_new} END"),
        "case_studies_fts_delete": f"AFTER DELETE ON case_studies BEGIN {delete_old} END",
        "case_studies_fts_update": (
            f"AFTER UPDATE OF {watched} ON case_studies BEGIN {delete_old} {insert_new} END"
        ),
    }
    for event, old_or_new in (("insert", "new"), ("delete", "old")):
        study = f"{old_or_new}.case_study_id"
        updates = " ".join(
            f"UPDATE {name} SET topics = {sqlite_topics(study, welsh)} WHERE rowid = {study};"
            for name in tables
        )
        words = (
            sqlite_words(f"(SELECT name FROM topics WHERE id = {old_or_new}.topic_id)")
            if event == "insert"
            else ""
        )
        triggers[f"case_study_topics_fts_{event}"] = (
            f"AFTER {event.upper()} ON case_study_topics BEGIN {updates} {words} END"
        )
    councils = " ".join(
        f"UPDATE {name} SET council = new.name "
        "WHERE rowid IN (SELECT id FROM case_studies WHERE council_id = new.id);"
        for name in tables
    )
    triggers["councils_fts_update"] = (
        f"AFTER UPDATE OF name ON councils BEGIN {councils} {sqlite_words('new.name')} END"
    )
    topics = " ".join(
        f"UPDATE {name} SET topics = {sqlite_topics(f'{name}.rowid', welsh)} WHERE rowid IN "
        "(SELECT case_study_id FROM case_study_topics WHERE topic_id = new.id);"
        for name in tables
    )
    names = "name, name_cy" if welsh else "name"
    triggers["topics_fts_update"] = (
        f"AFTER UPDATE OF {names} ON topics BEGIN {topics} {sqlite_words('new.name')} END"
    )
    return triggers


def make_sqlite_triggers(welsh: bool) -> None:
    for name, definition in sqlite_triggers(welsh).items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"CREATE TRIGGER {name} {definition}")


def upgrade_sqlite():
    op.execute(
        f"CREATE VIRTUAL TABLE {WELSH_FTS_TABLE} USING fts5({COLUMNS}, tokenize='{WELSH_TOKENIZE}')"
    )
    make_sqlite_triggers(welsh=True)
    # Index the Welsh studies that already exist, and every study's topics' Welsh names.
    plain = ", ".join(TEXT_COLUMNS)
    op.execute(
        f"INSERT INTO {WELSH_FTS_TABLE}(rowid, {COLUMNS}) "
        f"SELECT id, {plain}, {sqlite_council('council_id')}, "
        f"{sqlite_topics('case_studies.id', True)} FROM case_studies WHERE language = {WELSH}"
    )
    op.execute(f"UPDATE {FTS_TABLE} SET topics = {sqlite_topics(f'{FTS_TABLE}.rowid', True)}")


def downgrade_sqlite():
    make_sqlite_triggers(welsh=False)
    op.execute(f"DROP TABLE IF EXISTS {WELSH_FTS_TABLE}")
    op.execute(f"UPDATE {FTS_TABLE} SET topics = {sqlite_topics(f'{FTS_TABLE}.rowid')}")


# -- PostgreSQL --------------------------------------------------------------------------------

# Welsh vowels with a to bach (circumflex), acute, grave or diaeresis, and the plain letters:
# a Welsh study is indexed without them (board/search.py takes them off the words searched).
ACCENTED = "âêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿÂÊÎÔÛŴŶÁÉÍÓÚẂÝÀÈÌÒÙẀỲÄËÏÖÜẄŸ"
PLAIN = "aeiouwy" * 4 + "AEIOUWY" * 4

PG_DOCUMENT = (
    "study_search_document(language text, body text) RETURNS tsvector "
    "LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN language = 'cy' "
    f"THEN to_tsvector('simple'::regconfig, translate(body, '{ACCENTED}', '{PLAIN}')) "
    "ELSE to_tsvector('english'::regconfig, body) END $$"
)


def pg_vectors(document: str, marked: bool) -> dict[str, str]:
    """The bodies of case_study_search_names and case_study_search_vector, each text made a
    tsvector by ``document`` ("{text}" in it); with ``marked``, a Welsh study's names carry
    WELSH_MARKER and its topics' Welsh names follow the English ones."""
    topic_name = "topics.name || ' ' || coalesce(topics.name_cy, '')" if marked else "topics.name"
    title = document.format(text="coalesce(study.title, '')")
    summary = document.format(text="coalesce(study.summary, '')")
    text = (
        f"setweight({title}, 'A') || setweight({summary}, 'B') || "
        "setweight("
        + document.format(
            text="coalesce(study.challenge, '') || ' ' || coalesce(study.what_we_tried, '') "
            "|| ' ' || coalesce(study.what_happened, '') || ' ' || "
            "coalesce(study.what_we_learned, '') || ' ' || "
            "coalesce(study.what_we_would_do_differently, '')"
        )
        + ", 'C')"
    )
    names = (
        "setweight("
        + document.format(
            text="coalesce((SELECT name FROM councils WHERE id = study.council_id), '') || ' ' "
            f"|| coalesce((SELECT string_agg({topic_name}, ' ' ORDER BY topics.position, "
            "topics.id) FROM topics JOIN case_study_topics ON case_study_topics.topic_id = "
            "topics.id WHERE case_study_topics.case_study_id = study.id), '')"
        )
        + ", 'D')"
    )
    if marked:  # 0016's: Welsh studies marked, and topics' Welsh names with the English
        names += (
            f" || CASE WHEN study.language = {WELSH} THEN '{WELSH_MARKER}'::tsvector "
            "ELSE ''::tsvector END"
        )
    return {
        "case_study_search_names(study case_studies)": (
            f"RETURNS tsvector LANGUAGE sql STABLE AS $$ SELECT {names} $$"
        ),
        "case_study_search_vector(study case_studies)": (
            f"RETURNS tsvector LANGUAGE sql STABLE AS $$ SELECT {text} || "
            "case_study_search_names(study) $$"
        ),
    }


WELSH_OR_ENGLISH = "study_search_document(study.language, {text})"
# A lexeme no text makes (the parser splits words at underscores): the search finds Welsh
# studies by it, and English ones by its absence, in one look at the GIN index (board/search.py).
# Without position, it is in the names' part, which the triggers of 0014 make again.
WELSH_MARKER = "_cy_"
# As 0014 made them.
ENGLISH_ONLY = "to_tsvector('english'::regconfig, {text})"

PG_VECTOR_TRIGGER = "case_studies_search_vector"
PG_VECTOR_WATCHED = [*TEXT_COLUMNS, "council_id", "status", "visibility"]


def pg_vector_trigger(columns: list[str]) -> None:
    op.execute(f"DROP TRIGGER IF EXISTS {PG_VECTOR_TRIGGER} ON case_studies")
    op.execute(
        f"CREATE TRIGGER {PG_VECTOR_TRIGGER} BEFORE INSERT OR UPDATE OF "
        + ", ".join(columns)
        + " ON case_studies FOR EACH ROW EXECUTE FUNCTION case_studies_search_vector_set()"
    )


def pg_topics_trigger(columns: str) -> None:
    """0014's trigger that indexes a renamed topic's studies again, on ``columns``."""
    op.execute("DROP TRIGGER IF EXISTS topics_search_vector ON topics")
    op.execute(
        f"CREATE TRIGGER topics_search_vector AFTER UPDATE OF {columns} ON topics "
        "FOR EACH ROW EXECUTE FUNCTION topics_search_vector_set()"
    )


def upgrade_postgresql():
    op.execute(f"CREATE FUNCTION {PG_DOCUMENT}")
    for signature, body in pg_vectors(WELSH_OR_ENGLISH, marked=True).items():
        op.execute(f"CREATE OR REPLACE FUNCTION {signature} {body}")
    pg_vector_trigger([*PG_VECTOR_WATCHED, "language"])
    pg_topics_trigger("name, name_cy")
    # Every study: Welsh ones are made unstemmed, and every one has its topics' Welsh names.
    # search_vector is not a watched column: the change counter does not move.
    op.execute("UPDATE case_studies SET search_vector = case_study_search_vector(case_studies)")


def downgrade_postgresql():
    pg_vector_trigger(PG_VECTOR_WATCHED)
    pg_topics_trigger("name")
    for signature, body in pg_vectors(ENGLISH_ONLY, marked=False).items():
        op.execute(f"CREATE OR REPLACE FUNCTION {signature} {body}")
    op.execute("DROP FUNCTION IF EXISTS study_search_document(text, text)")
    op.execute("UPDATE case_studies SET search_vector = case_study_search_vector(case_studies)")
