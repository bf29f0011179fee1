"""Search finds what councillors type: council and topic names, synonyms, other spellings,
misspellings, and, when no study matches every word, the studies matching some of them.

As in test_search.py, studies are changed through the ORM or plain SQL: the index follows the
tables by itself (migration 0014), council and topic names included.
"""

from datetime import timedelta

import pytest
from sqlalchemy import inspect, text

from board import search
from board.browse.cache import results_cache
from board.browse.routes import FILTER_FORM_ID
from board.extensions import db
from board.models import CaseStudy, Council, Topic, Visibility
from board.models.base import utcnow
from tests.browse.test_board import statements_for
from tests.browse.test_filters import HX, get_titles
from tests.factories import make_council, make_study, make_user

ALL_WORDS = "No case studies matched all your words. These match some of them:"
SIMILAR = "No case studies matched your words as you typed them. These match similar words."


@pytest.fixture
def shelf(app):
    with app.app_context():
        gwynedd = make_council("Gwynedd Council")
        other = make_council("Otherton Council")
        now = utcnow()
        ids = {
            "signal": make_study(
                gwynedd,
                title="Mapping mobile signal from bin lorries",
                summary="Sensors on every lorry.",
                topics=["smart-places-technology"],
                published_at=now - timedelta(days=3),
            ).id,
            "sign-in": make_study(
                other,
                title="Passwordless sign-in for staff",
                summary="Security keys in place of passwords.",
                topics=["cyber-security"],
                published_at=now - timedelta(days=2),
            ).id,
            "colour": make_study(
                other,
                title="Colour contrast on the website",
                summary="Grey text nobody could read.",
                topics=["digital-communications"],
                published_at=now - timedelta(days=1),
            ).id,
            "recycling": make_study(
                other,
                title="Recycling reminders by text",
                summary="A message the night before collection.",
                topics=["digital-communications"],
            ).id,
            "both": make_study(
                other,
                title="Kiosk in the library",
                summary="A self-service kiosk.",
                published_at=now - timedelta(days=20),
            ).id,
            "kiosk": make_study(
                other,
                title="Kiosk at the station",
                summary="Timetables on a screen.",
                published_at=now - timedelta(days=10),
            ).id,
            "members": make_study(
                other,
                title="Zebra crossing sensors",
                summary="Members only.",
                visibility=Visibility.MEMBERS,
            ).id,
        }
        db.session.commit()
        return ids


def test_council_names_are_searched_and_follow_a_rename(app, client, shelf):
    assert get_titles(client, "/?q=gwynedd") == ["Mapping mobile signal from bin lorries"]
    assert get_titles(client, "/?q=gwynedd+lorries") == ["Mapping mobile signal from bin lorries"]
    with app.app_context():
        council = db.session.scalar(db.select(Council).where(Council.name == "Gwynedd Council"))
        council.name = "Cyngor Gwynedd"
        db.session.commit()
    assert get_titles(client, "/?q=cyngor") == ["Mapping mobile signal from bin lorries"]
    assert get_titles(client, "/?q=gwynedd") == ["Mapping mobile signal from bin lorries"]


def test_topic_names_are_searched_and_follow_changes(app, client, shelf):
    assert "Mapping mobile signal from bin lorries" in get_titles(client, "/?q=smart+places")
    with app.app_context():
        study = db.session.get(CaseStudy, shelf["signal"])
        study.topics = list(
            db.session.scalars(db.select(Topic).where(Topic.slug == "data-and-research"))
        )
        db.session.commit()
    assert "Mapping mobile signal from bin lorries" not in get_titles(client, "/?q=smart+places")
    assert "Mapping mobile signal from bin lorries" in get_titles(client, "/?q=research")
    with app.app_context():
        db.session.execute(
            text("UPDATE topics SET name = 'Evidence and insight' WHERE slug = 'data-and-research'")
        )
        db.session.commit()
    assert "Mapping mobile signal from bin lorries" in get_titles(client, "/?q=insight")
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            db.session.execute(
                text(
                    "INSERT INTO case_studies_fts(case_studies_fts, rank) "
                    "VALUES ('integrity-check', 1)"
                )
            )


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("login", "Passwordless sign-in for staff"),
        ("log on", "Passwordless sign-in for staff"),
        ("color", "Colour contrast on the website"),
        ("gray text", "Colour contrast on the website"),
    ],
)
def test_synonyms_and_other_spellings_match_every_time(client, shelf, query, title):
    html = client.get("/", query_string={"q": query}).text
    assert title in get_titles(client, "/?" + f"q={query}")
    # Found by every word: nothing to say.
    assert ALL_WORDS not in html and SIMILAR not in html


def test_a_misspelt_word_finds_the_nearest_known_words_and_says_so(client, shelf):
    for query in ["recyling", "recyling reminders", "gwyned"]:
        html = client.get("/", query_string={"q": query}).text
        assert SIMILAR in html, query
    assert get_titles(client, "/?q=recyling") == ["Recycling reminders by text"]
    assert get_titles(client, "/?q=gwyned") == ["Mapping mobile signal from bin lorries"]
    # The htmx fragment says it too.
    assert SIMILAR in client.get("/?q=recyling", headers=HX).text


def test_words_written_as_one_are_joined(client, shelf):
    with client.application.app_context():
        make_study(make_council(), title="Free public wifi in the market square")
        db.session.commit()
    assert get_titles(client, "/?q=wi+fi+market") == ["Free public wifi in the market square"]


def test_without_a_study_matching_every_word_some_words_rank_by_how_many(client, shelf):
    html = client.get("/?q=kiosk+library+volcano").text
    assert ALL_WORDS in html
    # Two words matched rank above one, though the one-word match is newer.
    assert get_titles(client, "/?q=kiosk+library+volcano") == [
        "Kiosk in the library",
        "Kiosk at the station",
    ]
    # After a change in the search form, said in the live region too, after the count.
    fragment = client.get(
        "/?q=kiosk+library+volcano", headers={**HX, "HX-Trigger": FILTER_FORM_ID}
    ).text
    assert f"2 case studies. {ALL_WORDS}</p>" in fragment


def test_nothing_near_leaves_an_empty_page_without_the_notes(client, shelf):
    html = client.get("/?q=volcano+glacier").text
    assert get_titles(client, "/?q=volcano+glacier") == []
    assert ALL_WORDS not in html and SIMILAR not in html


@pytest.mark.parametrize("query", ["zebra volcano", "zebre", "zebra"])
def test_near_matches_never_show_members_only_studies_to_visitors(
    client, sign_in, app, shelf, query
):
    assert "Zebra crossing sensors" not in get_titles(client, "/", query_string={"q": query})
    with app.app_context():
        member = make_user(make_council())
        db.session.commit()
    sign_in(member)
    with app.app_context():
        results_cache.clear()
    found = "Zebra crossing sensors" in get_titles(client, "/", query_string={"q": query})
    # A misspelling is matched only against words everyone may read (search_words learns no
    # word of a members-only study), so "zebre" finds it for no one; the word itself does.
    assert found is (query != "zebre")


def test_a_search_that_finds_something_costs_what_it_did(app, client, shelf):
    """Only a search that found nothing looks further (vocabulary, then some words)."""
    found = statements_for(app, client, "/?q=kiosk")
    assert not any(search.WORDS_TABLE in statement for statement in found)
    with app.app_context():
        results_cache.clear()
    missed = statements_for(app, client, "/?q=kiosk+volcano")
    assert any(search.WORDS_TABLE in statement for statement in missed)
    # The search for every word, the vocabulary look-up, one nearest-words look-up (for
    # "volcano": none, so no search with near words), the partial search: four more.
    assert len(missed) - len(found) <= 4


def test_the_search_objects_of_0014_exist(app):
    with app.app_context(), db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        assert search.WORDS_TABLE in tables
        if connection.dialect.name == "sqlite":
            assert search.TRIGRAM_TABLE in tables
            triggers = set(
                connection.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            )
            assert set(search.FTS_TRIGGERS) <= triggers
            columns = [
                row[1] for row in connection.execute(text("PRAGMA table_info(case_studies_fts)"))
            ]
            assert columns[:7] == [
                "title",
                "summary",
                "challenge",
                "what_we_tried",
                "what_happened",
                "what_we_learned",
                "what_we_would_do_differently",
            ]
        else:
            triggers = set(
                connection.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))
            )
            assert set(search.PG_TRIGGERS) <= triggers


def test_the_synonyms_file_reads_as_groups():
    groups, longest = search.synonyms()
    assert longest >= 3
    assert ("sign", "in") in groups[("login",)]
    assert groups[("webcast",)] is groups[(search.word_key("webcasting"),)]
    assert search.plan_search("the and of") == ()
    assert search.spelling_variants("organisations") == ["organizations"]
    assert search.similarity("recycling", "recycling") == 1.0
