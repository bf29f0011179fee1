"""Search in Welsh: a Welsh study's words are matched as written, never through an English
stem, on SQLite and PostgreSQL alike; the board, the API and the CSV download agree."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from board import search
from board.extensions import db
from board.models import CaseStudy, Nation
from board.models.base import utcnow
from tests.browse.test_filters import get_titles
from tests.conftest import base_config, make_test_app
from tests.factories import make_council, make_study, make_user

CODING_CLUBS = "Clybiau codio i ferched mewn ysgolion uwchradd"
MOTHERS = "Sesiynau ar-lein i'r ferch a'i mam"
GIRLS_IN_ENGLISH = "Coding clubs for girls in schools"
CROSSING = "Gwasanaethau cymorth digidol i ferched ifanc"


@pytest.fixture
def app(database_url):
    config = base_config(database_url)
    config.update(PUBLIC_URL="http://caseboard.example", TRUSTED_HOSTS=["localhost"])
    app = make_test_app(config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def shelf(app):
    with app.app_context():
        gwynedd = make_council("Gwynedd Council", nation=Nation.WALES)
        author = make_user(gwynedd)
        now = utcnow()
        ids = {
            "clubs": make_study(
                gwynedd,
                author,
                language="cy",
                title=CODING_CLUBS,
                summary=(
                    "Daeth merched blwyddyn 8 i glwb codio bob wythnos. Pwllheli oedd y dref "
                    "gyntaf, ac wedyn ysgolion eraill Llŷn."
                ),
                what_happened=(
                    "Mae cynghorau eraill wedi gofyn am y deunyddiau, ac mae gwasanaethau "
                    "ieuenctid y sir yn eu defnyddio."
                ),
                published_at=now - timedelta(days=3),
            ).id,
            "mothers": make_study(
                gwynedd,
                author,
                language="cy",
                title=MOTHERS,
                summary="Dysgodd pob merch a'i mam sut i ddefnyddio'r ap gyda'i gilydd.",
                published_at=now - timedelta(days=2),
            ).id,
            "english": make_study(
                make_council("Schoolshire Council"),
                title=GIRLS_IN_ENGLISH,
                summary="Weekly coding clubs for girls, run by school staff.",
                published_at=now - timedelta(days=1),
            ).id,
            # Written in Welsh, but saved as English: indexed with English stemming until its
            # language is put right.
            "crossing": make_study(
                gwynedd,
                author,
                title=CROSSING,
                summary="Cymorth i merched ifanc ddefnyddio gwasanaethau ar-lein yn Nolgellau.",
                published_at=now - timedelta(days=4),
            ).id,
        }
        db.session.commit()
    return SimpleNamespace(ids=ids)


def titles(client, query: str) -> list[str]:
    return get_titles(client, f"/?q={query}")


@pytest.mark.parametrize("word", ["ysgolion", "cynghorau", "gwasanaethau", "merched"])
def test_a_welsh_word_finds_the_welsh_study(client, shelf, word):
    assert CODING_CLUBS in titles(client, word)


def test_an_english_stem_never_reaches_a_welsh_study(client, shelf):
    # English stemming would make "merched" (girls) "merch" (a girl), both in the index and in
    # the search, so each would find the other.
    found = titles(client, "merched")
    assert CODING_CLUBS in found and MOTHERS not in found
    found = titles(client, "merch")
    assert MOTHERS in found and CODING_CLUBS not in found
    # English studies are stemmed as before: "school" finds "schools", "girl" finds "girls".
    assert titles(client, "school girl") == [GIRLS_IN_ENGLISH]


def test_welsh_words_are_indexed_as_written(app, shelf):
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            rows = db.session.execute(
                text(f"SELECT rowid FROM {search.WELSH_FTS_TABLE} ORDER BY rowid")  # noqa: S608
            ).scalars()
            assert list(rows) == sorted([shelf.ids["clubs"], shelf.ids["mothers"]])
        else:
            vector = db.session.scalar(
                text("SELECT search_vector::text FROM case_studies WHERE id = :id"),
                {"id": shelf.ids["clubs"]},
            )
            assert "'merched'" in vector and "'ysgolion'" in vector
            assert "'merch'" not in vector
            # Without the to bach.
            assert "'llyn'" in vector


@pytest.mark.parametrize("query", ["Pwllheli", "Llŷn", "llyn", "llyn Pwllheli"])
def test_a_welsh_place_name_finds_the_study(client, shelf, query):
    assert titles(client, query) == [CODING_CLUBS]


def test_welsh_common_words_do_not_have_to_match(client, shelf):
    assert search.plan_search("ysgolion yn Gwynedd") == ((("ysgolion",),), (("gwynedd",),))
    assert titles(client, "ysgolion yn y sir") == [CODING_CLUBS]


def test_a_misspelt_welsh_word_finds_the_word_the_studies_have(client, shelf):
    html = client.get("/?q=ysgolon").text
    assert CODING_CLUBS in html
    # Some of the words: a Welsh study matching one of two.
    assert CODING_CLUBS in titles(client, "ysgolion volcano")


def test_a_study_that_becomes_welsh_is_found_the_welsh_way(app, client, shelf):
    study_id = shelf.ids["crossing"]
    # As English: stemmed, so "merch" finds its "merched".
    assert CROSSING in titles(client, "merch")
    with app.app_context():
        before = db.session.scalar(text("SELECT version FROM board_version"))
        db.session.get(CaseStudy, study_id).language = "cy"
        db.session.commit()
        # The board shows a study's language: the change counter moves.
        assert db.session.scalar(text("SELECT version FROM board_version")) > before
    assert CROSSING not in titles(client, "merch")
    assert CROSSING in titles(client, "merched")
    assert CROSSING in titles(client, "Dolgellau")
    # And back again.
    with app.app_context():
        db.session.get(CaseStudy, study_id).language = "en"
        db.session.commit()
        if db.engine.dialect.name == "sqlite":
            welsh = db.session.execute(
                text(f"SELECT rowid FROM {search.WELSH_FTS_TABLE}")  # noqa: S608
            ).scalars()
            assert study_id not in list(welsh)
    assert CROSSING in titles(client, "merch")


def test_a_welsh_study_keeps_its_topics_and_council_in_the_index(app, client, shelf):
    with app.app_context():
        db.session.execute(
            text("UPDATE councils SET name = 'Cyngor Gwynedd' WHERE name = 'Gwynedd Council'")
        )
        db.session.commit()
    assert set(titles(client, "cyngor")) == {CODING_CLUBS, MOTHERS, CROSSING}
    assert CODING_CLUBS in titles(client, "research")


def test_the_api_and_the_download_find_what_the_board_finds(client, shelf):
    for query in ("merched", "merch", "ysgolion", "llyn"):
        board = titles(client, query)
        answer = client.get(f"/api/v1/studies?q={query}").get_json()
        assert sorted(study["title"] for study in answer["studies"]) == sorted(board), query
        download = client.get(f"/api/v1/studies.csv?q={query}").get_data().decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(download)))
        assert sorted(row["title"] for row in rows) == sorted(board), query
