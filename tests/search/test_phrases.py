"""A phrase ("care at home", a line of board/search_synonyms.txt) finds the studies that have
its words one after another, on both databases, and not those that have them apart. On
PostgreSQL the studies worth checking are listed by search_phrases (each study's lexemes in
pairs, migration 0022) rather than by the words alone (board/search.py _pg_matches); these
tests pin what that depends on: every study with a phrase has its pairs."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from board import search
from board.extensions import db
from tests.browse.test_filters import get_titles
from tests.factories import make_council, make_study
from tests.statements import statements_for

AT_HOME = "Moving the care at home rota to a mobile app"
HOME_CARE = "Home care workers get tablets"
CARE_HOME = "Tablets for care home residents"
APART = "Home visits, and a care plan for each"
WELSH_AT_HOME = "Care at home yng Ngwynedd"
WELSH_APART = "Care yn y home"
WIRELESS = "Wireless internet in every library"
NOT_WIRELESS = "Internet that is wireless, at last"
NEATH_PORT_TALBOT = "Neath Port Talbot kiosks"
# Every pair of "neath port talbot" ('neath 1 port', 'port 1 talbot', 'neath 2 talbot'), but
# never the three words one after another.
NEATH_APART = "Neath port vans, Port Talbot depots, Neath and Talbot staff"
ALL_WORDS = "No case studies matched all your words. These match some of them:"


@pytest.fixture
def phrases(app):
    with app.app_context():
        council = make_council("Phrase Council")
        for title in (
            AT_HOME,
            HOME_CARE,
            CARE_HOME,
            APART,
            WIRELESS,
            NOT_WIRELESS,
            NEATH_PORT_TALBOT,
            NEATH_APART,
        ):
            make_study(council, title=title, summary="What we tried.")
        for title in (WELSH_AT_HOME, WELSH_APART):
            make_study(council, title=title, summary="Beth wnaethon ni.", language="cy")
        db.session.commit()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        # One group: homecare, home care, care at home, domiciliary care.
        ("care at home", {AT_HOME, HOME_CARE, WELSH_AT_HOME}),
        ("home care", {AT_HOME, HOME_CARE, WELSH_AT_HOME}),
        ("homecare", {AT_HOME, HOME_CARE, WELSH_AT_HOME}),
        ("wi fi", {WIRELESS}),
        ("wireless internet", {WIRELESS}),
        # Three words: their pairs are not enough.
        ("neath port talbot", {NEATH_PORT_TALBOT}),
        ("care at home rota", {AT_HOME}),
        ("volcano eruption", set()),
    ],
)
def test_a_phrase_finds_its_words_together_only(client, phrases, query, found):
    assert set(get_titles(client, "/", query_string={"q": query})) == found


def test_a_phrase_in_a_partial_search_counts_only_together(client, phrases):
    html = client.get("/", query_string={"q": "care at home zebra"}).text
    assert ALL_WORDS in html
    assert set(get_titles(client, "/", query_string={"q": "care at home zebra"})) == {
        AT_HOME,
        HOME_CARE,
        WELSH_AT_HOME,
    }


def test_the_api_finds_a_phrase_as_the_board_does(client, phrases):
    response = client.get("/api/v1/studies", query_string={"q": "care at home"})
    assert response.status_code == 200
    titles = {study["title"] for study in response.get_json()["studies"]}
    assert titles == {AT_HOME, HOME_CARE, WELSH_AT_HOME}


def postgresql(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


@pytest.mark.parametrize(
    ("query", "phrases_read"), [("care at home", True), ("wi fi", True), ("kiosks", False)]
)
def test_on_postgresql_a_phrase_is_looked_up_in_its_pairs(
    app, client, phrases, query, phrases_read
):
    statements = [
        statement
        for statement in statements_for(app, client, f"/?q={query.replace(' ', '+')}")
        if "tsquery" in statement or "MATCH" in statement
    ]
    assert statements
    for statement in statements:
        if postgresql(app):
            assert (f"{search.PG_PHRASE_COLUMN} @@" in statement) == phrases_read
            assert ("search_phrase_query(" in statement) == phrases_read
            # The words still decide, checked by a function no index answers.
            assert (f"ts_match_vq(case_studies.{search.PG_VECTOR_COLUMN}" in statement) == (
                phrases_read
            )
        else:
            assert search.PG_PHRASE_COLUMN not in statement


# Texts and phrases that try the pairs' edges: stop words between (counted as places), the same
# word twice, words three places apart, a hyphen (one word and its parts), and Welsh, whose
# stop words are words.
TEXTS = [
    "Care at home",
    "care for home",
    "care nursing home",
    "home care",
    "care home",
    "care, and then home",
    "care care home",
    "Care at the home of the resident",
    "Neath Port Talbot",
    "Port Talbot near Neath",
    "Free wi-fi in the market",
    "x of the y",
    "sign in with a key",
]
PHRASES = [
    "care at home",
    "home care",
    "care care",
    "care home",
    "care the home",
    "neath port talbot",
    "port talbot",
    "wi fi",
    "free wi fi",
    "x of the y",
    "sign in",
    "the",
]


@pytest.mark.parametrize("config", ["english", "simple"])
def test_every_vector_with_a_phrase_has_its_pairs(app, config):
    """search_phrase_document(v) @@ search_phrase_query(p) wherever v @@ phraseto_tsquery(p):
    listing the studies by their pairs loses none."""
    if not postgresql(app):
        pytest.skip("PostgreSQL's search objects")
    with app.app_context():
        rows = db.session.execute(
            text(
                "SELECT body, phrase, "
                "  to_tsvector(CAST(:config AS regconfig), body) "
                "    @@ phraseto_tsquery(CAST(:config AS regconfig), phrase), "
                "  search_phrase_document(to_tsvector(CAST(:config AS regconfig), body)) "
                "    @@ search_phrase_query(CAST(:config AS regconfig), phrase) "
                "FROM unnest(CAST(:texts AS text[])) AS body, "
                "  unnest(CAST(:phrases AS text[])) AS phrase"
            ),
            {"config": config, "texts": TEXTS, "phrases": PHRASES},
        ).all()
    assert len(rows) == len(TEXTS) * len(PHRASES)
    assert sum(matches for _body, _phrase, matches, _paired in rows) >= len(TEXTS)
    for body, phrase, matches, paired in rows:
        if matches:
            assert paired, (body, phrase)
    # Pairs say more than the words alone: a study with both words apart is not listed.
    listed = {(body, phrase) for body, phrase, _matches, paired in rows if paired}
    assert ("care home", "care at home") not in listed
    assert ("home care", "care home") not in listed


def test_a_phrase_is_its_pairs(app):
    if not postgresql(app):
        pytest.skip("PostgreSQL's search objects")
    with app.app_context():
        queries = dict(
            db.session.execute(
                text(
                    "SELECT phrase, CAST(search_phrase_query('english', phrase) AS text) "
                    "FROM unnest(CAST(:phrases AS text[])) AS phrase"
                ),
                {"phrases": ["care at home", "neath port talbot", "x of the y", "sign in"]},
            ).all()
        )
    assert queries == {
        "care at home": "'care 2 home'",
        "neath port talbot": "'neath 1 port' & 'neath 2 talbot' & 'port 1 talbot'",
        # Too far apart for a pair: each word alone.
        "x of the y": "'x' & 'y'",
        "sign in": "'sign'",
    }


def test_search_phrases_follows_a_study(app, phrases):
    """Computed from search_vector, which the triggers keep: an edit shows at once."""
    if not postgresql(app):
        pytest.skip("PostgreSQL's search objects")
    with app.app_context():
        matches = text(
            "SELECT count(*) FROM case_studies "
            "WHERE search_phrases @@ search_phrase_query('english', 'domiciliary care')"
        )
        assert db.session.scalar(matches) == 0
        db.session.execute(
            text("UPDATE case_studies SET summary = 'Domiciliary care rotas.' WHERE title = :t"),
            {"t": APART},
        )
        assert db.session.scalar(matches) == 1
        db.session.rollback()


# Each call of search_phrase_pairs, the plpgsql function that makes a study's pairs, counted by
# PostgreSQL in the transaction (track_functions, which a superuser may set for a session).
PAIRS_MADE = text(
    "SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions "
    "WHERE funcname = 'search_phrase_pairs'"
)


def pairs_made_by(statement: str, parameters: dict) -> int:
    db.session.execute(text("SET LOCAL track_functions = 'pl'"))
    before = db.session.scalar(PAIRS_MADE)
    db.session.execute(text(statement), parameters)
    return db.session.scalar(PAIRS_MADE) - before


def test_a_count_changing_leaves_the_pairs_alone(app, phrases):
    """A "Useful" toggle updates useful_count: the study's pairs are not made again (a
    generated column was, on every update: migration 0023). A change to its words does."""
    if not postgresql(app):
        pytest.skip("PostgreSQL's search objects")
    with app.app_context():
        counted = "UPDATE case_studies SET useful_count = useful_count + 1 WHERE title = :t"
        assert pairs_made_by(counted, {"t": APART}) == 0
        # Named, but the same words: the vector is what it was.
        same = "UPDATE case_studies SET summary = summary WHERE title = :t"
        assert pairs_made_by(same, {"t": APART}) == 0
        edited = "UPDATE case_studies SET summary = 'Domiciliary care.' WHERE title = :t"
        assert pairs_made_by(edited, {"t": APART}) == 1
        db.session.rollback()


@pytest.mark.parametrize(
    ("change", "phrase"),
    [
        # The council's and topics' names are in the vector, set by their own triggers.
        ("UPDATE councils SET name = 'Domiciliary Care Council'", "domiciliary care council"),
        (
            "INSERT INTO case_study_topics (case_study_id, topic_id) "
            "SELECT case_studies.id, topics.id FROM case_studies, topics "
            "WHERE case_studies.title = :t AND topics.slug = 'cyber-security'",
            "cyber security",
        ),
    ],
)
def test_search_phrases_follows_the_names_in_a_study(app, phrases, change, phrase):
    if not postgresql(app):
        pytest.skip("PostgreSQL's search objects")
    with app.app_context():
        matches = text(
            "SELECT count(*) FROM case_studies "
            "WHERE search_phrases @@ search_phrase_query('english', :phrase)"
        )
        before = db.session.scalar(matches, {"phrase": phrase})
        db.session.execute(text(change), {"t": APART})
        assert db.session.scalar(matches, {"phrase": phrase}) > before
        db.session.rollback()


def test_a_new_study_has_its_pairs(app, phrases):
    if not postgresql(app):
        pytest.skip("PostgreSQL's search objects")
    with app.app_context():
        empty = db.session.scalar(
            text("SELECT count(*) FROM case_studies WHERE search_phrases IS NULL")
        )
        assert empty == 0
