"""The request log (board/request_log.py): one line a request, the request id, the reference on
error pages, and unhandled errors logged with their traceback and id."""

from __future__ import annotations

import json
import logging
import re

import pytest
from sqlalchemy.exc import OperationalError

from board.extensions import db
from board.request_log import JsonFormatter, configure_logging
from tests.factories import make_user

FIELDS = {"method", "path", "status", "duration_ms", "user_id", "request_id", "remote_addr"}
GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture(autouse=True)
def _readable_logs_afterwards():
    yield
    configure_logging("text")


def request_lines(caplog) -> list[dict]:
    """The request lines logged so far, as the JSON formatter writes them."""
    formatter = JsonFormatter()
    return [
        json.loads(formatter.format(record))
        for record in caplog.records
        if record.name == "board.requests"
    ]


def only_line(caplog) -> dict:
    lines = request_lines(caplog)
    assert len(lines) == 1, lines
    return lines[0]


def test_a_request_is_logged_as_one_json_line_on_stdout_in_production_format(app_with, capsys):
    app = app_with(LOG_FORMAT="json")
    response = app.test_client().get("/healthz?token=secret-in-the-query")
    assert response.status_code == 200
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    requests = [line for line in lines if line["logger"] == "board.requests"]
    assert len(requests) == 1
    line = requests[0]
    assert line.keys() >= FIELDS
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"  # the query string is never logged
    assert "secret-in-the-query" not in json.dumps(lines)
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0
    assert line["user_id"] is None
    assert line["remote_addr"] == "127.0.0.1"
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["level"] == "INFO"


def test_development_and_tests_log_readable_text_unless_told_otherwise(app_with):
    app = app_with()
    assert app.config["LOG_FORMAT"] == "text"
    handlers = [h for h in logging.getLogger().handlers if h.formatter is not None]
    assert not any(isinstance(h.formatter, JsonFormatter) for h in handlers)


def test_an_unknown_log_format_is_refused(app_with):
    with pytest.raises(RuntimeError, match="LOG_FORMAT"):
        app_with(LOG_FORMAT="xml")


def test_the_signed_in_persons_id_is_logged(app, client, sign_in, caplog):
    with app.app_context():
        person = make_user(None)
        db.session.commit()
        person_id = person.id
    sign_in(person)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="board.requests"):
        assert client.get("/").status_code == 200
    assert only_line(caplog)["user_id"] == person_id


def test_a_visitor_is_logged_as_null(client, caplog):
    with caplog.at_level(logging.INFO, logger="board.requests"):
        client.get("/")
    assert only_line(caplog)["user_id"] is None


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/auth/confirm/InR3byI.aGVsbG8-c2VjcmV0_XYZ", "/auth/confirm/[redacted]"),
        ("/auth/reset/InR3byI.aGVsbG8-c2VjcmV0_XYZ", "/auth/reset/[redacted]"),
    ],
)
def test_tokens_in_paths_are_redacted(client, caplog, path, logged):
    with caplog.at_level(logging.INFO):
        response = client.get(path)
    line = only_line(caplog)
    assert line["path"] == logged
    assert line["status"] == response.status_code
    # Nowhere in anything logged for the request, text or JSON.
    assert "aGVsbG8-c2VjcmV0" not in caplog.text
    assert "aGVsbG8-c2VjcmV0" not in json.dumps(request_lines(caplog))


def test_a_short_token_is_redacted_in_the_path_only(client, caplog):
    with caplog.at_level(logging.INFO, logger="board.requests"):
        client.get("/auth/confirm/a")
    line = only_line(caplog)
    assert line["path"] == "/auth/confirm/[redacted]"
    assert line["message"].startswith("GET /auth/confirm/[redacted] ")


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_a_token_is_kept_out_of_an_unhandled_error_log(app_with, monkeypatch, capsys, log_format):
    app = app_with(LOG_FORMAT=log_format, PROPAGATE_EXCEPTIONS=False)
    token = "InR3byI.aGVsbG8-c2VjcmV0_XYZ"

    def broken(token):
        raise ValueError(f"cannot read {token}")

    monkeypatch.setitem(app.view_functions, "auth.reset_password", broken)
    response = app.test_client().get(f"/auth/reset/{token}")
    assert response.status_code == 500
    captured = capsys.readouterr()
    written = captured.out if log_format == "json" else captured.err
    # Flask names the path when it logs the error; the exception quotes the token.
    assert "Exception on /auth/reset/[redacted] [GET]" in written
    assert "cannot read [redacted]" in written
    assert "Traceback" in written
    assert token not in written


def test_a_token_is_redacted_even_when_no_route_matched(client, caplog):
    with caplog.at_level(logging.INFO, logger="board.requests"):
        response = client.delete("/auth/confirm/sekrit-token-value")
    assert response.status_code == 405
    assert only_line(caplog)["path"] == "/auth/confirm/[redacted]"


def test_the_address_is_the_one_proxyfix_gives(app_with, caplog):
    app = app_with(TRUSTED_PROXIES=1)
    with caplog.at_level(logging.INFO, logger="board.requests"):
        app.test_client().get("/healthz", headers={"X-Forwarded-For": "203.0.113.9"})
    assert only_line(caplog)["remote_addr"] == "203.0.113.9"


# -- the request id -----------------------------------------------------------------------------


def test_a_safe_incoming_request_id_is_kept_and_echoed(client, caplog):
    with caplog.at_level(logging.INFO, logger="board.requests"):
        response = client.get("/healthz", headers={"X-Request-ID": "edge-42.abc_DEF"})
    assert response.headers["X-Request-ID"] == "edge-42.abc_DEF"
    assert only_line(caplog)["request_id"] == "edge-42.abc_DEF"


@pytest.mark.parametrize(
    "unsafe",
    ["a" * 65, "two words", "<script>", "id\u00e9", "a/b", "x;drop", ""],
)
def test_an_unsafe_incoming_request_id_is_replaced(client, caplog, unsafe):
    with caplog.at_level(logging.INFO, logger="board.requests"):
        response = client.get("/healthz", headers={"X-Request-ID": unsafe})
    echoed = response.headers["X-Request-ID"]
    assert echoed != unsafe
    assert GENERATED_ID.fullmatch(echoed)
    assert only_line(caplog)["request_id"] == echoed


def test_a_64_character_id_is_still_safe(client):
    longest = "A" * 64
    assert (
        client.get("/healthz", headers={"X-Request-ID": longest}).headers["X-Request-ID"] == longest
    )


def test_each_request_without_an_id_gets_a_new_one(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert GENERATED_ID.fullmatch(first)
    assert GENERATED_ID.fullmatch(second)
    assert first != second


# -- error pages show the reference ---------------------------------------------------------------


def reference_sentence(request_id: str) -> str:
    return f'quote reference <span class="app-break-anywhere">{request_id}</span>'


def test_the_not_found_page_shows_the_reference(client):
    response = client.get("/no-such-page", headers={"X-Request-ID": "ref-404"})
    assert response.status_code == 404
    assert "If you contact us about this" in response.text
    assert reference_sentence("ref-404") in response.text


@pytest.fixture
def broken(app):
    """A page that fails with a bug, answered as in production rather than raised to the test."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/test-only/bug")
    def bug():
        raise RuntimeError("a bug in the page")

    @app.get("/test-only/database-down")
    def database_down():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    return app


def test_a_server_error_shows_the_reference_and_logs_the_traceback_with_it(broken, client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/test-only/bug")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    assert "Sorry, there is a problem with the service" in response.text
    assert reference_sentence(request_id) in response.text
    assert "a bug in the page" not in response.text

    formatter = JsonFormatter()
    errors = [json.loads(formatter.format(record)) for record in caplog.records if record.exc_info]
    assert len(errors) == 1
    assert errors[0]["level"] == "ERROR"
    assert errors[0]["request_id"] == request_id
    assert "Traceback (most recent call last)" in errors[0]["exception"]
    assert "RuntimeError: a bug in the page" in errors[0]["exception"]
    line = only_line(caplog)
    assert (line["status"], line["path"], line["request_id"]) == (500, "/test-only/bug", request_id)


def test_an_htmx_error_shows_the_reference(broken, client):
    response = client.get("/test-only/bug", headers={"HX-Request": "true", "X-Request-ID": "hx-1"})
    assert response.status_code == 500
    assert "data-request-error" in response.text
    assert reference_sentence("hx-1") in response.text


def test_the_database_unavailable_page_shows_the_reference(broken, client):
    response = client.get("/test-only/database-down", headers={"X-Request-ID": "db-down-1"})
    assert response.status_code == 503
    assert "cannot reach its database" in response.text
    assert reference_sentence("db-down-1") in response.text


def test_the_session_expired_page_shows_the_reference(client):
    response = client.post("/auth/logout", headers={"X-Request-ID": "csrf-1"})
    assert response.status_code == 400
    assert reference_sentence("csrf-1") in response.text
