"""The board's results cache: never older than the data, never shared across audiences."""

import pytest
from sqlalchemy import text, update

from board.extensions import db
from board.models import CaseStudy, Council, Status, Topic, Visibility
from tests.factories import make_council, make_study, make_user


def version(app) -> int:
    with app.app_context():
        return db.session.scalar(text("SELECT version FROM board_version WHERE id = 1"))


@pytest.fixture
def study(app):
    with app.app_context():
        council = make_council("Cacheshire Council")
        study = make_study(council, title="Parking sensors we switched off")
        db.session.commit()
        return study.id


def test_every_change_to_what_the_board_shows_moves_the_counter_on(app, study):
    changes = [
        update(CaseStudy).where(CaseStudy.id == study).values(title="Renamed"),
        update(CaseStudy).where(CaseStudy.id == study).values(visibility=Visibility.MEMBERS),
        update(CaseStudy).where(CaseStudy.id == study).values(status=Status.WITHDRAWN),
        # Even a statement that also sets the useful count.
        update(CaseStudy).where(CaseStudy.id == study).values(useful_count=5, summary="New"),
        update(Council).values(name="Renamed Council"),
        # The same value: the topics are shared by every test on PostgreSQL.
        update(Topic).where(Topic.slug == "cyber-security").values(name_en=Topic.name_en),
        text("DELETE FROM case_study_topics"),
        text(
            "INSERT INTO case_study_topics (case_study_id, topic_id) SELECT case_studies.id, "
            "topics.id FROM case_studies, topics WHERE topics.slug = 'cyber-security'"
        ),
        text("DELETE FROM case_studies"),
    ]
    for change in changes:
        before = version(app)
        with app.app_context():
            db.session.execute(change)
            db.session.commit()
        assert version(app) > before, change


def test_a_change_to_the_useful_count_alone_leaves_the_counter(app, study):
    """Counts shown from the cache may lag by BOARD_CACHE_MAX_AGE instead
    (tests/browse/test_cache_under_writes.py)."""
    changes = [
        update(CaseStudy).where(CaseStudy.id == study).values(useful_count=5),
        text("UPDATE case_studies SET useful_count = useful_count + 1, updated_at = updated_at"),
    ]
    for change in changes:
        before = version(app)
        with app.app_context():
            db.session.execute(change)
            db.session.commit()
        assert version(app) == before, change


def test_a_rolled_back_change_leaves_the_counter(app, study):
    before = version(app)
    with app.app_context():
        db.session.execute(update(CaseStudy).values(title="Never saved"))
        db.session.rollback()
    assert version(app) == before


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_a_cached_page_follows_changes_at_once(app, client, study, headers):
    assert "Parking sensors we switched off" in client.get("/", headers=headers).text
    assert "Parking sensors we switched off" in client.get("/", headers=headers).text
    with app.app_context():
        db.session.execute(
            update(CaseStudy).where(CaseStudy.id == study).values(title="Sensors, renamed")
        )
        db.session.commit()
    page = client.get("/", headers=headers).text
    assert "Sensors, renamed" in page and "Parking sensors we switched off" not in page
    with app.app_context():
        db.session.execute(
            update(CaseStudy).where(CaseStudy.id == study).values(status=Status.CHANGES_REQUESTED)
        )
        db.session.commit()
    assert "Sensors, renamed" not in client.get("/", headers=headers).text


def test_members_and_visitors_never_share_a_cached_page(app, client, sign_in, csrf_token):
    with app.app_context():
        council = make_council("Secretshire Council")
        make_study(council, title="Ransomware near miss", visibility=Visibility.MEMBERS)
        member = make_user(council)
        db.session.commit()
    sign_in(member)
    assert "Ransomware near miss" in client.get("/").text
    client.post("/auth/logout", data={"csrf_token": csrf_token("/")})
    assert "Ransomware near miss" not in client.get("/").text
    # And the other way round: a visitor's page first, then a member's.
    sign_in(member)
    assert "Ransomware near miss" in client.get("/?sort=newest").text


def test_the_whole_page_is_rendered_around_the_cached_block(client, study):
    client.get("/auth/login")  # a session whose token the page around the block must carry
    client.get("/")
    page = client.get("/").text
    assert page.count('<div id="board"') == 1
    assert page.count('id="filters"') == 1
    # The page around the block is the visitor's own: their session's CSRF token.
    assert "<html" in page and "X-CSRFToken" in page


@pytest.fixture
def counter_removed(app):
    """The counter's row deleted, and put back afterwards: on PostgreSQL the board_version
    table is kept from one test to the next."""
    with app.app_context():
        row = db.session.execute(text("SELECT id, version FROM board_version")).one()
        db.session.execute(text("DELETE FROM board_version"))
        db.session.commit()
    yield
    with app.app_context():
        db.session.execute(
            text("INSERT INTO board_version (id, version) VALUES (:id, :version)"),
            row._asdict(),
        )
        db.session.commit()


def test_without_the_counter_nothing_is_cached(app, client, study, counter_removed):
    assert "Parking sensors we switched off" in client.get("/").text
    with app.app_context():
        db.session.execute(update(CaseStudy).values(title="Still fresh"))
        db.session.commit()
    assert "Still fresh" in client.get("/").text
