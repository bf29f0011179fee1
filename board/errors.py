"""Error pages that say what happened and what to do next."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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
