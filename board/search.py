"""Full-text search over case studies: one query function, SQLite FTS5 or PostgreSQL underneath.

Both indexes cover the title, summary and the five sections, and follow the case_studies table
by themselves (see migrations/versions/0003_full_text_search.py): an FTS5 external-content table
kept in step by triggers on SQLite, a stored generated tsvector column with a GIN index on
PostgreSQL. Publishing, editing and unpublishing a study need no search code.

Ranking is bounded. A common word ("council") matches most of the board, and ranking every match
was measured at 100,000 studies at about 55 requests a second and 434 ms p99. So a search takes
the CANDIDATE_LIMIT (200) most recent studies that match (newest first: both indexes can stop
early in that order) and ranks only those. When a search hits the limit the board says "200 or
more case studies" rather than counting every match, and that these are the best of the 200
most recent matches. A rare word has fewer matches than the limit, so all its matches are
ranked and its count is exact.

What a searcher loses with a very common word: an older study that would rank higher is not
among the candidates (narrowing the search with a word or a filter brings it back), and on
SQLite the candidates are ranked more roughly. SQLite's bm25 weighs a word by how many studies
contain it, and finds that out by reading the word's whole index entry on every search: for
"council", in nearly every study, that alone was 15 ms. So when a search reaches the limit,
SQLite ranks its candidates by where the words are (RANK_ROUGHLY: each word in the title counts
10, in the summary 5, as in FTS_WEIGHTS; the sections, where every candidate has them, count
nothing), newest first among equals; below the limit, bm25 ranks them as before. PostgreSQL's
ts_rank needs no such count and ranks every candidate the same way whatever the word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import ColumnElement, Select, case, column, func, literal_column, select, table
from sqlalchemy.dialects.postgresql import TSVECTOR

from board.models import CaseStudy, Status, User, Visibility
from board.permissions import can_see_members_only

# How many matching studies are ranked at most; also the most a search counts.
CANDIDATE_LIMIT = 200
# Words of a search after the first few add little and cost a lot.
MAX_TERMS = 8
MAX_TERM_LENGTH = 40

# The search objects, made by the migration and not by the models.
FTS_TABLE = "case_studies_fts"
FTS_TRIGGERS = ("case_studies_fts_insert", "case_studies_fts_delete", "case_studies_fts_update")
PG_VECTOR_COLUMN = "search_vector"
PG_VECTOR_INDEX = "ix_case_studies_search_vector"

# bm25 weights, one per FTS5 column: title, summary, then the five sections.
FTS_WEIGHTS = (10.0, 5.0, 1.0, 1.0, 1.0, 1.0, 1.0)
# ts_rank normalisation 1: divide by 1 + log(length), so long write-ups do not win by length.
PG_RANK_NORMALISATION = 1


# PostgreSQL's English stop words, which its parser drops. SQLite's FTS5 keeps every word, so
# they are dropped here for both: the same search finds the same studies on either database.
STOP_WORDS_TEXT = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now
"""
STOP_WORDS = frozenset(STOP_WORDS_TEXT.split())


def search_terms(text: str) -> list[str]:
    """The words of a search: letters and digits only, lower-cased, each once, no stop words,
    at most 8. Nothing the user types is read as query syntax."""
    terms: list[str] = []
    for word in re.findall(r"[^\W_]+", text.lower()):
        word = word[:MAX_TERM_LENGTH]
        if word not in terms and word not in STOP_WORDS:
            terms.append(word)
    return terms[:MAX_TERMS]


def matching_studies_query(
    text: str,
    viewer: User | None,
    dialect: str,
    conditions: Iterable[ColumnElement[bool]] = (),
    limit: int = CANDIDATE_LIMIT,
    roughly: bool = False,
    among: Iterable[int] | None = None,
) -> Select | None:
    """Published studies ``viewer`` may see that contain every word of ``text``.

    Returns a Select of ``id, score, published_at, useful_count, last_update_at`` (higher score:
    more relevant)
    over at most ``limit`` studies, the most recent matches; None when ``text`` has no words.
    ``conditions`` are more filters on CaseStudy, applied before the limit. ``roughly`` scores
    SQLite's matches by where the words are, without bm25 (see the module's docstring).
    ``among`` limits the search to those study ids, given to the index itself, so that looking
    for a common word among a few studies (a digest's week) does not walk all its matches.
    """
    terms = search_terms(text)
    if not terms:
        return None
    where = [CaseStudy.status == Status.PUBLISHED, *conditions]
    if not can_see_members_only(viewer):
        where.append(CaseStudy.visibility == Visibility.PUBLIC)
    among = None if among is None else sorted(among)
    if dialect == "postgresql":
        if among is not None:
            where.append(CaseStudy.id.in_(among))
        return _postgresql_matches(terms, where, limit)
    return _sqlite_matches(terms, where, limit, roughly, among)


def rough_score(terms: list[str]) -> ColumnElement[float]:
    """Where the words are: 10 for each in the title, 5 for each in the summary (as written,
    in any case, not stemmed)."""
    score = literal_column("0.0")
    for term in terms:
        for text, weight in (
            (CaseStudy.title, FTS_WEIGHTS[0]),
            (CaseStudy.summary, FTS_WEIGHTS[1]),
        ):
            score = score + case((func.instr(func.lower(text), term) > 0, weight), else_=0.0)
    return score


def _sqlite_matches(
    terms: list[str], where: list, limit: int, roughly: bool, among: list[int] | None = None
) -> Select:
    fts = table(FTS_TABLE, column("rowid"))
    if among is not None:
        # On the index's rowid, where FTS5 seeks each one, rather than on the joined table.
        where = [*where, fts.c.rowid.in_(among)]
    fts_table = literal_column(FTS_TABLE)
    # Every word as a quoted FTS5 string: the user's text is never read as query syntax.
    match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
    # bm25 is lower for better matches. It is computed only for the rows the LIMIT keeps,
    # because FTS5 walks the matches in rowid order and stops there; but its first call reads
    # every match of each word, to weigh the words (hence ``roughly``).
    score = rough_score(terms) if roughly else -func.bm25(fts_table, *FTS_WEIGHTS)
    return (
        select(
            CaseStudy.id.label("id"),
            score.label("score"),
            CaseStudy.published_at.label("published_at"),
            CaseStudy.useful_count.label("useful_count"),
            CaseStudy.last_update_at.label("last_update_at"),
        )
        .select_from(fts)
        .join(CaseStudy, CaseStudy.id == fts.c.rowid)
        .where(fts_table.op("MATCH")(match), *where)
        .order_by(fts.c.rowid.desc())
        .limit(limit)
    )


def _postgresql_matches(terms: list[str], where: list, limit: int) -> Select:
    vector = literal_column(f"case_studies.{PG_VECTOR_COLUMN}", TSVECTOR)
    query = func.plainto_tsquery(literal_column("'english'::regconfig"), " ".join(terms))
    # The most recent matches first; ts_rank runs on those only, outside the limited subquery.
    candidates = (
        select(
            CaseStudy.id.label("id"),
            CaseStudy.published_at.label("published_at"),
            CaseStudy.useful_count.label("useful_count"),
            CaseStudy.last_update_at.label("last_update_at"),
            vector.label("vector"),
        )
        .where(vector.op("@@")(query), *where)
        .order_by(CaseStudy.id.desc())
        .limit(limit)
        .subquery("candidates")
    )
    score = func.ts_rank(candidates.c.vector, query, PG_RANK_NORMALISATION)
    return select(
        candidates.c.id,
        score.label("score"),
        candidates.c.published_at,
        candidates.c.useful_count,
        candidates.c.last_update_at,
    )


def is_search_schema_object(name: str | None, type_: str, parent_names: dict) -> bool:
    """True for the search objects the migration makes outside the models (the FTS5 table and
    its shadow tables; the tsvector column and its index), which schema comparisons skip."""
    if name is None:
        return False
    if type_ == "table":
        return name == FTS_TABLE or name.startswith(FTS_TABLE + "_")
    if type_ == "column":
        return parent_names.get("table_name") == "case_studies" and name == PG_VECTOR_COLUMN
    if type_ == "index":
        return name == PG_VECTOR_INDEX
    return False


def include_in_schema_comparison(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's include_name hook: everything but the search objects."""
    return not is_search_schema_object(name, type_, parent_names)
