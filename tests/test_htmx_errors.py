"""Error answers to htmx requests: a short fragment that says what happened and what to do.

htmx swaps nothing for a 4xx or 5xx answer (the htmx-config in base.html), so the form keeps
its text; static/js/app.js shows this fragment beside the form and announces it (see
tests/browser/test_error_messages.py). Each status has its message, and nothing is swapped.
"""

from __future__ import annotations

import logging

import pytest

from board.comments import services
from board.extensions import db
from board.models import Comment
from tests.conftest import csrf_token_from
from tests.factories import make_study

HTMX = {"HX-Request": "true"}


@pytest.fixture
def study(app, world):
    with app.app_context():
        study = make_study(world.here, world.people.author, title="Chatbot that failed")
        db.session.commit()
        return study.id


def token(client, path: str = "/") -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


def comment(client, study_id: int, body: str, headers=None, csrf: str | None = None):
    return client.post(
        f"/studies/{study_id}/comments",
        data={"body": body, "csrf_token": token(client) if csrf is None else csrf},
        headers=headers or {},
    )


def assert_htmx_error(response, status: int, *sentences: str) -> None:
    assert response.status_code == status, response.status_code
    text = response.get_data(as_text=True)
    assert "data-request-error" in text and "<html" not in text, text[:300]
    assert response.headers["HX-Reswap"] == "none"
    assert "HX-Request" in response.headers.get("Vary", "")
    for sentence in sentences:
        assert sentence in text, text


def stored_comments(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Comment))


# -- 429 -----------------------------------------------------------------------------------------


def test_too_many_comments_under_htmx_says_how_long_to_wait(app, client, as_role, study):
    app.config["COMMENT_RATE_LIMIT"] = "3 per 3 minutes"
    as_role("author")
    for number in range(3):
        assert comment(client, study, f"Comment {number}", HTMX).status_code == 200
    response = comment(client, study, "One too many", HTMX)
    assert_htmx_error(
        response,
        429,
        "You have posted a lot of comments in a short time. Wait 3 minutes and post again. "
        "Your comment has not been lost.",
    )
    assert 170 <= int(response.headers["Retry-After"]) <= 181
    assert stored_comments(app) == 3


def test_too_many_comments_without_htmx_says_the_true_wait(app, client, as_role, study):
    app.config["COMMENT_RATE_LIMIT"] = "2 per 2 hours"
    as_role("author")
    for number in range(2):
        assert comment(client, study, f"Comment {number}").status_code == 302
    response = comment(client, study, "One too many")
    assert response.status_code == 429
    assert "Too many attempts" in response.text and "<html" in response.text
    assert "Wait 2 hours and post again." in response.text
    assert "Wait a minute" not in response.text


def test_too_many_reactions_under_htmx_say_how_long_to_wait(app, client, as_role, study):
    app.config["COMMENT_RATE_LIMIT"] = "1 per 10 minutes"
    as_role("outsider")
    csrf = token(client)
    assert (
        client.post(f"/studies/{study}/useful", data={"csrf_token": csrf}, headers=HTMX).status_code
        == 200
    )
    response = client.post(f"/studies/{study}/useful", data={"csrf_token": csrf}, headers=HTMX)
    assert_htmx_error(response, 429, "Wait 10 minutes and try again.")


# -- 403, 404 -----------------------------------------------------------------------------------


def test_forbidden_under_htmx_says_so(client, as_role, study):
    as_role("unverified")
    response = comment(client, study, "Let me in", HTMX)
    assert_htmx_error(response, 403, "You do not have permission to do this.")


def test_not_found_under_htmx_says_what_to_do(client, as_role, study):
    as_role("outsider")
    response = client.get("/comments/12345/reply", headers=HTMX)
    assert_htmx_error(response, 404, "Reload the page to see the latest version.")


def test_pages_without_htmx_are_still_whole_pages(client):
    response = client.get("/councils/nowhere")
    assert response.status_code == 404
    assert "<html" in response.text and "data-request-error" not in response.text
    assert "HX-Reswap" not in response.headers


# -- 400 CSRF -----------------------------------------------------------------------------------


@pytest.mark.parametrize("csrf", ["", "not-the-token"])
def test_a_csrf_failure_under_htmx_says_reload_and_keep_your_text(
    app, client, as_role, study, csrf
):
    as_role("author")
    response = client.post(
        f"/studies/{study}/comments",
        data={"body": "My long comment", "csrf_token": csrf},
        headers={**HTMX, "X-CSRFToken": csrf},
    )
    assert_htmx_error(
        response,
        400,
        "Your session has expired or the page is out of date",
        "Copy your text, reload the page and try again.",
    )
    assert stored_comments(app) == 0


def test_a_csrf_failure_without_htmx_still_keeps_the_form(client, as_role, study):
    as_role("author")
    response = comment(client, study, "My long comment", csrf="not-the-token")
    assert response.status_code == 400
    assert "My long comment" in response.text and "<html" in response.text


# -- 500 ----------------------------------------------------------------------------------------


@pytest.fixture
def failing_comments(app, monkeypatch):
    """Posting a comment fails on our side, as an unexpected bug would."""
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production, not raise to the test

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in posting comments")

    monkeypatch.setattr(services, "post_comment", broken)


def test_a_server_error_under_htmx_says_try_again_and_is_logged(
    app, client, as_role, study, failing_comments, caplog
):
    as_role("author")
    with caplog.at_level(logging.ERROR):
        response = comment(client, study, "Worth keeping", HTMX)
    assert_htmx_error(
        response,
        500,
        "Something went wrong on our side.",
        "Your text is still in the form.",
        "Try again.",
    )
    assert "a bug in posting comments" not in response.text
    logged = [record for record in caplog.records if record.exc_info]
    assert any("a bug in posting comments" in str(record.exc_info[1]) for record in logged)
    assert stored_comments(app) == 0


def test_a_server_error_without_htmx_is_the_error_page(
    app, client, as_role, study, failing_comments, caplog
):
    as_role("author")
    with caplog.at_level(logging.ERROR):
        response = comment(client, study, "Worth keeping")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "Go to the board" in response.text
    assert any(record.exc_info for record in caplog.records)


def test_an_explicit_500_is_logged_too(app, client, caplog):
    from flask import abort

    @app.get("/test-only/abort-500")
    def abort_500():
        abort(500)

    with caplog.at_level(logging.ERROR):
        response = client.get("/test-only/abort-500", headers=HTMX)
    assert_htmx_error(response, 500, "Something went wrong on our side.")
    assert "Your text is still in the form" not in response.text  # nothing was sent
    assert any("/test-only/abort-500" in record.getMessage() for record in caplog.records)


def test_the_error_page_survives_a_broken_layout(app, client, monkeypatch, caplog):
    """If even the error page cannot be drawn (the layout reads the database, which may be
    what failed), a plain page still says sorry rather than a bare server error."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/test-only/boom")
    def boom():
        raise RuntimeError("boom")

    def broken_navigation():
        raise RuntimeError("the database is gone too")

    processors = app.template_context_processors[None]
    monkeypatch.setitem(app.template_context_processors, None, [*processors, broken_navigation])
    with caplog.at_level(logging.ERROR):
        response = client.get("/test-only/boom")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text


# -- 503 ----------------------------------------------------------------------------------------


def test_a_database_outage_under_htmx_is_a_fragment(app, client):
    from sqlalchemy.exc import OperationalError

    @app.post("/test-only/outage")
    def outage():
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    app.config["WTF_CSRF_ENABLED"] = False
    response = client.post("/test-only/outage", headers=HTMX)
    assert_htmx_error(response, 503, "cannot reach its database", "Your text is still in the form.")
    assert response.headers["Retry-After"] == "10"
