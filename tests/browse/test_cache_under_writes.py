"""The board's results cache while people write: reactions and comments keep cached pages,
every change the board shows discards them at once, and useful counts lag by at most the
configured time."""

import re

import pytest
from cachelib import simple
from sqlalchemy import insert, inspect, text

from board.extensions import db
from board.models import CaseStudy, Council, Outcome, Status, Topic, Visibility
from board.models.base import utcnow
from board.models.case_study import case_study_topics
from tests.conftest import csrf_token_from
from tests.factories import PASSWORD, make_study

# The columns of case_studies whose changes the board does not show, so they do not move the
# change counter: reaction counts (shown from the cache up to BOARD_CACHE_MAX_AGE late) and the
# time of the last edit. Rendered copies of the sections (``<section>_html``) and the version
# of the renderer that made them are not shown on the board either: no card shows a section.
NOT_ON_THE_BOARD = {"useful_count", "updated_at", "markdown_version"}
RENDERED_COPY = re.compile(r"_html$")


def version(app) -> int:
    with app.app_context():
        return db.session.scalar(text("SELECT version FROM board_version WHERE id = 1"))


def cache_said(response) -> str:
    """What the listing's Server-Timing header says: "hit" or "miss"."""
    match = re.search(r'results-cache;desc="(\w+)"', response.headers.get("Server-Timing", ""))
    assert match, f"no results-cache metric in {response.headers.get('Server-Timing')!r}"
    return match.group(1)


def study_row(app, study_id) -> CaseStudy:
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        db.session.expunge(study)
        return study


@pytest.fixture
def study(app, world):
    with app.app_context():
        study = make_study(world.here, world.people.author, title="Smart bins")
        db.session.commit()
        return study.id


@pytest.fixture
def visitor(app):
    """A client of its own: pytest-flask's ``client`` keeps its last request's context (and
    the user Flask-Login found in it) pushed, which a second client's requests would reuse."""
    return app.test_client()


@pytest.fixture
def member(app, world):
    """A client signed in as a verified member of another council, and its CSRF token."""
    client = app.test_client()
    login = client.get("/auth/login").text
    response = client.post(
        "/auth/login",
        data={
            "email": world.people.outsider.email,
            "password": PASSWORD,
            "csrf_token": csrf_token_from(login),
        },
    )
    assert response.status_code == 302
    return client, csrf_token_from(client.get("/").text)


def warm(client, path: str, headers=None) -> None:
    """Ask for ``path`` until its block is cached."""
    client.get(path, headers=headers or {})
    assert cache_said(client.get(path, headers=headers or {})) == "hit"


# Reactions, comments and reports.


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_a_useful_mark_keeps_the_cached_board(app, visitor, member, study, headers):
    member_client, csrf = member
    warm(visitor, "/", headers)
    warm(member_client, "/", headers)
    before = version(app)
    updated_before = study_row(app, study).updated_at

    response = member_client.post(f"/studies/{study}/useful", data={"csrf_token": csrf})
    assert response.status_code == 302, response.headers

    marked = study_row(app, study)
    assert marked.useful_count == 1
    assert version(app) == before
    # A mark is not an edit: the study's "updated" time stays.
    assert marked.updated_at == updated_before
    assert cache_said(visitor.get("/", headers=headers)) == "hit"
    assert cache_said(member_client.get("/", headers=headers)) == "hit"


def test_unmarking_keeps_the_cached_board_too(app, visitor, member, study):
    member_client, csrf = member
    member_client.post(f"/studies/{study}/useful", data={"csrf_token": csrf})
    warm(visitor, "/")
    before, updated_before = version(app), study_row(app, study).updated_at
    member_client.post(f"/studies/{study}/useful", data={"csrf_token": csrf})
    unmarked = study_row(app, study)
    assert unmarked.useful_count == 0 and unmarked.updated_at == updated_before
    assert version(app) == before
    assert cache_said(visitor.get("/")) == "hit"


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/studies/{id}/tried-too", {}),
        ("/studies/{id}/comments", {"body": "We tried this in 2019 and it worked."}),
        ("/reports", {"target": "study:{id}", "reason": "spam", "details": "Selling bins"}),
    ],
    ids=["tried-too", "comment", "report"],
)
def test_other_contributions_keep_the_cached_board(app, visitor, member, study, path, form):
    member_client, csrf = member
    warm(visitor, "/")
    before, updated_before = version(app), study_row(app, study).updated_at
    data = {name: value.format(id=study) for name, value in form.items()}
    response = member_client.post(path.format(id=study), data={"csrf_token": csrf, **data})
    assert response.status_code == 302, response.text
    assert version(app) == before
    assert study_row(app, study).updated_at == updated_before
    assert cache_said(visitor.get("/")) == "hit"


def test_the_study_page_shows_a_mark_at_once(app, member, study):
    """Only the board's cards may lag; the study's own page is never cached."""
    member_client, csrf = member
    member_client.post(f"/studies/{study}/useful", data={"csrf_token": csrf})
    assert "1 member found this useful" in member_client.get(f"/studies/{study}/smart-bins").text


# Changes the board shows.


def _publish_draft(study_id):
    draft = db.session.get(CaseStudy, study_id)
    draft.status = Status.PUBLISHED
    draft.published_at = draft.submitted_at


def _members_only(study_id):
    db.session.get(CaseStudy, study_id).visibility = Visibility.MEMBERS


def _unpublish(study_id):
    db.session.get(CaseStudy, study_id).status = Status.WITHDRAWN


def _retitle(study_id):
    db.session.get(CaseStudy, study_id).title = "Smart bins, renamed"


def _rename_council(study_id):
    db.session.get(CaseStudy, study_id).council.name = "Renamedshire Council"


def _add_topic(study_id):
    db.session.execute(
        insert(case_study_topics).values(
            case_study_id=study_id,
            topic_id=db.session.scalar(db.select(Topic.id).where(Topic.slug == "cyber-security")),
        )
    )


def _outcome(study_id):
    db.session.get(CaseStudy, study_id).outcome = Outcome.WORKED


# (change, the page that shows it, what it says before, what it says after)
CHANGES = [
    (_publish_draft, "/", {"Draft bins": False}, {"Draft bins": True}),
    (_unpublish, "/", {"Smart bins": True}, {"Smart bins": False}),
    (_members_only, "/", {"Smart bins": True}, {"Smart bins": False}),
    (_retitle, "/", {"Smart bins": True}, {"Smart bins, renamed": True}),
    (_rename_council, "/", {"Hereshire Council": True}, {"Renamedshire Council": True}),
    (_add_topic, "/?topic=cyber-security", {"Smart bins": False}, {"Smart bins": True}),
    (_outcome, "/?outcome=worked", {"Smart bins": False}, {"Smart bins": True}),
]


def says(page: str, expected: dict[str, bool]) -> bool:
    return all((text in page) is shown for text, shown in expected.items())


@pytest.mark.parametrize(
    ("change", "path", "before", "after"),
    CHANGES,
    ids=[change.__name__.strip("_") for change, *_ in CHANGES],
)
def test_a_change_the_board_shows_discards_its_pages_at_once(
    app, client, world, study, change, path, before, after
):
    with app.app_context():
        draft = make_study(world.here, title="Draft bins", status=Status.SUBMITTED)
        db.session.commit()
        target = draft.id if change is _publish_draft else study
    warm(client, path)
    assert says(client.get(path).text, before)
    counter = version(app)

    with app.app_context():
        change(target)
        db.session.commit()

    assert version(app) > counter
    page = client.get(path)
    assert cache_said(page) == "miss"
    assert says(page.text, after)


def test_unpublishing_through_the_moderators_form_discards_the_board(app, client, as_role, study):
    warm(client, "/")
    assert f'href="/studies/{study}/smart-bins"' in client.get("/").text
    as_role("moderator")
    csrf = csrf_token_from(client.get(f"/studies/{study}/smart-bins").text)
    response = client.post(
        f"/moderation/studies/{study}/unpublish",
        data={"csrf_token": csrf, "note": "Names a resident."},
    )
    assert response.status_code == 302
    client.post("/auth/logout", data={"csrf_token": csrf})
    page = client.get("/")
    # The flash message names it; its card is gone.
    assert cache_said(page) == "miss" and f'href="/studies/{study}/smart-bins"' not in page.text


def test_members_only_studies_never_reach_a_visitors_cached_page(app, visitor, member, world):
    member_client, _ = member
    with app.app_context():
        make_study(world.here, title="Ransomware near miss", visibility=Visibility.MEMBERS)
        db.session.commit()
    warm(member_client, "/")
    assert "Ransomware near miss" in member_client.get("/").text
    # The member's entry is there, under the same counter and the same URL: a visitor misses it.
    page = visitor.get("/")
    assert cache_said(page) == "miss" and "Ransomware near miss" not in page.text
    assert "Ransomware near miss" not in visitor.get("/").text


# How late counts may be.


class Clock:
    """The results cache's clock (SimpleCache reads time.time), moved on by hand."""

    def __init__(self, monkeypatch):
        self.now = 1_000_000.0
        monkeypatch.setattr(simple, "time", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def card_order(page: str, *titles: str) -> list[str]:
    return sorted(titles, key=page.index)


def test_useful_counts_and_order_are_at_most_the_max_age_late(
    app, visitor, member, world, study, clock
):
    app.config["BOARD_CACHE_MAX_AGE"] = 30
    with app.app_context():
        # Newer, so first while neither has a mark.
        make_study(world.here, title="Newer pilot", published_at=utcnow())
        db.session.commit()
    member_client, csrf = member
    warm(visitor, "/?sort=useful")
    assert card_order(visitor.get("/?sort=useful").text, "Smart bins", "Newer pilot") == [
        "Newer pilot",
        "Smart bins",
    ]

    member_client.post(f"/studies/{study}/useful", data={"csrf_token": csrf})

    clock.advance(29)
    late = visitor.get("/?sort=useful")
    assert cache_said(late) == "hit"
    assert card_order(late.text, "Smart bins", "Newer pilot") == ["Newer pilot", "Smart bins"]
    clock.advance(1)
    fresh = visitor.get("/?sort=useful")
    assert cache_said(fresh) == "miss"
    assert card_order(fresh.text, "Smart bins", "Newer pilot") == ["Smart bins", "Newer pilot"]
    assert "1 member found this useful" in fresh.text


def test_a_max_age_of_zero_keeps_nothing(app, client, study):
    app.config["BOARD_CACHE_MAX_AGE"] = 0
    client.get("/")
    assert cache_said(client.get("/")) == "miss"


# The header.


@pytest.mark.parametrize(
    "path",
    ["/", "/?outcome=did-not-work", "/topics/data-and-research", "/councils/hereshire-council"],
)
def test_every_listing_says_whether_its_block_was_cached(client, study, path):
    assert cache_said(client.get(path)) == "miss"
    assert cache_said(client.get(path)) == "hit"
    assert cache_said(client.get(path, headers={"HX-Request": "true"})) == "miss"


@pytest.mark.parametrize("path", ["/studies/{id}/smart-bins", "/healthz", "/topics/no-such-topic"])
def test_other_pages_say_nothing_about_the_results_cache(client, study, path):
    response = client.get(path.format(id=study))
    assert "results-cache" not in response.headers.get("Server-Timing", "")


def test_without_a_cache_every_listing_is_a_miss(app, client, study, monkeypatch):
    from board.browse import cache

    monkeypatch.setattr(cache.results_cache, "get", lambda key: None)
    client.get("/")
    assert cache_said(client.get("/")) == "miss"


# The migration.


def watched_columns(connection) -> set[str]:
    """The case_studies columns whose update moves the board's change counter."""
    if connection.dialect.name == "postgresql":
        return set(
            connection.execute(
                text(
                    "SELECT a.attname FROM pg_trigger t JOIN pg_attribute a "
                    "ON a.attrelid = t.tgrelid AND a.attnum = ANY(t.tgattr::int2[]) "
                    "WHERE t.tgname = 'case_studies_board_version'"
                )
            ).scalars()
        )
    sql = connection.execute(
        text("SELECT sql FROM sqlite_master WHERE name = 'case_studies_board_version_update'")
    ).scalar_one()
    match = re.search(r"UPDATE OF (.+?) ON case_studies", sql)
    return {name.strip() for name in match.group(1).split(",")} if match else set()


def test_every_column_the_board_may_show_is_watched(app):
    """A column added to case_studies later is not watched until a migration says so: this
    fails until it is either watched or named in NOT_ON_THE_BOARD."""
    with app.app_context(), db.engine.connect() as connection:
        columns = {
            column["name"]
            for column in inspect(connection).get_columns("case_studies")
            # PostgreSQL's, generated from watched columns.
            if column["name"] not in ("search_vector", "search_phrases")
        }
        watched = watched_columns(connection)
    unwatched = columns - watched
    assert {"useful_count", "updated_at"} <= unwatched
    assert {name for name in unwatched if not RENDERED_COPY.search(name)} <= NOT_ON_THE_BOARD
    assert watched <= columns


def test_the_migration_downgrades_to_the_old_triggers_and_back(app, study):
    from flask_migrate import downgrade, upgrade

    def bumps_on_a_count_change() -> bool:
        before = version(app)
        with app.app_context():
            db.session.execute(text("UPDATE case_studies SET useful_count = useful_count + 1"))
            db.session.commit()
        return version(app) > before

    def bumps_on_a_title_change() -> bool:
        before = version(app)
        with app.app_context():
            db.session.execute(text("UPDATE case_studies SET title = title || '!'"))
            db.session.commit()
        return version(app) > before

    assert not bumps_on_a_count_change() and bumps_on_a_title_change()
    try:
        with app.app_context():
            downgrade(revision="0007")  # before 0008
        assert bumps_on_a_count_change() and bumps_on_a_title_change()
    finally:
        # On PostgreSQL the database outlives the test: whatever happened, back to the newest.
        with app.app_context():
            upgrade()
    assert not bumps_on_a_count_change() and bumps_on_a_title_change()
    # Inserts and deletes still move it; the full-text index still follows the text.
    with app.app_context():
        council = db.session.scalar(db.select(Council))
        before = version(app)
        make_study(council, title="Chatbot for council tax")
        db.session.commit()
        assert version(app) > before
        before = version(app)
        db.session.execute(text("DELETE FROM case_studies WHERE title LIKE 'Chatbot%'"))
        db.session.commit()
        assert version(app) > before
    with app.app_context():
        db.session.execute(text("UPDATE case_studies SET title = 'Smart sensors'"))
        db.session.commit()
    assert "Smart sensors" in app.test_client().get("/?q=sensors").text
