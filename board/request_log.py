"""One log line per request, and a request id that follows the request everywhere.

Every request gets an id: the one the reverse proxy sent in ``X-Request-ID`` when it is a safe
token (at most 64 letters, digits, dots, underscores and hyphens), else a new one. The answer
carries it back in ``X-Request-ID``, the error pages show it as the reference to quote, and
every log record written while the request runs carries it too.

LOG_FORMAT decides how logs look: ``json`` (production's default) writes each record as one
JSON object a line on stdout, for a log collector; ``text`` (development and tests) keeps them
readable. The request's line holds its method, path, status, duration in milliseconds, the
signed-in person's id (or null), the request id and the client's address as the app sees it
(after ProxyFix, when TRUSTED_PROXIES is set). Query strings are never logged, and the secret
part of a path (the token in /auth/confirm/<token> and /auth/reset/<token>) is redacted.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler
from werkzeug.wrappers import Response

logger = logging.getLogger("board.requests")

HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
REDACTED = "[redacted]"
# View arguments that are secrets, whatever route carries them.
_SECRET_ARGS = {"token"}
# Secret paths whose route did not match (a 405, say): redacted all the same.
_SECRET_PATH = re.compile(r"^(/auth/(?:confirm|reset)/)[^/]+")

# The attributes every LogRecord has; anything else on a record came from ``extra``.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def safe_request_id(candidate: str | None) -> str:
    """The incoming id when it is a safe token, else a new one."""
    if candidate and _SAFE_ID.fullmatch(candidate):
        return candidate
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    if not has_request_context():
        return None
    return g.get("request_id")


class RequestIdFilter(logging.Filter):
    """Put the request's id on every record written while a request runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        return True


def _secrets_in_path() -> list[str]:
    """The secret parts of the request's path (longest first), to keep out of every record."""
    if not has_request_context():
        return []
    found = [
        value
        for name, value in (request.view_args or {}).items()
        if name in _SECRET_ARGS and isinstance(value, str) and value
    ]
    match = _SECRET_PATH.match(request.path)
    if match:
        found.append(request.path[match.end(1) : match.end()])
    return sorted(set(found), key=len, reverse=True)


# Shorter values are not real tokens, and replacing them everywhere would mangle the line.
_SHORTEST_SECRET = 8


def redact(text: str) -> str:
    """``text`` with the request's secrets replaced: Flask names the path when it logs an
    unhandled exception, and an exception's message may quote what it was given."""
    for secret in _secrets_in_path():
        if len(secret) >= _SHORTEST_SECRET:
            text = text.replace(secret, REDACTED)
    return text


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time, level, logger, message, the fields passed in
    ``extra``, and the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(self._json(record))

    def _json(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry |= {k: v for k, v in record.__dict__.items() if k not in _STANDARD}
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, default=str)


class _CurrentStream(logging.StreamHandler):
    """stdout (or stderr) as it is when each record is written, not when the handler was made:
    a test may have replaced it since."""

    def __init__(self, name: str) -> None:
        self._stream_name = name
        super().__init__()

    @property
    def stream(self):
        return getattr(sys, self._stream_name)

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure_logging(log_format: str, level: int | None = logging.INFO) -> None:
    """Set the root logger up for ``log_format`` (and ``level``, unless None). Calling it again
    (each app made configures it) replaces what it set before rather than adding to it."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        # Ours, and logging.basicConfig's plain one; others (a test's capture) are left alone.
        if isinstance(handler, _CurrentStream) or type(handler) is logging.StreamHandler:
            root.removeHandler(handler)
    if log_format == "json":
        handler = _CurrentStream("stdout")
        handler.setFormatter(JsonFormatter())
    else:
        handler = _CurrentStream("stderr")
        handler.setFormatter(
            TextFormatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    if level is not None:
        root.setLevel(level)
    # The request lines are written whatever the root's level.
    logger.setLevel(logging.INFO)


def logged_path() -> str:
    """The request's path, without its query string and with any secret in it redacted."""
    secrets = set(_secrets_in_path())
    return "/".join(REDACTED if part in secrets else part for part in request.path.split("/"))


def _signed_in_user_id() -> int | None:
    # Only a user the request already loaded: loading one here would cost a query on answers
    # that need none (and fail when the database is what is down).
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "id", None)


def _start() -> None:
    g.request_id = safe_request_id(request.headers.get(HEADER))
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers[HEADER] = g.get("request_id") or safe_request_id(None)
    started = g.get("request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    fields = {
        "method": request.method,
        "path": logged_path(),
        "status": response.status_code,
        "duration_ms": duration_ms,
        "user_id": _signed_in_user_id(),
        "remote_addr": request.remote_addr,
        "request_id": response.headers[HEADER],
    }
    logger.info(
        "%s %s %s %s ms user %s",
        fields["method"],
        fields["path"],
        fields["status"],
        fields["duration_ms"],
        "-" if fields["user_id"] is None else fields["user_id"],
        extra=fields,
    )
    return response


def init_app(app: Flask) -> None:
    """Register before every other after-request function: they run last-registered first, so
    this one sees the status the client gets."""
    log_format = app.config.get("LOG_FORMAT") or (
        "json" if app.config["APP_ENV"] == "production" else "text"
    )
    if log_format not in ("json", "text"):
        raise RuntimeError(f"LOG_FORMAT must be json or text (it is {log_format!r}).")
    app.config["LOG_FORMAT"] = log_format
    # Tests leave the root's level as the test runner set it.
    configure_logging(log_format, level=None if app.testing else logging.INFO)
    if log_format == "json":
        # Flask's own handler would write the app's records a second time, as text.
        app.logger.removeHandler(default_handler)
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)

    @app.context_processor
    def _request_id() -> dict:
        return {"request_id": current_request_id()}
