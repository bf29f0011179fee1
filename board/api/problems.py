"""What every answer under /api/v1 has in common: errors as ``application/problem+json``
(RFC 9457), CORS open for reading, and no session.

Errors raised by the API's views (a 400 for a bad filter, a 404, the rate limiter's 429, a 500)
reach the blueprint's handlers. A URL under /api/v1 that matches no route, or a method a route
does not take, fails while routing, before any blueprint is known, so ``answer_routing_errors``
turns those into problems too (404 and 405), before the site's HTML error pages would.
"""

from __future__ import annotations

from contextlib import suppress

from flask import current_app, jsonify, request
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed
from werkzeug.http import HTTP_STATUS_CODES

from board import http_cache
from board.api import bp
from board.errors import rate_limit_wait
from board.extensions import db

PREFIX = "/api/v1/"
PROBLEM_TYPE = "application/problem+json"
# The problem types of our own, explained on the /api page under these fragments.
INVALID_PARAMS = "invalid-params"

# Headers a script on another site may read from an answer (CORS hides the others).
EXPOSED_HEADERS = (
    "ETag, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
)
# Request headers a cross-site GET may send (a conditional GET's are not "simple" ones).
ALLOWED_HEADERS = "Accept, If-None-Match, If-Modified-Since"


def is_api_request() -> bool:
    return request.path.startswith(PREFIX)


def problem_type(name: str) -> str:
    """The URI of one of our problem types: a fragment of the /api page, on PUBLIC_URL."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + "/api#problem-" + name


def problem(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    type_: str = "about:blank",
    invalid_params: list[dict] | None = None,
    headers: dict | None = None,
):
    """An RFC 9457 problem: ``about:blank`` (the status says it all) unless ``type_`` says
    which of ours it is."""
    body = {
        "type": type_,
        "title": title or HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if invalid_params is not None:
        body["invalid-params"] = invalid_params
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_TYPE
    response.headers.update(headers or {})
    return response


class InvalidParams(Exception):
    """Query parameters the API cannot use, each as {"name", "reason"}: answered with 400."""

    def __init__(self, params: list[dict]) -> None:
        super().__init__(params)
        self.params = params


@bp.errorhandler(InvalidParams)
def _invalid_params(error: InvalidParams):
    names = ", ".join(dict.fromkeys(param["name"] for param in error.params))
    return problem(
        400,
        f"These query parameters have values the API cannot use: {names}.",
        title="Invalid query parameters",
        type_=problem_type(INVALID_PARAMS),
        invalid_params=error.params,
    )


def http_problem(error: HTTPException):
    code = error.code or 500
    headers = {}
    if code == 405 and isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    if code == 429:
        wait = rate_limit_wait()
        headers["Retry-After"] = str(wait)
        detail = f"Too many requests from your address. Wait {wait} seconds and try again."
    elif code == 404:
        detail = "There is nothing here: no published public study, or no such address."
    elif code == 405:
        detail = "The API is read-only: use GET."
    else:
        detail = error.description or HTTP_STATUS_CODES.get(code, "Error")
    return problem(code, detail, headers=headers)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    if error.code is not None and error.code >= 500:
        return _server_error(error)
    if not is_api_request():  # the /api page is a page: the site's own error pages
        from board.errors import handle_http_error

        return handle_http_error(error)
    return http_problem(error)


@bp.errorhandler(InternalServerError)
def _server_error(error: HTTPException):
    if getattr(error, "original_exception", None) is None:
        current_app.logger.error("server error answering %s: %s", request.path, error)
    with suppress(SQLAlchemyError):
        db.session.rollback()
    if not is_api_request():
        from board.errors import handle_server_error

        return handle_server_error(error)
    return problem(500, "Something went wrong on our side. Try again later.")


@bp.errorhandler(OperationalError)
def _database_unavailable(error: OperationalError):
    current_app.logger.warning("database unavailable: %s", error.orig)
    with suppress(OperationalError):
        db.session.rollback()
    if not is_api_request():
        from board.errors import handle_database_unavailable

        return handle_database_unavailable(error)
    return problem(
        503,
        "The service cannot reach its database for a moment. Try again in a few seconds.",
        headers={"Retry-After": "10"},
    )


@bp.before_app_request
def answer_routing_errors():
    """A path under /api/v1 that matched no route (404) or not with this method (405)."""
    error = request.routing_exception
    if error is None or not is_api_request():
        return None
    if isinstance(error, HTTPException) and error.code is not None and error.code >= 400:
        return http_problem(error)
    return None


@bp.record_once
def _open_data(state) -> None:
    """Every answer under /api/v1 is a visitor's: no session is opened, and a shared cache may
    keep it whoever asked (board/http_cache.py)."""
    http_cache.open_data(state.app, PREFIX)


@bp.after_app_request
def _open_to_every_site(response):
    """CORS: any site's scripts may read the API, without credentials (none are needed)."""
    if not is_api_request():
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS":  # a preflight: what a cross-site GET may do
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
    return response
