"""Related studies (board/related.py) and the search's near and partial matches (board/search.py,
migration 0014): hostile text, who may see what, the index and the change counter, and time."""

from __future__ import annotations

import re
import sys
import time

import pytest
from sqlalchemy import text

from board import related, search
from board.browse.cache import results_cache
from board.extensions import db
from board.models import CaseStudy, Council, Status, Topic, Visibility
from board.related import related_studies
from tests.browse.test_filters import HX, get_titles
from tests.factories import make_council, make_study, make_user

SIMILAR = "No case studies matched your words as you typed them. These match similar words."
ALL_WORDS = "No case studies matched all your words. These match some of them:"

HOSTILE = [
    '"',
    '""""',
    "'",
    "\\",
    "\\'",
    'kiosk" OR "*',
    "NEAR(kiosk library) AND NOT title:kiosk",
    "title:kiosk",
    "{title summary}: kiosk",
    "kiosk*",
    "^kiosk",
    "-kiosk",
    "kiosk & !library | (station:*",
    "kiosk <-> library <2> station",
    "kiosk ' ; DROP TABLE case_studies; --",
    "kiosk % _ %%",
    "kïosk café naïve 東京 Ωmega",
    "kiosk 🚀🚀 👩‍👩‍👧",
    "kiosk\u0000library",
    "kiosk\nlibrary\r\nstation\tend",
    "(((((((",
    "x" * 10_000,
    "kiosk " * 2_000,
    ("abcdefghijklmnopqrstuvwxyz" * 400)[:10_000],
]


def ids_of(studies) -> list[int]:
    return [study.id for study in studies]


def word_characters() -> list[str]:
    """Every character Python's ``[^\\W_]`` takes as part of a word (what both features keep)."""
    pattern = re.compile(r"[^\W_]")
    return [
        chr(point)
        for point in range(sys.maxunicode + 1)
        if not 0xD800 <= point <= 0xDFFF and pattern.match(chr(point))
    ]


# -- related studies ---------------------------------------------------------------------------


def test_related_takes_every_unicode_word_character_as_a_word_and_never_as_syntax(app, world):
    """The PostgreSQL statement has the words written into it: any letter or digit of any
    script must still be a word there (and on SQLite, inside a quoted FTS5 string)."""
    with app.app_context():
        similar = make_study(world.here, title="Kiosk library", summary="Kiosk library.")
        db.session.commit()
        characters = word_characters()
        # Words of 40 characters (MAX_TERM_LENGTH), ten a statement: every character once.
        words = ["".join(characters[start : start + 40]) for start in range(0, len(characters), 40)]
        # With "kiosk", as many as are ranked: every word reaches PostgreSQL's to_tsquery.
        size = min(related.RANKED_WORDS, related.WORDS_PROBED) - 1
        for start in range(0, len(words), size):
            chunk = words[start : start + size]
            found = related_studies("kiosk " + " ".join(chunk), [], None)
            assert similar.id in ids_of(found), chunk


@pytest.mark.parametrize("hostile", HOSTILE)
def test_related_reads_hostile_text_as_words_only(app, world, hostile):
    with app.app_context():
        similar = make_study(world.here, title="Kiosk library", summary="A kiosk.")
        db.session.commit()
        found = related_studies(hostile.replace("\u0000", " "), [], None)
        if "kiosk" in hostile.lower().split()[:1] or hostile.lower().startswith("kiosk"):
            assert similar.id in ids_of(found)


def test_a_study_page_whose_text_has_no_words_still_shows(app, client, world):
    with app.app_context():
        study = make_study(
            world.here,
            title="!!! ??? ...",
            summary="\u2014 \u2013 \u2026 \u201c\u201d \u2018\u2019 \U0001f680",
        )
        db.session.commit()
        address = f"/studies/{study.id}"
    response = client.get(address, follow_redirects=True)
    assert response.status_code == 200
    assert "!!! ??? ..." in response.text


def test_a_study_page_with_query_syntax_quotes_and_backslashes_in_its_title_shows_its_kin(
    app, client, world
):
    with app.app_context():
        kin = make_study(world.there, title="Kiosk library station", summary="Kiosk.")
        study = make_study(
            world.here,
            title='Kiosk NEAR(library) title:station "quoted" \\back\\ ^kiosk* O\'Brien',
            summary="AND OR NOT -library {title}: kiosk " + "y" * 250,
        )
        db.session.commit()
        address, kin_title = f"/studies/{study.id}", kin.title
    response = client.get(address, follow_redirects=True)
    assert response.status_code == 200
    assert kin_title in response.text


def test_related_never_shows_drafts_withdrawn_unpublished_or_members_only_to_visitors(
    app, client, world, sign_in
):
    with app.app_context():
        source = make_study(world.here, title="Kiosk library pilot", summary="Kiosk library.")
        hidden = {
            "Kiosk library draft": {"status": Status.DRAFT},
            "Kiosk library submitted": {"status": Status.SUBMITTED},
            "Kiosk library withdrawn": {"status": Status.WITHDRAWN},
            "Kiosk library members": {"visibility": Visibility.MEMBERS},
        }
        for title, fields in hidden.items():
            make_study(world.there, title=title, summary="Kiosk library.", **fields)
        unpublished = make_study(world.there, title="Kiosk library unpublished", summary="K.")
        db.session.commit()
        unpublished.status = Status.WITHDRAWN
        db.session.commit()
        address = f"/studies/{source.id}"
        source_title = source.title
    html = client.get(address, follow_redirects=True).text
    for title in [*hidden, "Kiosk library unpublished"]:
        assert title not in html
    # An unverified account is no member either.
    with app.app_context():
        unverified = db.session.merge(world.people.unverified)
        titles = [other.title for other in related_studies(source_title, [], unverified)]
        assert "Kiosk library members" not in titles
    sign_in(world.people.outsider)
    html = client.get(address, follow_redirects=True).text
    assert "Kiosk library members" in html
    for title in ["Kiosk library draft", "Kiosk library withdrawn", "Kiosk library unpublished"]:
        assert title not in html


def test_related_is_quick_and_two_statements_with_ten_thousand_common_characters(app, world):
    with app.app_context():
        for number in range(30):
            make_study(world.there, title=f"Council residents services {number}")
        db.session.commit()
        texts = [
            ("council residents services staff pilot " * 300)[:10_000],
            "a" * 10_000,
            " ".join(f"w{number}x" for number in range(2_000))[:10_000],
        ]
        for asked in texts:
            started = time.perf_counter()
            related_studies(asked, [1, 2, 3], None)
            assert time.perf_counter() - started < 0.5


# -- search: hostile input ---------------------------------------------------------------------


@pytest.fixture
def kiosks(app):
    with app.app_context():
        council = make_council("Gwynedd Council")
        ids = {
            "library": make_study(council, title="Kiosk in the library", summary="A kiosk.").id,
            "station": make_study(council, title="Kiosk at the station", summary="Screens.").id,
        }
        db.session.commit()
        return ids


@pytest.mark.parametrize("hostile", HOSTILE)
def test_no_search_path_reads_hostile_input_as_syntax(client, kiosks, hostile):
    for path in ["/", "/api/v1/studies", "/feeds/latest.atom"]:
        for headers in [{}, HX]:
            response = client.get(path, query_string={"q": hostile}, headers=headers)
            assert response.status_code in (200, 400), (path, response.status_code)
    # The near paths too: a misspelt word with the hostile text.
    response = client.get("/", query_string={"q": "kiosq " + hostile[:150]})
    assert response.status_code == 200


def test_search_functions_take_hostile_groups_directly(app, kiosks):
    """The near paths (nearest words, partial matches) with every hostile text as the words."""
    with app.app_context():
        dialect = db.engine.dialect.name
        for hostile in HOSTILE:
            groups = search.plan_search(hostile.replace("\u0000", " "))
            if not groups:
                continue
            search.nearer_groups(groups, dialect)
            for partial in (False, True):
                query = search.matching_studies_query(
                    "", None, dialect, groups=groups, partial=partial
                )
                db.session.execute(query).all()


def test_a_title_with_line_breaks_is_indexed_and_its_words_learnt(app, client):
    with app.app_context():
        make_study(
            make_council(),
            title='Care\nat home\r\nfor\tpeople "leaving" hospital \\ ward',
            summary='Line\none "two" \\ three \u000b four',
        )
        db.session.commit()
        every_word = text(f"SELECT word FROM {search.WORDS_TABLE}")  # noqa: S608
        words = set(db.session.scalars(every_word))
    assert {"care", "home", "hospital", "leaving", "line"} <= words
    assert get_titles(client, "/?q=care+at+home") != []
    assert get_titles(client, "/?q=hospitl") != []


# -- search: who sees what through the near and partial paths ----------------------------------


@pytest.fixture
def hidden_zebras(app, kiosks):
    """Studies about zebras nobody but members (and, for the members-only one, only members)
    may find, each with a word of its own."""
    with app.app_context():
        council = make_council("Hiddenshire Council")
        make_study(council, title="Zebra quokka draft", status=Status.DRAFT)
        make_study(council, title="Zebra quokka submitted", status=Status.SUBMITTED)
        make_study(council, title="Zebra quokka withdrawn", status=Status.WITHDRAWN)
        unpublished = make_study(council, title="Zebra quokka unpublished")
        make_study(council, title="Zebra quokka members", visibility=Visibility.MEMBERS)
        db.session.commit()
        unpublished.status = Status.SUBMITTED
        db.session.commit()


NEVER = ["draft", "submitted", "withdrawn", "unpublished"]


@pytest.mark.parametrize(
    "query",
    [
        "zebra quokka",  # every word
        "zebre quoka",  # near matches
        "zebra kiosk volcano",  # partial
        "zebre kiosk volcano",  # near, then partial
        "quokka station",  # partial with a visible study
    ],
)
def test_hidden_studies_are_never_found_by_near_or_partial_matches(
    app, client, sign_in, hidden_zebras, query
):
    titles = get_titles(client, "/", query_string={"q": query})
    assert not [title for title in titles if title.startswith("Zebra")], titles
    api = client.get("/api/v1/studies", query_string={"q": query}).text
    feed = client.get("/feeds/latest.atom", query_string={"q": query}).text
    assert "Zebra" not in api and "Zebra" not in feed
    with app.app_context():
        member = make_user(make_council())
        db.session.commit()
    sign_in(member)
    with app.app_context():
        results_cache.clear()
    titles = get_titles(client, "/", query_string={"q": query})
    assert not [title for title in titles if title.split()[-1] in NEVER], titles


def test_a_study_withdrawn_deleted_or_edited_leaves_every_search_path(app, client, kiosks):
    with app.app_context():
        study = make_study(make_council(), title="Quokka census by drone")
        db.session.commit()
        study_id = study.id
    assert get_titles(client, "/?q=quoka") == ["Quokka census by drone"]
    assert get_titles(client, "/?q=quokka+volcano") == ["Quokka census by drone"]
    with app.app_context():
        db.session.get(CaseStudy, study_id).status = Status.WITHDRAWN
        db.session.commit()
    for query in ["quokka", "quoka", "quokka volcano", "quoka volcano"]:
        assert get_titles(client, "/", query_string={"q": query}) == [], query
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        study.status = Status.PUBLISHED
        study.title = "Wombat census by drone"
        db.session.commit()
    assert get_titles(client, "/?q=quokka") == []
    assert get_titles(client, "/?q=wombat") == ["Wombat census by drone"]
    # Moved to another council: indexed with the new council's name.
    with app.app_context():
        db.session.get(CaseStudy, study_id).council = make_council("Ynys Mon Council")
        db.session.commit()
    assert get_titles(client, "/?q=ynys+wombat") == ["Wombat census by drone"]
    with app.app_context():
        db.session.execute(
            text("DELETE FROM case_study_topics WHERE case_study_id = :id"), {"id": study_id}
        )
        db.session.execute(text("DELETE FROM case_studies WHERE id = :id"), {"id": study_id})
        db.session.commit()
        if db.engine.dialect.name == "sqlite":
            rows = db.session.scalar(
                text(f"SELECT count(*) FROM {search.FTS_TABLE} WHERE rowid = :id"),  # noqa: S608
                {"id": study_id},
            )
            assert rows == 0
    assert get_titles(client, "/?q=wombat") == []


# -- the note ----------------------------------------------------------------------------------


def test_the_near_note_is_announced_after_a_form_change_and_shown_without_javascript(
    client, kiosks
):
    from board.browse.routes import FILTER_FORM_ID

    fragment = client.get(
        "/", query_string={"q": "kiosq"}, headers={**HX, "HX-Trigger": FILTER_FORM_ID}
    ).text
    status = re.search(r'<p id="result-status"[^>]*>(.*?)</p>', fragment, re.S).group(1)
    assert SIMILAR in status
    page = client.get("/", query_string={"q": "kiosq"}).text
    assert SIMILAR in page
    # What was typed is never written into the note.
    page = client.get("/", query_string={"q": "kiosq <script>alert(1)</script>"}).text
    assert "<script>alert(1)</script>" not in page


# -- migration 0014 and the change counter -----------------------------------------------------


def all_triggers(connection) -> set[tuple[str, str]]:
    if connection.dialect.name == "sqlite":
        rows = connection.execute(
            text("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        )
    else:
        rows = connection.execute(
            text(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c "
                "ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
            )
        )
    return {(table, name) for table, name in rows}


def counter() -> int:
    return db.session.scalar(text("SELECT version FROM board_version WHERE id = 1"))


def moves_the_counter(change) -> bool:
    before = counter()
    change()
    db.session.commit()
    return counter() > before


def assert_every_change_moves_the_counter(study_id: int) -> None:
    def rename_council():
        db.session.execute(
            text(
                "UPDATE councils SET name = name || ' x' WHERE id = "
                "(SELECT council_id FROM case_studies WHERE id = :id)"
            ),
            {"id": study_id},
        )

    def change_topics():
        db.session.execute(
            text("DELETE FROM case_study_topics WHERE case_study_id = :id"), {"id": study_id}
        )

    def add_topic():
        db.session.execute(
            text(
                "INSERT INTO case_study_topics (case_study_id, topic_id) "
                "SELECT :id, id FROM topics WHERE slug = 'cyber-security'"
            ),
            {"id": study_id},
        )

    def withdraw():
        db.session.execute(
            text("UPDATE case_studies SET status = 'withdrawn' WHERE id = :id"), {"id": study_id}
        )

    def publish():
        db.session.execute(
            text("UPDATE case_studies SET status = 'published' WHERE id = :id"), {"id": study_id}
        )

    for change in [rename_council, change_topics, add_topic, withdraw, publish]:
        assert moves_the_counter(change), change.__name__


def test_0014_downgrades_and_upgrades_keeping_every_other_trigger_and_the_index(app):
    from flask_migrate import downgrade, upgrade

    with app.app_context():
        study = make_study(make_council("Gwynedd Council"), title="Kiosk library")
        db.session.commit()
        study_id = study.id
        status = db.session.scalar(
            text("SELECT status FROM case_studies WHERE id = :id"), {"id": study_id}
        )
        assert status == "published"
        with db.engine.connect() as connection:
            at_head = all_triggers(connection)
        assert_every_change_moves_the_counter(study_id)
        db.session.remove()
        downgrade(revision="0014")
        with db.engine.connect() as connection:
            at_0014 = all_triggers(connection)
        downgrade(revision="0013")
        with db.engine.connect() as connection:
            at_0013 = all_triggers(connection)
        made_by_0014 = {name for _table, name in at_0014 - at_0013}
        # Only 0014's own triggers differ.
        assert made_by_0014 <= {
            *search.FTS_TRIGGERS,
            *search.PG_TRIGGERS,
            *search.SQLITE_WORDS_TRIGGERS,
        } | {
            "search_words_trigrams_insert",
            "search_words_trigrams_delete",
        }
        assert {name for _table, name in at_head if "board_version" in name} <= {
            name for _table, name in at_0013
        }
        assert_every_change_moves_the_counter(study_id)
        db.session.remove()
        upgrade()
        with db.engine.connect() as connection:
            assert all_triggers(connection) == at_head
        assert_every_change_moves_the_counter(study_id)
        # The index is whole again, council names and words included.
        db.session.execute(
            text(
                "UPDATE councils SET name = 'Gwynedd Council' WHERE id = "
                "(SELECT council_id FROM case_studies WHERE id = :id)"
            ),
            {"id": study_id},
        )
        db.session.commit()
        found = db.session.execute(
            search.matching_studies_query("gwynedd kiosk", None, db.engine.dialect.name)
        ).all()
        assert [row.id for row in found] == [study_id]
        assert search.nearest_words("kiosq", db.engine.dialect.name) == ["kiosk"]


def test_a_council_or_topic_renamed_moves_the_counter_and_the_index(app, client, kiosks):
    with app.app_context():
        before = counter()
        db.session.scalar(
            db.select(Council).where(Council.name == "Gwynedd Council")
        ).name = "Cyngor Gwynedd"
        db.session.commit()
        assert counter() > before
        before = counter()
        topic = db.session.scalar(db.select(Topic).where(Topic.slug == "data-and-research"))
        topic.name = "Evidence zyxwv"
        db.session.commit()
        assert counter() > before
    assert len(get_titles(client, "/?q=cyngor")) == 2
    assert len(get_titles(client, "/?q=zyxwv")) == 2


# -- search: what the vocabulary of misspellings gives away ------------------------------------


def test_a_word_only_hidden_studies_hold_changes_nothing_a_visitor_sees(app, client):
    with app.app_context():
        make_study(make_council(), title="Zebra crossing counts", summary="Counts.")
        db.session.commit()
    before = get_titles(client, "/?q=zebrafish")
    with app.app_context():
        make_study(make_council(), title="Zebrafish secrets", status=Status.DRAFT)
        make_study(make_council(), title="Zebrafish secrets", visibility=Visibility.MEMBERS)
        db.session.commit()
        results_cache.clear()
    assert get_titles(client, "/?q=zebrafish") == before


# -- what the page offers beside near or partial matches ---------------------------------------


@pytest.mark.parametrize("query", ["kiosq", "kiosk volcano"])
def test_no_download_link_promises_near_or_partial_results_it_does_not_hold(client, kiosks, query):
    """The CSV comes from the API, which finds studies matching every word as typed: beside
    near or partial matches, "Download these results" would download none of them."""
    page = client.get("/", query_string={"q": query}).text
    assert SIMILAR in page or ALL_WORDS in page
    shown = get_titles(client, "/", query_string={"q": query})
    assert shown
    link = re.search(r'<a class="govuk-link" href="([^"]+)">Download these results', page)
    if link:
        csv = client.get(link.group(1).replace("&amp;", "&")).text
        assert all(title in csv for title in shown), csv


def test_every_unicode_word_character_is_only_a_word_on_every_search_path(app, kiosks):
    """Strict, near (nearest words, joined words) and partial searches, with words of every
    character Python keeps: none is read as FTS5 or tsquery syntax."""
    from board.browse.forms import BoardFilters
    from board.browse.results import find_studies

    with app.app_context():
        topics = list(db.session.scalars(db.select(Topic)))
        characters = word_characters()
        words = ["".join(characters[start : start + 40]) for start in range(0, len(characters), 40)]
        for start in range(0, len(words), search.MAX_TERMS - 1):
            asked = "kiosk " + " ".join(words[start : start + search.MAX_TERMS - 1])
            page = find_studies(BoardFilters(q=asked), None, 20, topics)
            assert page.near == "some" and len(page.items) == 2, asked
