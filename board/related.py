"""Councils that tried something similar: up to five published studies related to a study or
a question, by text similarity and shared topics, that the viewer may read.

A study's are chosen with its title and summary when it is published, and kept
(board/related_choices.py; searched for on its page only when none were chosen); the question
page asks with the question's title and details; each with its topics. Finding them takes two
statements at most, whatever the size of the board:

1. **Which words tell** (the first statement). The first WORDS_PROBED distinct words of the
   text (stop words, words shorter than three letters and numbers out; the title comes first,
   so its words are always among them), and how many studies hold each. A word in nearly every
   study ("council") says nothing about similarity and is the costly kind to rank by: SQLite's
   bm25 reads every study that holds a word to weigh it (8 ms for "council" at 100,000
   studies), and PostgreSQL fetches every match of an OR from the table before it keeps the
   newest. So words held by COMMON_WORD_STUDIES studies or more are dropped, and the rarest of
   the rest are kept: at most RANKED_WORDS, held by at most MATCH_BUDGET studies in all (the
   rarest is always kept), which bounds what ranking them reads. SQLite counts each word's
   studies in its index and stops at COMMON_WORD_STUDIES (a fraction of a millisecond a word);
   PostgreSQL reads them from the planner's statistics of the search column (its most common
   lexemes and their shares, which ANALYZE and autovacuum keep; each process keeps a copy for
   PG_STATISTICS_MAX_AGE seconds), which costs nothing whatever the word: a word missing there
   is rarer than every word listed.
2. **The candidates** (the second statement). The CANDIDATE_LIMIT newest studies holding any
   of those words (on PostgreSQL in two parts, each reading a bounded number of rows: see
   _postgresql_search), with the index's own rank (``bm25`` on SQLite, ``ts_rank`` on
   PostgreSQL, both without per-column weights, so the search's columns may change under
   it); and the TOPIC_CANDIDATES newest studies sharing a topic, so that a text with no
   telling words, or a board with fewer than five matches, still has neighbours. Each list
   stops inside its index scan (newest first, as board/search.py bounds a search). Only
   published studies, members-only ones only for those who may read them
   (board.permissions.can_see_members_only), never the study itself.
3. **The five**, ranked and read with their councils in that same statement, returned as
   plain values (RelatedStudy).

They are ranked over at most 2 * CANDIDATE_LIMIT + TOPIC_CANDIDATES rows: a candidate's
text rank divided by the best candidate's (1 for the closest, whatever the database's scale),
plus TOPIC_BONUS for each shared topic, newest first among equals. A study that matches the
words and shares a topic beats one that only matches the words; one that shares several topics
but none of the words can still beat a weak text match.

What is lost: an older study that would rank higher than the newest CANDIDATE_LIMIT matches is
not considered, and a word held by COMMON_WORD_STUDIES studies or more never counts (at 100,000
studies that is 5% of the board; on a small board no word is that common).

**Kept per process.** How many studies hold a word is a statistic, used only to choose which
words to rank by: on SQLite each process keeps each word's count for PG_STATISTICS_MAX_AGE
seconds, as PostgreSQL's path keeps the planner's statistics (a bounded store, least recently
used out first), so a count may be that old. A word no study held is not kept, so the first
study to use a new word is found by it at once. On PostgreSQL each process keeps each word's
lexemes (they depend only on the word and the 'english' configuration; the same bounded store)
and the newest study's id under the board's change counter the study page read with the study
(adding or deleting a study moves it): a page whose words were all seen before needs no first
statement. Neither decides who may read a study: the second statement's conditions do. Both
databases' second statements are built once for each shape (_SQLITE_STATEMENTS,
_POSTGRESQL_STATEMENTS). And the study page's five (related_to_study) are kept in the board's
results cache (board/browse/cache.py: per process, shared in Redis, or off) under the board's
change counter (board/models/board_version.py), read before them:
every change to what they are chosen from or show (a study's text, status, visibility,
language, outcome, topics, its council's name or retirement) moves the counter, so an entry is
never older than its key says, and a changed board is a new key. The audience (may the viewer
read members-only studies) is part of the key, so a visitor never gets a member's five.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    String,
    bindparam,
    case,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.sql.elements import BindParameter

from board.extensions import db
from board.models import CaseStudy, Council, Outcome, Status, Visibility
from board.models.case_study import case_study_topics, title_slug
from board.permissions import can_see_members_only
from board.search import FTS_TABLE, MAX_TERM_LENGTH, PG_VECTOR_COLUMN, STOP_WORDS

RELATED_LIMIT = 5
# How many words of the text are looked up; the title's words come first.
WORDS_PROBED = 10
# How many of the rarest words are searched for.
RANKED_WORDS = 6
# ... and, together, held by at most this many studies (counted once for each word).
MATCH_BUDGET = 10_000
# PostgreSQL reads each study it considers from the table: the rarest words are searched for
# over the whole board while they are held by at most this many studies together ...
PG_ROWS_READ = 800
# ... and the others among the newest studies: as many as should hold this many matches, and
# at most PG_NEWEST_STUDIES.
PG_NEWEST_MATCHES = 25
PG_NEWEST_STUDIES = 600
# A word held by this many studies or more is too common to tell studies apart.
COMMON_WORD_STUDIES = 5000
# The newest studies holding any of the words that are ranked, and the newest sharing a topic.
CANDIDATE_LIMIT = 100
TOPIC_CANDIDATES = 20
# What each shared topic adds to a text rank between 0 and 1.
TOPIC_BONUS = 0.25
# Words shorter than this say little ("pay", "tax" are kept: three letters).
MIN_WORD_LENGTH = 3


@dataclass(frozen=True)
class Board:
    """About how many studies there are, and the newest one's id (PostgreSQL)."""

    studies: float
    newest_id: int


@dataclass(frozen=True)
class RelatedStudy:
    """What the section shows of a related study, read in the statement that ranks it."""

    id: int
    title: str
    slug: str
    council_name: str
    former_council: bool
    outcome: Outcome
    visibility: Visibility
    # The language its title is written in ("en" or "cy"): the section marks it.
    language: str = "en"


def related_studies(
    text: str,
    topic_ids: list[int],
    viewer,
    exclude_study_id: int | None = None,
    board_version: int | None = None,
) -> list[RelatedStudy]:
    """Up to RELATED_LIMIT published studies like ``text`` (a study's or a question's words)
    and sharing ``topic_ids``, that ``viewer`` may read, never ``exclude_study_id``; closest
    first. Two statements at most, none when there is nothing to look for. ``board_version``:
    the board's change counter as read before anything here was (None: not read), under which
    PostgreSQL's newest id is kept."""
    return find_related(
        text, topic_ids, can_see_members_only(viewer), exclude_study_id, board_version
    )


def find_related(
    text: str,
    topic_ids: list[int],
    members: bool,
    exclude_study_id: int | None = None,
    board_version: int | None = None,
    limit: int = RELATED_LIMIT,
) -> list[RelatedStudy]:
    """related_studies for an audience: with ``members``, members-only studies are among
    them; at most ``limit``."""
    topic_ids = sorted(set(topic_ids or []))
    dialect = db.session.get_bind().dialect.name
    words, board = _telling_words(text, dialect, board_version)
    if not words and not topic_ids:
        return []
    exclude = exclude_study_id is not None
    values: dict[str, object] = {"related_shared_topics": topic_ids or [-1]}
    if topic_ids:
        values["related_topics"] = topic_ids
    if exclude:
        values["related_exclude"] = exclude_study_id
    if dialect == "postgresql":
        search = _postgresql_search(words, board) if words else {}
        values.update(search)
        statement = _postgresql_statement(
            "related_everywhere" in search,
            "related_newest" in search,
            bool(topic_ids),
            members,
            exclude,
            limit,
        )
    else:
        statement = _sqlite_statement(bool(words), bool(topic_ids), members, exclude, limit)
        if words:
            values["related_match"] = " OR ".join(_fts_string(word) for word, _count in words)
    return [related_study(row) for row in db.session.execute(statement, values)]


# What a related study's row holds (read with its council), for related_study.
RELATED_COLUMNS = (
    CaseStudy.id,
    CaseStudy.title,
    CaseStudy.outcome,
    CaseStudy.visibility,
    CaseStudy.language,
    Council.name,
    Council.retired_at,
)


def related_study(row) -> RelatedStudy:
    """A RelatedStudy from a row of RELATED_COLUMNS."""
    return RelatedStudy(
        id=row.id,
        title=row.title,
        slug=title_slug(row.title),
        council_name=row.name,
        former_council=row.retired_at is not None,
        outcome=row.outcome,
        visibility=row.visibility,
        language=row.language,
    )


def related_to_study(study: CaseStudy, viewer, board_version: int | None) -> list[RelatedStudy]:
    """related_studies for ``study``'s page: its title and summary, its topics, never itself;
    kept in the results cache for BOARD_CACHE_MAX_AGE seconds under ``board_version``, the
    board's change counter as it was read before anything here was (None: not read, or not to
    be trusted, and nothing is kept)."""
    from board.browse.cache import results_cache

    text = f"{study.title}\n{study.summary}"
    topic_ids = study.topic_ids
    max_age = current_app.config["BOARD_CACHE_MAX_AGE"]
    if board_version is None or max_age <= 0:
        return related_studies(text, topic_ids, viewer, study.id, board_version)
    raw = json.dumps(
        [
            RELATED_ENTRY_FORMAT,
            board_version,
            can_see_members_only(viewer),
            study.id,
            text,
            sorted(set(topic_ids)),
        ]
    )
    key = "related:" + hashlib.sha256(raw.encode()).hexdigest()
    kept = results_cache.get(key)
    if kept is not None:
        return list(kept)
    found = related_studies(text, topic_ids, viewer, study.id, board_version)
    results_cache.set(key, tuple(found), timeout=max_age)
    return found


# Part of every kept five's key: bumped when RelatedStudy changes shape, so that a shared cache
# never hands new code an old entry.
RELATED_ENTRY_FORMAT = 1


def forget_kept() -> None:
    """Empty what this process keeps (each word's count or lexemes, the planner's statistics,
    the newest id) and the results cache, kept fives among its entries (tests use it)."""
    from board.browse.cache import results_cache

    for kept in (
        "related_word_counts",
        "related_lexemes",
        "related_word_statistics",
        "related_newest_id",
    ):
        current_app.extensions.pop(kept, None)
    results_cache.clear()


# The statements, one for each shape, built once: building one (and SQLAlchemy's key for it)
# costs more than running it. They hold no words, topics or ids, only the shape: every value
# is a parameter given when it runs (a missing one is an error, never another page's value).
# SQLite's shape: words or not, topics or not, who may read members-only studies, a study to
# leave out or not, how many; its values are sent as parameters.
_SQLITE_STATEMENTS: dict[tuple[bool, bool, bool, bool, int], Select] = {}
# PostgreSQL's: whether there are words to search over the whole board and among the newest
# studies only (_postgresql_text_candidates), then as SQLite's. Its values are written into
# the SQL text when it runs (literal_execute), so that the planner plans for these words, this
# range, these topics and this study; and a text psycopg prepares (run five times on one
# connection: the same study asked again) has no parameter left, so its one plan is that plan.
_POSTGRESQL_STATEMENTS: dict[tuple[bool, bool, bool, bool, bool, int], Select] = {}


def _sqlite_statement(
    words: bool, topics: bool, members: bool, exclude: bool, limit: int
) -> Select:
    key = (words, topics, members, exclude, limit)
    statement = _SQLITE_STATEMENTS.get(key)
    if statement is None:
        text_parts = []
        if words:
            text_parts = _sqlite_text_candidates(_parameter("related_match", String, False))
        statement = _statement(text_parts, topics, members, exclude, limit, written_in=False)
        _SQLITE_STATEMENTS[key] = statement
    return statement


def _postgresql_statement(
    everywhere: bool, newest: bool, topics: bool, members: bool, exclude: bool, limit: int
) -> Select:
    key = (everywhere, newest, topics, members, exclude, limit)
    statement = _POSTGRESQL_STATEMENTS.get(key)
    if statement is None:
        text_parts = _postgresql_text_candidates(everywhere, newest)
        statement = _statement(text_parts, topics, members, exclude, limit, written_in=True)
        _POSTGRESQL_STATEMENTS[key] = statement
    return statement


def _statement(
    text_parts, topics: bool, members: bool, exclude: bool, limit: int, written_in: bool
):
    """The five of ``text_parts`` (functions of the readable conditions, each giving a select
    of (id, score)) and, with ``topics``, the studies sharing a topic."""
    excluded = _parameter("related_exclude", Integer, written_in) if exclude else None
    conditions = _readable_conditions(members, excluded)
    parts = [part(conditions) for part in text_parts]
    if topics:
        topic_ids = _parameter("related_topics", Integer, written_in, expanding=True)
        parts.append(_topic_candidates(topic_ids, conditions))
    return _best_of(
        union_all(*parts).subquery("candidates"),
        _parameter("related_shared_topics", Integer, written_in, expanding=True),
        limit,
    )


def _parameter(name: str, type_, written_in: bool, expanding: bool = False) -> BindParameter:
    """A value given when the statement runs: sent as a parameter, or ``written_in`` to the SQL
    text."""
    return bindparam(
        name, type_=type_, expanding=expanding, required=True, literal_execute=written_in
    )


def _constant(value, type_) -> ColumnElement:
    """A constant written into the SQL text, never a parameter; of ``type_`` for the database
    too (a number with a point is PostgreSQL's numeric, not a float, unless cast)."""
    constant = literal(value, type_, literal_execute=True)
    return cast(constant, type_) if type_ is Float else constant


def _best_of(candidates, topic_ids: BindParameter, limit: int) -> Select:
    """The ``limit`` best ``candidates`` (id, score), best first, with their councils: each
    candidate's best text rank divided by the best candidate's, plus TOPIC_BONUS for each topic
    of ``topic_ids`` (an expanding parameter) it has; the newest first among equals."""
    shared = (
        select(func.count())
        .where(
            case_study_topics.c.case_study_id == candidates.c.id,
            case_study_topics.c.topic_id.in_(topic_ids),
        )
        .scalar_subquery()
    )
    grouped = (
        select(
            candidates.c.id.label("id"),
            func.max(candidates.c.score).label("score"),
            shared.label("shared"),
        )
        .group_by(candidates.c.id)
        .subquery("grouped")
    )
    best = func.max(grouped.c.score).over()
    text_part = case(
        (best > _constant(0.0, Float), grouped.c.score / best), else_=_constant(0.0, Float)
    )
    ranked = select(
        grouped.c.id.label("id"),
        (text_part + _constant(TOPIC_BONUS, Float) * grouped.c.shared).label("total"),
    ).subquery("ranked")
    return (
        select(*RELATED_COLUMNS)
        .join(ranked, ranked.c.id == CaseStudy.id)
        .join(Council, Council.id == CaseStudy.council_id)
        .order_by(ranked.c.total.desc(), CaseStudy.id.desc())
        .limit(_constant(limit, Integer))
    )


def _readable_conditions(members: bool, excluded: BindParameter | None) -> list:
    """Published, public unless the viewer may read members-only studies (``members``), not
    the study given as ``excluded`` (None: none to leave out)."""
    conditions: list[ColumnElement[bool]] = [
        CaseStudy.status == _constant(Status.PUBLISHED, CaseStudy.__table__.c.status.type)
    ]
    if not members:
        conditions.append(
            CaseStudy.visibility
            == _constant(Visibility.PUBLIC, CaseStudy.__table__.c.visibility.type)
        )
    if excluded is not None:
        conditions.append(CaseStudy.id != excluded)
    return conditions


# -- the words ---------------------------------------------------------------------------------


def candidate_words(text: str) -> list[str]:
    """The first WORDS_PROBED distinct words of ``text``: letters and digits only, lower-cased,
    no stop words, no numbers, none shorter than MIN_WORD_LENGTH. Nothing in the text is read
    as query syntax."""
    words: list[str] = []
    for word in re.findall(r"[^\W_]+", (text or "").lower()):
        word = word[:MAX_TERM_LENGTH]
        if len(word) < MIN_WORD_LENGTH or word.isdigit() or word in STOP_WORDS:
            continue
        if word not in words:
            words.append(word)
            if len(words) == WORDS_PROBED:
                break
    return words


def telling_words(text: str, dialect: str) -> list[str]:
    """The rarest words of the text held by fewer than COMMON_WORD_STUDIES studies (and, on
    SQLite, by at least one): at most RANKED_WORDS, held by at most MATCH_BUDGET studies in
    all unless the rarest alone is held by more. One statement."""
    return [word for word, _count in _telling_words(text, dialect)[0]]


def _telling_words(
    text: str, dialect: str, board_version: int | None = None
) -> tuple[list[tuple[str, int]], Board | None]:
    """telling_words with how many studies hold each, rarest first; and, on PostgreSQL, about
    how many studies there are."""
    words = candidate_words(text)
    if not words:
        return [], None
    if dialect == "postgresql":
        counts, board = _postgresql_counts(words, board_version)
    else:
        counts, board = _sqlite_counts(words), None
    kept = [
        (count, position, word)
        for position, (word, count) in enumerate(zip(words, counts, strict=True))
        if count is not None and count < COMMON_WORD_STUDIES
    ]
    chosen: list[tuple[str, int]] = []
    studies = 0
    for count, _position, word in sorted(kept)[:RANKED_WORDS]:
        if chosen and studies + count > MATCH_BUDGET:
            break
        chosen.append((word, count))
        studies += count
    return chosen, board


# Each word's count on SQLite, kept per process: at most WORD_COUNTS_KEPT words, least recently
# used out first, each for PG_STATISTICS_MAX_AGE seconds.
WORD_COUNTS_KEPT = 8192
_word_counts_lock = threading.Lock()


def _sqlite_counts(words: list[str]) -> list[int | None]:
    """How many studies hold each word, counted in the FTS5 index up to COMMON_WORD_STUDIES;
    None for a word no study holds. A count is a statistic: each is kept for
    PG_STATISTICS_MAX_AGE seconds, and only the words without one are counted (one statement,
    none when every word has one). A word no study holds is not kept, so that the first study
    to use it is found by it at once."""
    kept: OrderedDict = current_app.extensions.setdefault("related_word_counts", OrderedDict())
    now = time.monotonic()
    counts: dict[str, int | None] = {}
    with _word_counts_lock:
        for word in words:
            key = (word, COMMON_WORD_STUDIES)
            entry = kept.get(key)
            if entry is not None and now - entry[0] < PG_STATISTICS_MAX_AGE:
                kept.move_to_end(key)
                counts[word] = entry[1]
    missing = [word for word in words if word not in counts]
    if missing:
        counted = _sqlite_count_in_index(missing)
        with _word_counts_lock:
            for word, count in zip(missing, counted, strict=True):
                counts[word] = count
                if count is not None:
                    kept[(word, COMMON_WORD_STUDIES)] = (now, count)
                    kept.move_to_end((word, COMMON_WORD_STUDIES))
            while len(kept) > WORD_COUNTS_KEPT:
                kept.popitem(last=False)
    return [counts[word] for word in words]


def _sqlite_count_in_index(words: list[str]) -> list[int | None]:
    """How many studies hold each word, counted in the FTS5 index up to COMMON_WORD_STUDIES;
    None for a word no study holds. One statement."""
    fts = table(FTS_TABLE, column("rowid"))
    fts_table = literal_column(FTS_TABLE)
    parts = []
    for position, word in enumerate(words):
        holding = (
            select(fts.c.rowid)
            .where(fts_table.op("MATCH")(bindparam(f"word{position}", _fts_string(word))))
            .limit(COMMON_WORD_STUDIES)
            .subquery(f"holding{position}")
        )
        parts.append(select(literal(position).label("position"), func.count()).select_from(holding))
    counts = dict(db.session.execute(union_all(*parts)).all())
    return [counts.get(position) or None for position in range(len(words))]


# Each word's lexemes (for the words this process has not kept) and the newest study's id ...
PG_WORDS = text("""
SELECT w.position, tsvector_to_array(to_tsvector('english', w.word)), n.newest,
       NULL, NULL, NULL
FROM (SELECT max(id) AS newest FROM case_studies) AS n
LEFT JOIN unnest(CAST(:words AS text[])) WITH ORDINALITY AS w(word, position) ON true
""")
# ... and, when the process's copy is older than PG_STATISTICS_MAX_AGE, the planner's statistics
# of the search column, on the first row: its most common lexemes, the share of studies holding
# each, and the number of studies they were taken over.
PG_WORDS_AND_STATISTICS = text("""
SELECT w.position, tsvector_to_array(to_tsvector('english', w.word)), n.newest,
       CASE WHEN coalesce(w.position, 1) = 1 THEN s.lexemes END,
       CASE WHEN coalesce(w.position, 1) = 1 THEN s.shares END,
       (SELECT greatest(reltuples, 0) FROM pg_class
        WHERE oid = to_regclass(current_schema() || '.case_studies'))
FROM (SELECT max(id) AS newest FROM case_studies) AS n
LEFT JOIN unnest(CAST(:words AS text[])) WITH ORDINALITY AS w(word, position) ON true
LEFT JOIN (
    SELECT most_common_elems::text::text[] AS lexemes, most_common_elem_freqs AS shares
    FROM pg_stats
    WHERE schemaname = current_schema() AND tablename = 'case_studies' AND attname = :column
) AS s ON true
""")
PG_STATISTICS_MAX_AGE = 600
# Each word's lexemes, kept per process: at most WORD_COUNTS_KEPT words, least recently used out
# first.
_lexemes_lock = threading.Lock()


@dataclass(frozen=True)
class WordStatistics:
    """The planner's statistics of the search column, as this process last read them."""

    read_at: float
    shares: dict[str, float]
    studies: float


def _postgresql_counts(
    words: list[str], board_version: int | None
) -> tuple[list[int | None], Board]:
    """About how many studies hold each word, from the planner's statistics: 0 for a word rarer
    than any they list; None for a word PostgreSQL's parser drops. And the board's size and
    newest id. One statement, none when everything needed is kept:

    - A word's lexemes depend only on the word and the 'english' text search configuration:
      each process keeps them (a bounded store), and looks up only the words it has not seen.
    - The newest id is kept under ``board_version``, the board's change counter read before it
      (with the study, on its page): adding or deleting a study moves the counter
      (board/models/board_version.py), so under the same counter it is the same. Without a
      counter it is read each time.
    - The statistics change only when PostgreSQL analyses the table, so each process keeps them
      for PG_STATISTICS_MAX_AGE seconds (reading them costs a few milliseconds), with the
      table's size.

    None of these decides who may read a study: the statement's conditions do."""
    extensions = current_app.extensions
    kept: WordStatistics | None = extensions.get("related_word_statistics")
    now = time.monotonic()
    fresh = kept is not None and now - kept.read_at < PG_STATISTICS_MAX_AGE
    lexemes_kept: OrderedDict = extensions.setdefault("related_lexemes", OrderedDict())
    lexemes_of: dict[str, tuple[str, ...]] = {}
    with _lexemes_lock:
        for word in words:
            if word in lexemes_kept:
                lexemes_kept.move_to_end(word)
                lexemes_of[word] = lexemes_kept[word]
    missing = [word for word in words if word not in lexemes_of]
    newest_kept = extensions.get("related_newest_id")
    newest_id = None
    if board_version is not None and newest_kept is not None and newest_kept[0] == board_version:
        newest_id = newest_kept[1]
    if missing or newest_id is None or not fresh:
        statement = PG_WORDS if fresh else PG_WORDS_AND_STATISTICS
        rows = db.session.execute(statement, {"words": missing, "column": PG_VECTOR_COLUMN})
        looked_up: dict[str, tuple[str, ...]] = {}
        for position, lexemes, newest, common, shares, studies in rows:
            newest_id = newest or 0
            if position is not None:
                looked_up[missing[position - 1]] = tuple(lexemes or ())
            if not fresh and position in (None, 1):
                kept = WordStatistics(
                    now, dict(zip(common or [], shares or [], strict=False)), float(studies or 0)
                )
                extensions["related_word_statistics"] = kept
        if board_version is not None:
            extensions["related_newest_id"] = (board_version, newest_id)
        lexemes_of.update(looked_up)
        with _lexemes_lock:
            for word, lexemes in looked_up.items():
                lexemes_kept[word] = lexemes
                lexemes_kept.move_to_end(word)
            while len(lexemes_kept) > WORD_COUNTS_KEPT:
                lexemes_kept.popitem(last=False)
    board = Board(kept.studies, newest_id)
    counts: list[int | None] = []
    for word in words:
        lexemes = lexemes_of.get(word)
        if not lexemes:
            counts.append(None)
        else:
            share = max(kept.shares.get(lexeme, 0.0) for lexeme in lexemes)
            counts.append(round(share * board.studies))
    return counts, board


def _fts_string(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


# -- the candidates ----------------------------------------------------------------------------


def _sqlite_text_candidates(match: BindParameter) -> list:
    """A function of the readable conditions giving a select of (id, score): the
    CANDIDATE_LIMIT newest readable studies matching ``match`` (the FTS5 query: any of the
    words), with the index's rank (higher: closer)."""

    def part(conditions: list):
        fts = table(FTS_TABLE, column("rowid"))
        fts_table = literal_column(FTS_TABLE)
        # bm25 is lower for closer matches, and is worked out only for the rows the LIMIT keeps.
        newest = (
            select(CaseStudy.id.label("id"), (-func.bm25(fts_table)).label("score"))
            .select_from(fts)
            .join(CaseStudy, CaseStudy.id == fts.c.rowid)
            .where(fts_table.op("MATCH")(match), *conditions)
            .order_by(fts.c.rowid.desc())
            .limit(_constant(CANDIDATE_LIMIT, Integer))
            .subquery("text_matches")
        )
        return select(newest.c.id, newest.c.score)

    return [part]


def _postgresql_search(words: list[tuple[str, int]], board: Board) -> dict[str, object]:
    """PostgreSQL reads every study it considers from the table, 5 to 10 microseconds each (the
    search column is large), whether it takes the GIN index's matches and reads each to keep the
    newest, or walks the primary key newest first and reads each study to test it. So the words
    are searched in two parts, each reading a bounded number of studies: the rarest, held by at
    most PG_ROWS_READ studies together, over the whole board (``related_everywhere``); the
    others among the newest studies only (``related_newest``, newer than
    ``related_newer_than``), as many as should hold PG_NEWEST_MATCHES matches and at most
    PG_NEWEST_STUDIES. Every candidate is ranked by all the words (``related_ranked_by``).
    These are the values of _postgresql_statement's parameters; a part with no words is left
    out of the statement."""
    everywhere: list[str] = []
    newest_only: list[str] = []
    held = 0
    for word, count in words:
        if not newest_only and held + count <= PG_ROWS_READ:
            everywhere.append(word)
            held += count
        else:
            newest_only.append(word)
    values: dict[str, object] = {"related_ranked_by": " | ".join(word for word, _ in words)}
    if everywhere:
        values["related_everywhere"] = " | ".join(everywhere)
    if newest_only:
        held_by_newest = sum(count for word, count in words if word in newest_only)
        span = min(
            PG_NEWEST_STUDIES, int(board.studies * PG_NEWEST_MATCHES / max(held_by_newest, 1))
        )
        values["related_newest"] = " | ".join(newest_only)
        values["related_newer_than"] = board.newest_id - span
    return values


def _postgresql_text_candidates(everywhere: bool, newest: bool) -> list:
    """Functions of the readable conditions giving selects of (id, score): the CANDIDATE_LIMIT
    newest readable studies matching the words searched ``everywhere``, and those matching the
    words searched among the ``newest`` (_postgresql_search), each with ts_rank for all the
    words. Both are ordered by ``id + 0``, so that the planner never walks the whole primary key
    testing every study.

    The words and the newest id are written into the SQL text when it runs (as literals: the
    words are letters and digits only): the planner then plans for these words and this range,
    which it estimates from its statistics. With them as parameters, psycopg prepares a
    statement run five times, and PostgreSQL may then plan it once for any words and any range:
    such a generic plan was measured at 30 ms where this one takes 3."""
    vector = literal_column(f"case_studies.{PG_VECTOR_COLUMN}", TSVECTOR)
    english = literal_column("'english'::regconfig")

    def tsquery(name: str):
        return func.to_tsquery(english, _parameter(name, String, True))

    def part(name: str, extra: list):
        def select_part(conditions: list):
            matches = (
                select(CaseStudy.id.label("id"), vector.label("vector"))
                # Published and readable first: PostgreSQL tests them before the words, so that
                # a study it leaves out is not unpacked for its search column.
                .where(*extra, *conditions, vector.op("@@")(tsquery(f"related_{name}")))
                .order_by((CaseStudy.id + literal_column("0")).desc())
                .limit(_constant(CANDIDATE_LIMIT, Integer))
                .subquery(f"text_matches_{name}")
            )
            score = func.ts_rank(matches.c.vector, tsquery("related_ranked_by")).cast(Float)
            return select(matches.c.id, score.label("score"))

        return select_part

    parts = []
    if everywhere:
        parts.append(part("everywhere", []))
    if newest:
        parts.append(
            part("newest", [CaseStudy.id > _parameter("related_newer_than", Integer, True)])
        )
    return parts


def _topic_candidates(topic_ids: BindParameter, conditions: list):
    """(id, 0): the TOPIC_CANDIDATES newest readable studies sharing any of ``topic_ids`` (an
    expanding parameter)."""
    # A key, not "*": SQLite then reads the primary key's index alone, not each row.
    shares_a_topic = (
        select(case_study_topics.c.topic_id)
        .where(
            case_study_topics.c.case_study_id == CaseStudy.id,
            case_study_topics.c.topic_id.in_(topic_ids),
        )
        .exists()
    )
    newest = (
        select(CaseStudy.id.label("id"), _constant(0.0, Float).label("score"))
        .where(shares_a_topic, *conditions)
        .order_by(CaseStudy.id.desc())
        .limit(_constant(TOPIC_CANDIDATES, Integer))
        .subquery("topic_matches")
    )
    return select(newest.c.id, newest.c.score)
