"""Full-text search, on SQLite (FTS5) and PostgreSQL (tsvector) alike.

The index follows the case_studies table by itself, so these tests change studies the plainest
way there is, through the ORM or raw SQL, and never through the app's services.
"""

from datetime import timedelta

import pytest
from sqlalchemy import inspect, text

from board import search
from board.browse.cache import results_cache
from board.extensions import db
from board.models import CaseStudy, Role, Status, Visibility
from board.models.base import utcnow
from tests.browse.test_board import statements_for
from tests.browse.test_filters import HX, get_titles, page_of
from tests.factories import make_council, make_study, make_user


@pytest.fixture
def library(app):
    with app.app_context():
        council = make_council("Searchshire Council")
        author = make_user(council)
        now = utcnow()
        ids = {
            "title": make_study(
                council,
                author,
                title="Phishing simulation for every officer",
                summary="We tested staff.",
                published_at=now - timedelta(days=30),
            ).id,
            "summary": make_study(
                council,
                author,
                title="Training that nobody finished",
                summary="A phishing course with a dull video.",
                published_at=now - timedelta(days=20),
            ).id,
            "section": make_study(
                council,
                author,
                title="Backups in the cloud",
                what_happened="A phishing email led to a locked laptop, restored from backup.",
                published_at=now - timedelta(days=10),
            ).id,
            "sensors": make_study(
                council,
                author,
                title="Air quality sensor on the high street",
                what_we_learned="Calibrate before you publish the numbers.",
            ).id,
            "members": make_study(
                council,
                author,
                title="Members only phishing incident",
                visibility=Visibility.MEMBERS,
            ).id,
            "draft": make_study(
                council, author, title="Draft phishing policy", status=Status.DRAFT
            ).id,
        }
        people = {
            "unverified": make_user(None, verified=False),
            "member": make_user(make_council()),
            "moderator": make_user(make_council(), role=Role.MODERATOR),
        }
        db.session.commit()
        return ids, people


def test_search_covers_title_summary_and_sections_ranked_by_relevance(client, library):
    titles = get_titles(client, "/?q=phishing")
    # The title match first, then the summary match, then the section match: relevance, not
    # age (the section match is the newest).
    assert titles == [
        "Phishing simulation for every officer",
        "Training that nobody finished",
        "Backups in the cloud",
    ]
    assert get_titles(client, "/?q=phishing&sort=newest") == list(reversed(titles))


def test_search_stems_words_and_needs_every_word(client, library):
    assert get_titles(client, "/?q=sensors") == ["Air quality sensor on the high street"]
    assert get_titles(client, "/?q=calibrating") == ["Air quality sensor on the high street"]
    assert get_titles(client, "/?q=phishing+laptop") == ["Backups in the cloud"]
    # No study has both words: the studies with one of them, and the page says so
    # (tests/browse/test_search_near.py).
    html = client.get("/?q=phishing+volcano").text
    assert "No case studies matched all your words" in html
    assert get_titles(client, "/?q=phishing+volcano") == get_titles(client, "/?q=phishing")


def test_search_ignores_case_punctuation_and_query_syntax(client, library):
    assert get_titles(client, "/?q=PHISHING%20-laptop") == get_titles(client, "/?q=phishing+laptop")
    for query in [
        '"phishing',
        "phish*",
        "NEAR(phishing laptop)",
        "phishing OR volcano",
        "laptop:phishing",
        "'; DROP TABLE case_studies; --",
        "(((",
        "ph!sh!ng",
    ]:
        response = client.get("/", query_string={"q": query})
        assert response.status_code == 200, query


def test_a_search_of_only_common_words_says_so(client, library):
    html = client.get("/?q=the+and+of").get_data(as_text=True)
    assert "has only very common words" in html


@pytest.mark.parametrize(
    ("who", "sees_members_only"),
    [(None, False), ("unverified", False), ("member", True), ("moderator", True)],
)
def test_members_only_studies_never_reach_visitors(
    client, sign_in, library, who, sees_members_only
):
    _, people = library
    if who:
        sign_in(people[who])
    for path in ["/?q=phishing", "/?q=members+incident", "/?q=phishing&sort=useful"]:
        titles = get_titles(client, path)
        titles += get_titles(client, path, headers=HX)
        assert ("Members only phishing incident" in titles) is sees_members_only
        assert "Draft phishing policy" not in titles


def test_matching_studies_query_filters_by_viewer(app, library):
    ids, people = library
    with app.app_context():
        dialect = db.engine.dialect.name
        visitor = search.matching_studies_query("phishing", None, dialect)
        found = {row.id for row in db.session.execute(visitor)}
        assert ids["members"] not in found and ids["draft"] not in found
        assert {ids["title"], ids["summary"], ids["section"]} <= found
        member = db.session.get(type(people["member"]), people["member"].id)
        assert ids["members"] in {
            row.id
            for row in db.session.execute(
                search.matching_studies_query("phishing", member, dialect)
            )
        }
        assert search.matching_studies_query("  ..  ", None, dialect) is None


def test_the_index_follows_every_change(app, client, library):
    ids, _ = library
    # Submitted, then published: found only once published.
    with app.app_context():
        study = make_study(
            make_council(), title="Geofencing for bin lorries", status=Status.SUBMITTED
        )
        db.session.commit()
        study_id = study.id
    assert get_titles(client, "/?q=geofencing") == []
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        study.status = Status.PUBLISHED
        study.published_at = utcnow()
        db.session.commit()
    assert get_titles(client, "/?q=geofencing") == ["Geofencing for bin lorries"]

    # An edit of the title and a section: the new words are found, the old ones are not.
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        study.title = "Route planning for bin lorries"
        study.what_we_tried = "Telematics in every cab."
        db.session.commit()
    assert get_titles(client, "/?q=geofencing") == []
    assert get_titles(client, "/?q=telematics") == ["Route planning for bin lorries"]

    # A change made in plain SQL, behind the ORM's back, is indexed too.
    with app.app_context():
        db.session.execute(
            text("UPDATE case_studies SET summary = 'Kerbside lidar survey' WHERE id = :id"),
            {"id": study_id},
        )
        db.session.commit()
    assert get_titles(client, "/?q=lidar") == ["Route planning for bin lorries"]

    # Reactions do not touch the index, and do not break it.
    with app.app_context():
        db.session.get(CaseStudy, study_id).useful_count = 3
        db.session.commit()
    assert get_titles(client, "/?q=telematics") == ["Route planning for bin lorries"]

    # Unpublished: gone from search.
    with app.app_context():
        db.session.get(CaseStudy, study_id).status = Status.WITHDRAWN
        db.session.commit()
    assert get_titles(client, "/?q=telematics") == []

    # Deleted: gone from the index itself.
    with app.app_context():
        db.session.delete(db.session.get(CaseStudy, ids["sensors"]))
        db.session.commit()
        if db.engine.dialect.name == "sqlite":
            # An external-content FTS5 index must still agree with its table.
            db.session.execute(
                text(
                    "INSERT INTO case_studies_fts(case_studies_fts, rank) "
                    "VALUES ('integrity-check', 1)"
                )
            )
    assert get_titles(client, "/?q=sensors") == []


def test_the_search_objects_exist_after_the_last_migration(app):
    """A later migration that rebuilds case_studies on SQLite would drop the triggers."""
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            triggers = set(
                connection.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            )
            assert set(search.FTS_TRIGGERS) <= triggers
            assert search.FTS_TABLE in inspect(connection).get_table_names()
        else:
            columns = {column["name"] for column in inspect(connection).get_columns("case_studies")}
            assert {search.PG_VECTOR_COLUMN, search.PG_PHRASE_COLUMN} <= columns
            indexes = {index["name"] for index in inspect(connection).get_indexes("case_studies")}
            assert {search.PG_VECTOR_INDEX, search.PG_PHRASE_INDEX} <= indexes


def test_a_search_with_too_many_matches_says_at_least(client, library, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATE_LIMIT", 2)
    html = client.get("/?q=phishing").get_data(as_text=True)
    assert "2 or more case studies" in html
    assert "the best among the 2 most recent matches" in html
    # The two most recent matches, ranked: the summary match outranks the section match.
    assert get_titles(client, "/?q=phishing") == [
        "Training that nobody finished",
        "Backups in the cloud",
    ]


def test_search_results_page(app, client):
    with app.app_context():
        council = make_council()
        author = make_user(council)
        for number in range(23):
            make_study(council, author, title=f"Kiosk pilot {number:02}")
        db.session.commit()
    first = client.get("/?q=kiosk").get_data(as_text=True)
    assert "23 case studies" in first and page_of(first) == "page 1 of 2"
    second = get_titles(client, "/?q=kiosk&page=2")
    assert len(second) == 3
    assert "There are no results on page 5" in client.get("/?q=kiosk&page=5").get_data(as_text=True)


def test_a_very_common_word_is_ranked_by_where_it_is_on_sqlite(app, client, library, monkeypatch):
    """bm25 reads every match of a word to weigh it: for a word in nearly every study that
    was most of a search's cost. Past the candidate limit SQLite ranks by title and summary."""
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
    ranker = "bm25(" if sqlite else "ts_rank("
    # Fewer matches than the limit: ranked by the index's own measure.
    rare = statements_for(app, client, "/?q=phishing")
    assert any(ranker in statement for statement in rare)
    monkeypatch.setattr(search, "CANDIDATE_LIMIT", 3)
    with app.app_context():
        results_cache.clear()  # the page above is cached, and the limit is not in its key
    common = statements_for(app, client, "/?q=phishing")
    assert any(ranker in statement for statement in common) is not sqlite
    # The title match, the summary match, then the section match, as bm25 ranks them.
    assert get_titles(client, "/?q=phishing") == [
        "Phishing simulation for every officer",
        "Training that nobody finished",
        "Backups in the cloud",
    ]
    assert "3 or more case studies" in client.get("/?q=phishing").text
