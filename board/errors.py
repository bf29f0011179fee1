"""Error pages that say what happened and what to do next."""

from __future__ import annotations

from contextlib import suppress

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from board.extensions import db

# Views whose forms re-render with the user's input when the CSRF check fails.
_KEEPS_INPUT = "keeps_input_on_csrf_failure"


def keeps_input_on_csrf_failure(view):
    """Mark a form view: on a CSRF failure it is called again, so its form validates, fails
    on the token and re-renders everything the user typed with a clear message."""
    setattr(view, _KEEPS_INPUT, True)
    return view


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)


def handle_database_unavailable(error: OperationalError):
    """The database cannot be reached (restarting, say): say so and when to try again, rather
    than a bare 500. Nothing was saved; the pool reconnects by itself once it is back."""
    current_app.logger.warning("database unavailable: %s", error.orig)
    with suppress(OperationalError):  # the connection may be gone; the pool replaces it
        db.session.rollback()
    # A page of its own: the site's layout asks the database who is signed in.
    response = current_app.make_response((UNAVAILABLE_PAGE, 503))
    response.headers["Retry-After"] = "10"
    return response


UNAVAILABLE_PAGE = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sorry, the service is unavailable - Case Board</title>
<link rel="stylesheet" href="/static/css/board.css"></head>
<body><main class="main" id="main-content"><div class="container">
<h1 class="heading-l">Sorry, the service is unavailable</h1>
<p>Case Board cannot reach its database for a moment. Nothing you sent has been saved.</p>
<p>Try again in a few seconds.</p>
</div></main></body>
</html>
"""


def handle_csrf_error(error: CSRFError):
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, _KEEPS_INPUT, False):
        response = current_app.make_response(view(**(request.view_args or {})))
        response.status_code = 400
        return response
    return render_template("errors/csrf.html"), 400


def handle_http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    return render_template("errors/error.html", error=error), error.code
