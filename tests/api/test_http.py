"""HTTP around the API: conditional GET, shared caching, CORS, and errors as
application/problem+json (400 elsewhere, here 404, 405, 429, 500, 503)."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from board.extensions import db
from board.models import CaseStudy, Visibility
from board.models.base import utcnow
from tests.api.conftest import PUBLIC_URL, base_config, make_test_app
from tests.factories import make_council, make_study

JSON_ANSWERS = [
    "/api/v1/studies",
    "/api/v1/studies?topic=cyber-security&sort=useful",
    "/api/v1/topics",
    "/api/v1/councils",
    "/api/v1/openapi.json",
    "/api/v1/questions",
    "/api/v1/questions?topic=cyber-security&answered=false",
]


@pytest.mark.parametrize("path", JSON_ANSWERS)
def test_an_unchanged_answer_is_not_sent_again(client, board, path):
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert first.cache_control.public
    assert first.cache_control.s_maxage == 60
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    other = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


@pytest.mark.parametrize("path", JSON_ANSWERS)
def test_a_members_browser_gets_the_same_shareable_answer(client, board, sign_in, path):
    """A member's browser sends its session cookie with every request, the API's included: the
    answer is still a visitor's, so a shared cache may keep it, and 304s work."""
    visitors = client.get(path)
    sign_in(board.author)
    response = client.get(path)
    assert response.status_code == 200
    assert response.get_data() == visitors.get_data()
    assert response.cache_control.public and response.cache_control.s_maxage == 60
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_study_answers_304_until_something_is_published(app, client, board):
    path = f"/api/v1/studies/{board.ids['a']}"
    etag = client.get(path).headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    listing = client.get("/api/v1/studies")
    with app.app_context():
        make_study(make_council("Laterton Council"), title="Something new", published_at=utcnow())
        db.session.commit()
    changed = client.get("/api/v1/studies", headers={"If-None-Match": listing.headers["ETag"]})
    assert changed.status_code == 200
    assert changed.get_json()["studies"][0]["title"] == "Something new"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/studies", "/api/v1/studies/999999", "/api/v1/nothing-here", "/api/v1/studies.csv"],
)
def test_any_site_may_read_it_without_credentials(client, board, path):
    response = client.get(path, headers={"Origin": "https://a-regional-site.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


def test_a_preflight_allows_a_conditional_get(client, board):
    response = client.options(
        "/api/v1/studies",
        headers={
            "Origin": "https://a-regional-site.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_the_site_itself_is_not_opened_to_other_sites(client, board):
    assert "Access-Control-Allow-Origin" not in client.get("/").headers
    assert "Access-Control-Allow-Origin" not in client.get("/api").headers


def _assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    return body


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/studies/", "/api/v1/"])
def test_an_address_that_is_not_there_is_a_problem(client, path):
    _assert_problem(client.get(path), 404)


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_the_api_is_read_only(client, method):
    response = getattr(client, method)("/api/v1/studies")
    _assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


@pytest.fixture
def limited_app(database_url):
    config = base_config(database_url)
    config.update(PUBLIC_URL=PUBLIC_URL, TRUSTED_HOSTS=["localhost"], API_RATE_LIMIT="3 per minute")
    yield from _disposed_after(make_test_app(config))


def _disposed_after(app):
    """Yield ``app``, then close its database connections (PostgreSQL's would otherwise be
    garbage collected open, a ResourceWarning in whichever test runs then)."""
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_too_many_requests_is_a_problem_with_a_wait(limited_app):
    client = limited_app.test_client()
    paths = ["/api/v1/topics", "/api/v1/councils", "/api/v1/studies"]
    for path in paths:  # one budget for the whole API
        assert client.get(path).status_code == 200
    response = client.get("/api/v1/topics")
    body = _assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) >= 1
    assert "Wait" in body["detail"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    # Another address has its own budget; the site's pages are not limited by the API's.
    other = client.get("/api/v1/topics", environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert other.status_code == 200
    assert client.get("/").status_code == 200


@pytest.fixture
def fragile_app(database_url):
    config = base_config(database_url)
    config.update(PUBLIC_URL=PUBLIC_URL, TRUSTED_HOSTS=["localhost"], PROPAGATE_EXCEPTIONS=False)
    yield from _disposed_after(make_test_app(config))


def test_a_failure_is_a_problem_not_a_page(fragile_app, monkeypatch, caplog):
    from board.api import studies

    def broken(*args, **kwargs):
        raise RuntimeError("something broke")

    monkeypatch.setattr(studies, "find_page", broken)
    response = fragile_app.test_client().get("/api/v1/studies")
    body = _assert_problem(response, 500)
    assert "something broke" not in body["detail"]


def test_an_unreachable_database_is_a_problem_with_a_retry(fragile_app, monkeypatch, caplog):
    from board.api import studies

    def unreachable(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(studies, "find_page", unreachable)
    response = fragile_app.test_client().get("/api/v1/studies")
    _assert_problem(response, 503)
    # At least ours; the rate limiter raises it to when its window resets, if later.
    assert int(response.headers["Retry-After"]) >= 10


def test_a_study_made_members_only_leaves_at_once_even_for_a_cached_copy(app, client, board):
    path = "/api/v1/studies?topic=cyber-security"
    first = client.get(path)
    assert board.ids["a"] in [study["id"] for study in first.get_json()["studies"]]
    with app.app_context():
        from board.models import CaseStudy, Visibility

        db.session.get(CaseStudy, board.ids["a"]).visibility = Visibility.MEMBERS
        db.session.commit()
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert board.ids["a"] not in [study["id"] for study in again.get_json()["studies"]]
    assert client.get(f"/api/v1/studies/{board.ids['a']}").status_code == 404
    topics = {t["slug"]: t for t in client.get("/api/v1/topics").get_json()["topics"]}
    assert topics["cyber-security"]["published_studies"] == 1


@pytest.mark.parametrize("path", ["/api/v1/studies", "/api/v1/topics", "/api/v1/councils"])
def test_answers_are_kept_until_the_board_changes_and_no_longer(app, client, board, path):
    """Lists are kept in the board's results cache under its change counter: asked again, the
    same answer comes from the cache; once a study is made members-only it is gone from the
    next answer (and from every count), with no wait."""
    first = client.get(path)
    assert first.headers["Server-Timing"] == 'results-cache;desc="miss"'
    again = client.get(path)
    assert again.headers["Server-Timing"] == 'results-cache;desc="hit"'
    assert again.get_data() == first.get_data()
    with app.app_context():
        study = db.session.get(CaseStudy, board.ids["a"])
        study.visibility = Visibility.MEMBERS
        db.session.commit()
    after = client.get(path)
    assert after.headers["Server-Timing"] == 'results-cache;desc="miss"'
    assert after.get_data() != first.get_data()
    assert b"Phishing drills for every officer" not in after.get_data()
    if path == "/api/v1/topics":
        counts = {t["slug"]: t["published_studies"] for t in after.get_json()["topics"]}
        before = {t["slug"]: t["published_studies"] for t in first.get_json()["topics"]}
        assert counts["cyber-security"] == before["cyber-security"] - 1
