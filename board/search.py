"""Full-text search over case studies: one query function, SQLite FTS5 or PostgreSQL underneath.

Both indexes cover the title, summary and the five sections, the council's name and the
topics' names, and follow the tables by themselves (migrations 0003 and 0014): an FTS5 table
kept in step by triggers on SQLite, a tsvector column set by triggers with a GIN index on
PostgreSQL. Publishing, editing and unpublishing a study, renaming a council or a topic, need no
search code.

What a search looks for. The words are read as groups (plan_search): each word, or a phrase of
board/search_synonyms.txt ("care at home"), with its synonyms from that file and its other
spellings (-ise/-ize and the like, SPELLING_RULES), any of which may match. A study matches when
every group matches. When none does (the board's page, board/browse/results.py):

1. nearer_groups: two words that the studies write as one ("wi fi", "chat bot") are joined, and
   a word no study has ("recyling") also looks for the known words nearest in spelling, by
   trigram similarity over search_words (pg_trgm on PostgreSQL, an FTS5 trigram table on
   SQLite, the same measure on both); the board says these match similar words;
2. if that finds nothing either, studies matching some of the groups are ranked, the most groups
   matched first (``partial``); the board says they match some of the words.

A phrase is its words one after another, on both databases. FTS5 keeps where each word is; a
GIN index on PostgreSQL only which words a study has, so a phrase's words together in many
studies but the phrase in few meant reading all those studies' vectors again, or walking the
table. There a phrase is first looked up in search_phrases, each study's lexemes in pairs
(migration 0022, _pg_matches), then checked in search_vector as before.

Welsh studies (``language`` "cy") are searched as Welsh: their words are indexed as written,
less the diacritics of Welsh vowels, with no English stemming, which would make "merched"
(girls) "merch" (a girl). On SQLite they have an FTS5 table of their own, searched beside the
English one in the same statement, with the same weights, steps and limit; on PostgreSQL their
vector is made with the 'simple' configuration and holds a marker lexeme, and one tsquery
looks for the words as 'english' lexemes in studies without the marker and as 'simple' ones in
studies with it (_pg_either; migration 0016).

Each step is one bounded query, and a search that finds something the first time costs what it
always did: its words have no synonyms to add unless the file lists them.

The statements hold no words. A search's SQL depends only on its shape (how many groups, how
many phrases of how many words in each: shape_of), the audience and the options; the words are
parameters (search_parameters). So the board builds the statement of each shape once and keeps
it (board/browse/results.py), and a search costs its SQL and little more: building and hashing
a statement of CASE expressions per request had cost more than running it.

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

A list in an order of its own (the API's, newest or most useful first, which ranks nothing and
keeps every match) takes the search as one more condition on its studies (matching_condition)
rather than a ranked list of candidates: the database then walks the list's order, checking
each study, or finds the matches and sorts them, whichever costs less for the words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache, reduce
from itertools import pairwise
from pathlib import Path

from sqlalchemy import (
    BindParameter,
    Boolean,
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSVECTOR

from board.extensions import db
from board.models import CaseStudy, Status, User, Visibility
from board.permissions import can_see_members_only

# How many matching studies are ranked at most; also the most a search counts.
CANDIDATE_LIMIT = 200
# Words of a search after the first few add little and cost a lot.
MAX_TERMS = 8
MAX_TERM_LENGTH = 40

# The search objects, made by the migrations and not by the models. case_studies_fts holds
# every study, stemmed as English (related studies read it too); case_studies_fts_cy holds the
# Welsh ones, unstemmed (migration 0016).
FTS_TABLE = "case_studies_fts"
WELSH_FTS_TABLE = "case_studies_fts_cy"
WELSH = "cy"
# On PostgreSQL, a lexeme that only Welsh studies' vectors hold (no text makes it).
PG_WELSH_MARKER = "_cy_"
FTS_TRIGGERS = (
    "case_studies_fts_insert",
    "case_studies_fts_delete",
    "case_studies_fts_update",
    "case_study_topics_fts_insert",
    "case_study_topics_fts_delete",
    "councils_fts_update",
    "topics_fts_update",
)
# On SQLite, the triggers that teach search_words a study's words once everyone may read it.
SQLITE_WORDS_TRIGGERS = ("case_studies_words_insert", "case_studies_words_update")
PG_VECTOR_COLUMN = "search_vector"
PG_VECTOR_INDEX = "ix_case_studies_search_vector"
# A study's lexemes and every two of them one or two places apart ('care 2 home'), made
# from search_vector, with a GIN index: where PostgreSQL looks a phrase up (_pg_matches).
PG_PHRASE_COLUMN = "search_phrases"
PG_PHRASE_INDEX = "ix_case_studies_search_phrases"
# Migration 0023's: they set search_phrases on an insert and when the search vector changes.
PG_PHRASE_TRIGGERS = (
    "case_studies_search_vector_phrases_insert",
    "case_studies_search_vector_phrases_update",
)
PG_TRIGGERS = (
    "case_studies_search_vector",
    "case_study_topics_search_vector",
    "councils_search_vector",
    "topics_search_vector",
)
# Every word of the titles and summaries of published public studies, and of council and
# topic names, for misspellings (never a word only a draft or a members-only study holds).
WORDS_TABLE = "search_words"
TRIGRAM_TABLE = "search_words_trigrams"
PG_WORDS_INDEX = "ix_search_words_word_trgm"

# bm25 weights, one per FTS5 column: title, summary, the five sections, council, topics.
FTS_WEIGHTS = (10.0, 5.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0)
# ts_rank normalisation 1: divide by 1 + log(length), so long write-ups do not win by length.
PG_RANK_NORMALISATION = 1
# A study matching more of a partial search's groups ranks above one matching fewer, whatever
# their scores (bm25 and ts_rank stay well below this).
GROUP_WEIGHT = 1000.0

SYNONYMS_FILE = Path(__file__).with_name("search_synonyms.txt")
# Misspellings: a word no study has looks for the known words at least this similar (pg_trgm's
# similarity, its default threshold), the NEAREST_WORDS most similar; words shorter than
# MIN_FUZZY_LENGTH are left alone (too many words are near them).
SIMILARITY_THRESHOLD = 0.3
NEAREST_WORDS = 3
MIN_FUZZY_LENGTH = 4
# How many trigram matches SQLite's trigram table hands over to be measured.
TRIGRAM_CANDIDATES = 200

# British and American spellings that follow a rule: (ending, the other ending). A word with
# one ending also looks for the other; the stem must keep 3 letters.
SPELLING_RULES = [
    ("isation", "ization"),
    ("ise", "ize"),
    ("ised", "ized"),
    ("ising", "izing"),
    ("iser", "izer"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("ysing", "yzing"),
    ("ence", "ense"),
    ("elled", "eled"),
    ("elling", "eling"),
    ("ogue", "og"),
]
SPELLING_RULES += [(american, british) for british, american in SPELLING_RULES]


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
# Welsh words as common as those, which PostgreSQL's 'simple' configuration keeps: dropped too,
# so that "ysgolion yn Gwynedd" looks for the two words that tell. None is an English word a
# search would look for ("ar", "eu" and "ni" are: AR headsets, EU funding, NI councils).
WELSH_STOP_WORDS_TEXT = """
    y yr yn yng ym mae maen oedd sydd sy wedi ond neu gyda hefyd ei ein eich fy dy hyn hwn
    hon nid nad ac mewn drwy trwy iddo iddi
"""
STOP_WORDS = frozenset(STOP_WORDS_TEXT.split()) | frozenset(WELSH_STOP_WORDS_TEXT.split())

# A Welsh study is indexed without the diacritics of Welsh vowels (to bach, acute, grave,
# diaeresis): "llyn" finds "Llŷn". SQLite's tokenizer takes off every diacritic; PostgreSQL's
# index takes off these (migration 0016), and the words searched lose them here.
WELSH_ACCENTED = "âêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿÂÊÎÔÛŴŶÁÉÍÓÚẂÝÀÈÌÒÙẀỲÄËÏÖÜẄŸ"
WELSH_PLAIN = "aeiouwy" * 4 + "AEIOUWY" * 4
WITHOUT_DIACRITICS = str.maketrans(WELSH_ACCENTED, WELSH_PLAIN)

# A phrase: words matched one after another (one word, mostly). A group: phrases any of which
# may match, the one typed first. A search: groups that must all match (or some, when partial).
Phrase = tuple[str, ...]
Group = tuple[Phrase, ...]


def words_of(text: str) -> list[str]:
    """Letters and digits only, lower-cased: nothing the user types is read as query syntax."""
    return [word[:MAX_TERM_LENGTH] for word in re.findall(r"[^\W_]+", text.lower())]


def search_terms(text: str) -> list[str]:
    """The words of a search: each once, no stop words, at most 8."""
    terms: list[str] = []
    for word in words_of(text):
        if word not in terms and word not in STOP_WORDS:
            terms.append(word)
    return terms[:MAX_TERMS]


def word_key(word: str) -> str:
    """A word without a plural, -ing or -ed ending, to look it up in the synonyms."""
    for ending in ("ing", "ed", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3 and not word.endswith("ss"):
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=1)
def synonyms() -> tuple[dict[tuple[str, ...], Group], int]:
    """The synonyms file as {key of each entry: the entry's group}, and the longest entry."""
    groups: dict[tuple[str, ...], Group] = {}
    longest = 1
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        group = tuple(
            dict.fromkeys(tuple(words_of(entry)) for entry in line.split(",") if words_of(entry))
        )
        for phrase in group:
            groups.setdefault(tuple(word_key(word) for word in phrase), group)
            longest = max(longest, len(phrase))
    return groups, longest


def spelling_variants(word: str) -> list[str]:
    """The word's other spellings by SPELLING_RULES (a plural's too)."""
    stem, plural = (
        (word[:-1], "s") if word.endswith("s") and not word.endswith("ss") else (word, "")
    )
    variants = []
    for base, suffix in ((word, ""), (stem, plural)):
        for ending, other in SPELLING_RULES:
            if base.endswith(ending) and len(base) - len(ending) >= 3:
                variants.append(base[: -len(ending)] + other + suffix)
    return list(dict.fromkeys(variant for variant in variants if variant != word))


def plan_search(text: str) -> tuple[Group, ...]:
    """The groups of a search (see the module's docstring); empty when it has no words."""
    if not search_terms(text):
        return ()
    table_of_synonyms, longest = synonyms()
    words = words_of(text)[: MAX_TERMS * 4]
    groups: list[Group] = []
    index = 0
    while index < len(words) and len(groups) < MAX_TERMS:
        for size in range(min(longest, len(words) - index), 0, -1):
            typed = tuple(words[index : index + size])
            found = table_of_synonyms.get(tuple(word_key(word) for word in typed))
            if found is not None and (size > 1 or typed[0] not in STOP_WORDS):
                group = (typed, *found)
                index += size
                break
        else:
            word = words[index]
            index += 1
            if word in STOP_WORDS:
                continue
            group = ((word,), *((variant,) for variant in spelling_variants(word)))
        group = tuple(dict.fromkeys(group))
        if group not in groups:
            groups.append(group)
    return tuple(groups)


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return {padded[start : start + 3] for start in range(len(padded) - 2)}


def similarity(one: str, other: str) -> float:
    """pg_trgm's similarity: the trigrams both words share, over all their trigrams."""
    first, second = trigrams(one), trigrams(other)
    return len(first & second) / len(first | second)


def nearest_words(word: str, dialect: str) -> list[str]:
    """The known words most like ``word`` (at least SIMILARITY_THRESHOLD), best first."""
    if dialect == "postgresql":
        score = func.similarity(column("word"), word)
        return list(
            db.session.scalars(
                select(column("word"))
                .select_from(table(WORDS_TABLE))
                .where(column("word").op("%")(word))
                .order_by(score.desc(), column("word"))
                .limit(NEAREST_WORDS)
            )
        )
    inner = sorted({word[start : start + 3] for start in range(len(word) - 2)})
    if not inner:
        return []
    candidates = db.session.scalars(
        select(column("word"))
        .select_from(table(TRIGRAM_TABLE))
        .where(
            literal_column(TRIGRAM_TABLE).op("MATCH")(" OR ".join(f'"{gram}"' for gram in inner))
        )
        .order_by(literal_column("rank"))
        .limit(TRIGRAM_CANDIDATES)
    )
    scored = sorted(
        ((similarity(word, candidate), candidate) for candidate in candidates),
        key=lambda pair: (-pair[0], pair[1]),
    )
    return [candidate for score, candidate in scored if score >= SIMILARITY_THRESHOLD][
        :NEAREST_WORDS
    ]


def nearer_groups(groups: tuple[Group, ...], dialect: str) -> tuple[Group, ...] | None:
    """``groups`` with two words that the studies write as one joined ("wi fi": "wifi"), and
    the nearest known words added to each word no study has; None when nothing changes."""
    typed = [group[0] for group in groups]
    single = [phrase[0] for phrase in typed if len(phrase) == 1]
    joined = [
        first[0] + second[0] for first, second in pairwise(typed) if len(first) == len(second) == 1
    ]
    if not single:
        return None
    known = set(
        db.session.scalars(
            select(column("word"))
            .select_from(table(WORDS_TABLE))
            .where(column("word").in_(sorted({*single, *joined})))
        )
    )
    nearer: list[Group] = []
    changed = False
    index = 0
    while index < len(groups):
        group = groups[index]
        word = group[0][0] if len(group[0]) == 1 else None
        following = groups[index + 1][0] if index + 1 < len(groups) else None
        if word and following and len(following) == 1 and word + following[0] in known:
            nearer.append(((word, following[0]), (word + following[0],)))
            changed = True
            index += 2
            continue
        if word and word not in known and len(word) >= MIN_FUZZY_LENGTH and not word.isdigit():
            added = [(near,) for near in nearest_words(word, dialect) if (near,) not in group]
            if added:
                group = (*group, *added)
                changed = True
        nearer.append(group)
        index += 1
    return tuple(nearer) if changed else None


# A search's shape: for each group, how many words each of its phrases has. Searches of one
# shape run the same SQL with other parameters (matches_statement, search_parameters).
Shape = tuple[tuple[int, ...], ...]


def shape_of(groups: tuple[Group, ...]) -> Shape:
    return tuple(tuple(len(phrase) for phrase in group) for group in groups)


def search_parameters(
    groups: tuple[Group, ...], dialect: str, partial: bool = False
) -> dict[str, str]:
    """The words of ``groups`` as the parameters of matches_statement's statement of their
    shape: every phrase as written (``phrase_<group>_<phrase>``); on SQLite the FTS5 query
    (``match``, and each group's when ``partial``), on PostgreSQL each phrase without the
    diacritics of Welsh vowels too (``phrase_cy_<group>_<phrase>``)."""
    values: dict[str, str] = {}
    if dialect != "postgresql":
        joiner = " OR " if partial else " AND "
        values["match"] = joiner.join(fts_group(group) for group in groups)
    for number, group in enumerate(groups):
        if partial and dialect != "postgresql":
            values[f"group_{number}"] = fts_group(group)
        for index, phrase in enumerate(group):
            written = " ".join(phrase)
            values[f"phrase_{number}_{index}"] = written
            if dialect == "postgresql":
                values[f"phrase_cy_{number}_{index}"] = written.translate(WITHOUT_DIACRITICS)
    return values


class Parameters:
    """The parameters of one search statement: one BindParameter a name, however often the
    statement uses it.

    Given ``values`` (matching_studies_query), each parameter carries its value under a unique
    name, so the statement stands alone and may sit inside another. Without them (statements
    built once for a shape and kept), each parameter is named and required: executing the
    statement without a value for every one of them raises, so an earlier search's words can
    never stand in for this one's."""

    def __init__(self, values: dict | None = None) -> None:
        self.values = values
        self.made: dict[str, BindParameter] = {}

    def __call__(
        self, name: str, type_=None, expanding: bool = False, written_in: bool = False
    ) -> BindParameter:
        """The parameter ``name``; ``written_in``: its value is written into the SQL text when
        the statement runs (literal_execute) rather than sent beside it."""
        made = self.made.get(name)
        if made is None:
            if self.values is None:
                made = bindparam(
                    name,
                    type_=type_,
                    expanding=expanding,
                    required=True,
                    literal_execute=written_in,
                )
            else:
                made = bindparam(
                    name,
                    self.values[name],
                    type_=type_,
                    expanding=expanding,
                    unique=True,
                    literal_execute=written_in,
                )
            self.made[name] = made
        return made


def matching_studies_query(
    text: str,
    viewer: User | None,
    dialect: str,
    conditions: Iterable[ColumnElement[bool]] = (),
    limit: int | None = CANDIDATE_LIMIT,
    roughly: bool = False,
    among: Iterable[int] | None = None,
    groups: tuple[Group, ...] | None = None,
    partial: bool = False,
) -> Select | None:
    """Published studies ``viewer`` may see that match every group of ``text`` (its words,
    with their synonyms and spellings: plan_search), or, when ``partial``, any of them.

    Returns a Select of ``id, score, published_at, useful_count, last_update_at`` (higher score:
    more relevant; when partial, the number of groups matched counts first)
    over at most ``limit`` studies, the most recent matches; None when ``text`` has no words.
    ``groups`` are the groups to look for in place of plan_search's (nearer_groups').
    ``conditions`` are more filters on CaseStudy, applied before the limit. ``roughly`` scores
    SQLite's matches by where the words are, without bm25 (see the module's docstring).
    ``among`` limits the search to those study ids, given to the index itself, so that looking
    for a common word among a few studies (a digest's week) does not walk all its matches.
    The statement carries its parameters' values (matches_statement builds it).
    """
    groups = plan_search(text) if groups is None else groups
    if not groups:
        return None
    values: dict[str, object] = {**search_parameters(groups, dialect, partial)}
    if limit is not None:
        values["candidate_limit"] = limit
    if among is not None:
        values["among"] = sorted(among)
    return matches_statement(
        dialect,
        shape_of(groups),
        can_see_members_only(viewer),
        conditions,
        limited=limit is not None,
        roughly=roughly,
        among=among is not None,
        partial=partial,
        parameters=Parameters(values),
    )


def matches_statement(
    dialect: str,
    shape: Shape,
    members: bool,
    conditions: Iterable[ColumnElement[bool]] = (),
    limited: bool = True,
    roughly: bool = False,
    among: bool = False,
    partial: bool = False,
    parameters: Parameters | None = None,
) -> Select:
    """matching_studies_query's statement for every search of ``shape``, for a viewer who may
    (``members``) or may not see members-only studies. Its parameters are the words
    (search_parameters), ``candidate_limit`` when ``limited``, and ``among`` (a list of ids)
    when ``among``; without ``parameters`` they are named and required (Parameters), and the
    statement can be built once and run for every search of that shape and audience."""
    parameters = parameters or Parameters()
    where = [CaseStudy.status == Status.PUBLISHED, *conditions]
    if not members:
        where.append(CaseStudy.visibility == Visibility.PUBLIC)
    limit = parameters("candidate_limit", Integer) if limited else None
    if dialect == "postgresql":
        if among:
            where.append(CaseStudy.id.in_(parameters("among", expanding=True)))
        return _postgresql_matches(shape, parameters, where, limit, partial)
    return _sqlite_matches(shape, parameters, where, limit, roughly, among, partial)


# On SQLite a search with at least this many matches is checked study by study along a list's
# own order, one with fewer has its matches looked up and sorted (matching_condition). Measured
# at 100,000 studies, newest first: looking up 250 matches took 3 to 10 ms and checking studies
# until 21 matched 110 to 240; a word in 3,000 studies, 48 ms against 8; in 12,000, 122 against
# 2.5. They cross near 2,500.
COMMON_MATCHES = 2_500

_FTS = table(FTS_TABLE, column("rowid"))
# How many studies match, counting no further than ``common`` (COMMON_MATCHES): FTS5 reads the
# words' index entries and stops there.
_COUNT_UP_TO_COMMON = select(func.count()).select_from(
    select(_FTS.c.rowid)
    .where(literal_column(FTS_TABLE).op("MATCH")(bindparam("match", type_=String)))
    .limit(bindparam("common", type_=Integer))
    .subquery()
)


def is_common(words: dict[str, str], dialect: str) -> bool:
    """Whether a search whose parameters are ``words`` (search_parameters') matches at least
    COMMON_MATCHES studies, on SQLite; never on PostgreSQL, whose planner reads the words
    written into the SQL and judges for itself (matching_condition)."""
    if dialect == "postgresql":
        return False
    match = words["match"]
    # The threshold is read here, at call time, so that tests can move it.
    common = COMMON_MATCHES
    return db.session.scalar(_COUNT_UP_TO_COMMON, {"match": match, "common": common}) >= common


def matching_condition(dialect: str, shape: Shape, common: bool = False) -> ColumnElement[bool]:
    """A condition on CaseStudy: the study matches every group of a search of ``shape``, whose
    words are the parameters search_parameters gives (on PostgreSQL written into the SQL when
    it runs). It ranks nothing and keeps every match, for a list in an order of its own (the
    API's, by date or usefulness), which the database may walk, checking each study and
    stopping when the page is full, or find the matches and sort them: building and scoring
    every match of a common word first had cost 0.7 to 1 s on SQLite at 100,000 studies.

    PostgreSQL's planner chooses between the two by the words' statistics. SQLite's judges
    without them, so ``common`` (is_common) chooses: every study along the order asks the
    index whether it matches, or the matches are listed once and each is looked up."""
    parameters = Parameters()
    if dialect == "postgresql":
        return _pg_matches(shape, parameters)
    # English studies in case_studies_fts, Welsh ones in case_studies_fts_cy (_sqlite_matches).
    match = parameters("match", String)
    english, welsh = (table(name, column("rowid")) for name in (FTS_TABLE, WELSH_FTS_TABLE))
    if common:

        def matches(fts) -> ColumnElement[bool]:
            return (
                select(literal_column("1"))
                .select_from(fts)
                .where(fts.c.rowid == CaseStudy.id, literal_column(fts.name).op("MATCH")(match))
                .exists()
            )

        return case((CaseStudy.language != WELSH, matches(english)), else_=matches(welsh))

    def listed(fts) -> ColumnElement[bool]:
        return CaseStudy.id.in_(
            select(fts.c.rowid).where(literal_column(fts.name).op("MATCH")(match))
        )

    return or_(
        and_(CaseStudy.language != WELSH, listed(english)),
        and_(CaseStudy.language == WELSH, listed(welsh)),
    )


def rough_score(shape: Shape, parameters: Parameters) -> ColumnElement[float]:
    """Where the words are: 10 for each group in the title, 5 for each in the summary (as
    written, in any case, not stemmed)."""
    score = literal_column("0.0")
    for number, group in enumerate(shape):
        for text, weight in (
            (CaseStudy.title, FTS_WEIGHTS[0]),
            (CaseStudy.summary, FTS_WEIGHTS[1]),
        ):
            found = or_(
                *(
                    func.instr(func.lower(text), parameters(f"phrase_{number}_{index}", String)) > 0
                    for index in range(len(group))
                )
            )
            score = score + case((found, weight), else_=0.0)
    return score


def fts_group(group: Group) -> str:
    """A group as an FTS5 query: each phrase a quoted string, never query syntax."""
    phrases = ['"' + " ".join(phrase).replace('"', '""') + '"' for phrase in group]
    return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"


def _sqlite_matches(
    shape: Shape,
    parameters: Parameters,
    where: list,
    limit: BindParameter | None,
    roughly: bool,
    among: bool = False,
    partial: bool = False,
) -> Select:
    """English studies from case_studies_fts, Welsh ones from case_studies_fts_cy, each the
    ``limit`` most recent matches, then the ``limit`` most recent of both."""
    match = parameters("match", String)
    arms = []
    for name, language in ((FTS_TABLE, CaseStudy.language != WELSH), (WELSH_FTS_TABLE, None)):
        fts = table(name, column("rowid"))
        arm_where = [*where] if language is None else [*where, language]
        if among:
            # On the index's rowid, where FTS5 seeks each one, rather than on the joined table.
            arm_where.append(fts.c.rowid.in_(parameters("among", expanding=True)))
        fts_table = literal_column(name)
        # bm25 is lower for better matches. It is computed only for the rows the LIMIT keeps,
        # because FTS5 walks the matches in rowid order and stops there; but its first call
        # reads every match of each word, to weigh the words (hence ``roughly``).
        score = rough_score(shape, parameters) if roughly else -func.bm25(fts_table, *FTS_WEIGHTS)
        if partial:
            score = score + GROUP_WEIGHT * _sqlite_groups_matched(shape, parameters, name)
        arm = (
            select(
                CaseStudy.id.label("id"),
                score.label("score"),
                CaseStudy.published_at.label("published_at"),
                CaseStudy.useful_count.label("useful_count"),
                CaseStudy.last_update_at.label("last_update_at"),
            )
            .select_from(fts)
            .join(CaseStudy, CaseStudy.id == fts.c.rowid)
            .where(fts_table.op("MATCH")(match), *arm_where)
            .order_by(fts.c.rowid.desc())
            .limit(limit)
            .subquery(f"{name}_matches")
        )
        arms.append(select(*arm.c))
    both = union_all(*arms).subquery("both_languages")
    query = select(*both.c)
    if limit is not None:
        query = query.order_by(both.c.id.desc()).limit(limit)
    return query


def _sqlite_groups_matched(shape: Shape, parameters: Parameters, name: str) -> ColumnElement[int]:
    """How many of the groups a candidate matches in the table ``name``: one seek into the
    index per group."""
    matched = literal_column("0")
    for number in range(len(shape)):
        part = table(name, column("rowid"), column(name)).alias(f"part_{number}")
        found = (
            select(literal_column("1"))
            .select_from(part)
            .where(
                part.c.rowid == CaseStudy.id,
                part.c[name].op("MATCH")(parameters(f"group_{number}", String)),
            )
            .exists()
        )
        matched = matched + case((found, 1), else_=0)
    return matched


def _pg_config(welsh: bool) -> ColumnElement:
    return literal_column("'simple'::regconfig" if welsh else "'english'::regconfig")


def _pg_phrase(number: int, index: int, parameters: Parameters, welsh: bool) -> BindParameter:
    """Phrase ``index`` of group ``number``, as written or, for Welsh studies (``welsh``), less
    the diacritics of Welsh vowels (search_parameters' ``phrase_cy_``)."""
    prefix = "phrase_cy" if welsh else "phrase"
    # The words are written into the SQL text, so PostgreSQL always plans for them: how many
    # studies hold a word decides the plan, and a plan made once for any words (which it may
    # keep for a statement prepared with parameters) took 880 ms for a common word where one
    # made for it takes a few. A text repeated (the same search again) keeps its own plan.
    return parameters(f"{prefix}_{number}_{index}", String, written_in=True)


def _pg_group(
    number: int,
    group: tuple[int, ...],
    parameters: Parameters,
    welsh: bool = False,
    paired: bool = False,
) -> ColumnElement:
    """Group ``number`` (of that shape) as a tsquery: with English stemming, or for Welsh
    studies (``welsh``) as the words are written, less the diacritics of Welsh vowels. With
    ``paired``, a query of PG_PHRASE_COLUMN, each phrase as its pairs of lexemes, which every
    study with the phrase has (search_phrase_query, migration 0022)."""
    config = _pg_config(welsh)
    phrase = func.search_phrase_query if paired else func.phraseto_tsquery
    queries = [
        (func.plainto_tsquery if words == 1 else phrase)(
            config, _pg_phrase(number, index, parameters, welsh)
        )
        for index, words in enumerate(group)
    ]
    return reduce(lambda one, other: one.op("||")(other), queries)


def _pg_groups(shape: Shape, parameters: Parameters, paired: bool = False) -> tuple[list, list]:
    """Each group of a search of ``shape`` as a tsquery for English studies, and for Welsh
    ones (of PG_PHRASE_COLUMN when ``paired``: _pg_group)."""
    english, welsh = (
        [
            _pg_group(number, group, parameters, welsh=welsh, paired=paired)
            for number, group in enumerate(shape)
        ]
        for welsh in (False, True)
    )
    return english, welsh


def _pg_all(parts: list, join: str = "&&") -> ColumnElement:
    """The tsqueries ``parts`` joined: all of them ("&&"), or any ("||")."""
    return reduce(lambda one, other: one.op(join)(other), parts)


def _pg_matches(shape: Shape, parameters: Parameters, join: str = "&&") -> ColumnElement[bool]:
    """The study matches every group of ``shape`` (``join`` "&&"), or any ("||").

    A search of words only asks search_vector's GIN index. One with a phrase asks
    PG_PHRASE_COLUMN's too. search_vector's index knows which words a study has but not where:
    it hands over every study with the phrase's words, whose vectors are read again for the
    phrase, and the planner, taking the phrase for as common as its words together, would
    rather walk the studies newest first. At 100,000 studies "care" and "home" are together in
    a fifth of them and "care at home" in none: 0.9 to 1.8 s a search. Every study with the
    phrase has its pairs of lexemes, so PG_PHRASE_COLUMN's index lists the few studies worth
    reading, and the planner has the pairs' own statistics; search_vector still decides, so
    the same studies match as without it."""
    vector = literal_column(f"case_studies.{PG_VECTOR_COLUMN}", TSVECTOR)

    def either(paired: bool) -> ColumnElement:
        english, welsh = (_pg_all(parts, join) for parts in _pg_groups(shape, parameters, paired))
        return _pg_either(english, welsh)

    if all(words == 1 for group in shape for words in group):
        return vector.op("@@")(either(paired=False))
    pairs = literal_column(f"case_studies.{PG_PHRASE_COLUMN}", TSVECTOR)
    # ts_match_vq is the @@ operator as a function, which no index answers: the planner then
    # lists the studies by PG_PHRASE_COLUMN's index alone, rather than also by search_vector's,
    # which would have both vectors of every study read again, and judges how many match by
    # the pairs' statistics (a function it cannot judge counts as a third). Written first, it
    # is the check made first when the planner walks the studies newest first (search_vector
    # is the smaller to read: 6 microseconds a study against 14).
    return and_(
        func.ts_match_vq(vector, either(paired=False), type_=Boolean),
        pairs.op("@@")(either(paired=True)),
    )


def _postgresql_matches(
    shape: Shape,
    parameters: Parameters,
    where: list,
    limit: BindParameter | None,
    partial: bool = False,
) -> Select:
    vector = literal_column(f"case_studies.{PG_VECTOR_COLUMN}", TSVECTOR)
    english_parts, welsh_parts = _pg_groups(shape, parameters)
    join = "||" if partial else "&&"
    english = _pg_all(english_parts, join)
    welsh = _pg_all(welsh_parts, join)
    # The candidates, the most recent matches first; ts_rank runs on those only, outside the
    # limited subquery.
    candidates = (
        select(
            CaseStudy.id.label("id"),
            CaseStudy.published_at.label("published_at"),
            CaseStudy.useful_count.label("useful_count"),
            CaseStudy.last_update_at.label("last_update_at"),
            CaseStudy.language.label("language"),
            vector.label("vector"),
        )
        .where(_pg_matches(shape, parameters, join), *where)
        .order_by(CaseStudy.id.desc())
        .limit(limit)
        .subquery("candidates")
    )
    is_welsh = candidates.c.language == WELSH
    score = func.ts_rank(
        candidates.c.vector, case((is_welsh, welsh), else_=english), PG_RANK_NORMALISATION
    )
    if partial:
        matched = sum(
            (
                case((candidates.c.vector.op("@@")(_pg_either(one, other)), 1), else_=0)
                for one, other in zip(english_parts, welsh_parts, strict=True)
            ),
            start=literal_column("0"),
        )
        score = score + GROUP_WEIGHT * matched
    return select(
        candidates.c.id,
        score.label("score"),
        candidates.c.published_at,
        candidates.c.useful_count,
        candidates.c.last_update_at,
    )


def _pg_either(english: ColumnElement, welsh: ColumnElement) -> ColumnElement:
    """One tsquery: ``english`` for English studies, ``welsh`` for Welsh ones, whose vectors
    hold PG_WELSH_MARKER (migration 0016). An English stem ("merch", of "merched") never finds
    a Welsh study that has the stem as a word, and the GIN index answers it alone: no check of
    the language, which would read the vector of every match again."""
    welsh_study = literal_column(f"'{PG_WELSH_MARKER}'::tsquery")
    english_study = literal_column(f"(!! '{PG_WELSH_MARKER}'::tsquery)")

    def only(words: ColumnElement, studies: ColumnElement) -> ColumnElement:
        # A query PostgreSQL's parser left empty ("½": Python saw a word, PostgreSQL none)
        # stays empty, matching nothing: "empty && marker" would be the marker alone, which
        # matches every study of that language.
        return case(
            (func.numnode(words) == 0, words),
            else_=words.self_group().op("&&")(studies).self_group(),
        )

    return only(english, english_study).op("||")(only(welsh, welsh_study))


def is_search_schema_object(name: str | None, type_: str, parent_names: dict) -> bool:
    """True for the search objects the migrations make outside the models (the FTS5 tables
    and their shadow tables; the tsvector columns and their indexes; the words table and its
    index), which schema comparisons skip."""
    if name is None:
        return False
    if type_ == "table":
        return any(
            name == prefix or name.startswith(prefix + "_") for prefix in (FTS_TABLE, WORDS_TABLE)
        )
    if type_ == "column":
        return parent_names.get("table_name") == "case_studies" and name in (
            PG_VECTOR_COLUMN,
            PG_PHRASE_COLUMN,
        )
    if type_ == "index":
        return name in (PG_VECTOR_INDEX, PG_PHRASE_INDEX, PG_WORDS_INDEX)
    return False


def include_in_schema_comparison(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's include_name hook: everything but the search objects."""
    return not is_search_schema_object(name, type_, parent_names)
