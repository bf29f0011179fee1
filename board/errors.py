"""Error pages that say what happened and what to do next.

A request from htmx gets a short fragment instead of a page (templates/errors/_htmx_error.html),
with the error's status: htmx swaps nothing for a 4xx or 5xx (see the htmx-config in base.html),
so what the person typed stays in the form, and static/js/app.js shows the fragment beside the
form that sent the request and announces it.
"""

from __future__ import annotations

import math
import time
from contextlib import suppress

from flask import Flask, current_app, g, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from board.extensions import db, limiter
from board.htmx import is_htmx_request
from board.request_log import current_request_id

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
    # Also called for any exception no other handler takes (Flask wraps it in a 500 and logs it).
    app.register_error_handler(InternalServerError, handle_server_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)


# -- the htmx answer ----------------------------------------------------------------------------


def htmx_error(status: int, title: str, message: str, *, headers: dict | None = None):
    """The fragment an htmx request gets for an error: what happened and what to do. It must
    not touch the database (it also answers when the database is unreachable), so it is
    rendered without the context processors, which ask who is signed in."""
    template = current_app.jinja_env.get_template("errors/_htmx_error.html")
    body = template.render(
        status=status, title=title, message=message, request_id=current_request_id()
    )
    response = make_response(body, status)
    # Nothing is swapped in: the page, and the form's text, stay as they are.
    response.headers["HX-Reswap"] = "none"
    response.headers.update(headers or {})
    response.vary.add("HX-Request")
    return response


def _sent_a_form() -> bool:
    return request.method not in ("GET", "HEAD")


def _keep_your_text() -> str:
    return " " + _("Your text is still in the form.") if _sent_a_form() else ""


# By view: what was limited, when and what to do again, and what an htmx form keeps (nothing
# to say for a button). Whole sentences, each translated as one.
_TRY_AGAIN = _l("Wait %(wait)s and try again.")
_REACTED = _l("You have reacted to a lot of case studies in a short time.")
_SAVED_STUDIES = (
    _l("You have saved a lot of case studies in a short time."),
    _l("Wait %(wait)s and save again."),
    _l("Your writing has not been lost."),
)
_LIMITED = {
    "comments.add_comment": (
        _l("You have posted a lot of comments in a short time."),
        _l("Wait %(wait)s and post again."),
        _l("Your comment has not been lost."),
    ),
    "comments.useful": (_REACTED, _TRY_AGAIN, ""),
    "comments.tried_too": (_REACTED, _TRY_AGAIN, ""),
    "comments.file_report": (
        _l("You have sent a lot of reports in a short time."),
        _l("Wait %(wait)s and send it again."),
        _l("Your report has not been lost."),
    ),
    "case_studies.new": _SAVED_STUDIES,
    "case_studies.edit": _SAVED_STUDIES,
    "questions.new": (
        _l("You have asked a lot of questions in a short time."),
        _l("Wait %(wait)s and post it again."),
        _l("Your question has not been lost."),
    ),
}
_LIMITED_DEFAULT = (
    _l("You have tried this too many times in a short while."),
    _TRY_AGAIN,
    _l("Anything you typed is still in the form."),
)


def rate_limit_wait() -> int:
    """Seconds until the limit this request broke lets it through again (at least 1)."""
    waits = []
    for limit in limiter.current_limits:
        if limit.breached:
            with suppress(Exception):  # the storage may be unreachable: then say a minute
                waits.append(math.ceil(limit.window[0] - time.time()))
    return max(1, *waits) if waits else 60


def rate_limit_message(htmx: bool) -> str:
    from board.auth.lockout import wait_in_words

    what, again, kept = _LIMITED.get(request.endpoint or "", _LIMITED_DEFAULT)
    sentence = f"{what} {str(again) % {'wait': wait_in_words(rate_limit_wait())}}"
    if htmx and _sent_a_form() and kept:  # the form stays as it was: nothing is lost
        sentence += f" {kept}"
    return sentence


def _htmx_http_error(error: HTTPException):
    code = error.code or 500
    if code == 429:
        return htmx_error(429, _("Too many attempts"), rate_limit_message(htmx=True))
    if code == 403:
        return htmx_error(
            403,
            _("You cannot do that"),
            _(
                "You do not have permission to do this. If you think you should, reload the "
                "page: you may have been signed out."
            ),
        )
    if code == 404:
        return htmx_error(
            404,
            _("Not found"),
            _(
                "What you were working on is no longer here: it may have been deleted or "
                "hidden. Reload the page to see the latest version."
            )
            + _keep_your_text(),
        )
    return htmx_error(
        code,
        _("That did not work"),
        _("Reload the page and try again.") + _keep_your_text(),
    )


# -- handlers -----------------------------------------------------------------------------------


def handle_database_unavailable(error: OperationalError):
    """The database cannot be reached (restarting, say): say so and when to try again, rather
    than a bare 500. Nothing was saved; the pool reconnects by itself once it is back."""
    current_app.logger.warning("database unavailable: %s", error.orig)
    with suppress(OperationalError):  # the connection may be gone; the pool replaces it
        db.session.rollback()
    if is_htmx_request():
        return htmx_error(
            503,
            _("Sorry, the service is unavailable"),
            _("Case Board cannot reach its database for a moment. Nothing you sent has been saved.")
            + _keep_your_text()
            + " "
            + _("Try again in a few seconds."),
            headers={"Retry-After": "10"},
        )
    # A page of its own: the site's layout asks the database who is signed in, and which
    # language they chose may be on their account, so it says everything in both languages.
    response = current_app.make_response((_with_reference(UNAVAILABLE_PAGE), 503))
    response.headers["Retry-After"] = "10"
    return response


# Written out in Welsh and in English, each marked with its language: this page is sent when
# the database cannot say which language the person chose, and it is the same for everyone.
UNAVAILABLE_PAGE = """<!doctype html>
<html lang="cy">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mae'n ddrwg gennym, nid yw'r gwasanaeth ar gael / \
Sorry, the service is unavailable - Case Board</title>
<link rel="stylesheet" href="/static/vendor/govuk-frontend/govuk-frontend.min.css"></head>
<body class="govuk-template__body"><div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main-content">
<div lang="cy">
<h1 class="govuk-heading-l">Mae'n ddrwg gennym, nid yw'r gwasanaeth ar gael</h1>
<p class="govuk-body">Ni all Case Board gysylltu â'i gronfa ddata am ychydig.
Nid oes dim a anfonoch wedi'i gadw.</p>
<p class="govuk-body">Rhowch gynnig arall arni ymhen ychydig eiliadau.</p>
{reference_cy}
</div>
<hr class="govuk-section-break govuk-section-break--l govuk-section-break--visible">
<div lang="en-GB">
<h2 class="govuk-heading-l">Sorry, the service is unavailable</h2>
<p class="govuk-body">Case Board cannot reach its database for a moment.
Nothing you sent has been saved.</p>
<p class="govuk-body">Try again in a few seconds.</p>
{reference}
</div>
</main></div></body>
</html>
"""

CSRF_HTMX_MESSAGE = _l(
    "Your session has expired or the page is out of date, so this was not sent. Copy your "
    "text, reload the page and try again."
)

REFERENCE = {
    "en": (
        '<p class="govuk-body app-error-reference">If you contact us about this, quote '
        'reference <span class="app-break-anywhere">{id}</span>.</p>'
    ),
    "cy": (
        '<p class="govuk-body app-error-reference">Os byddwch yn cysylltu â ni am hyn, '
        'rhowch y cyfeirnod <span class="app-break-anywhere">{id}</span>.</p>'
    ),
}


def _with_reference(page: str) -> str:
    """A page written without templates, with the request's reference in each of its
    languages (templates/errors/_reference.html says the same on every other error page)."""
    request_id = current_request_id()
    for language, placeholder in (("en", "{reference}"), ("cy", "{reference_cy}")):
        reference = REFERENCE[language].format(id=escape(request_id)) if request_id else ""
        page = page.replace(placeholder, reference)
    return page


def handle_csrf_error(error: CSRFError):
    if is_htmx_request():
        # The form stays on the page with its text; a fresh token needs a fresh page.
        return htmx_error(400, _("Your session has expired"), str(CSRF_HTMX_MESSAGE))
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, _KEEPS_INPUT, False):
        # The view runs again only to show the form with what was typed. Its form must fail
        # even when the token itself is fine and the check refused something else (over HTTPS,
        # a missing or foreign Referer): board/forms.py reads this and refuses to validate.
        g.csrf_refusal = error.description
        try:
            # The failed check stopped the request before its blueprints' own checks (admins
            # only, moderators only): they run first, so that nobody sees a page through a
            # form they may not post.
            refused = _blueprint_checks()
            response = current_app.make_response(
                refused if refused is not None else view(**(request.view_args or {}))
            )
        except HTTPException:
            # The view refused before its form could re-render (an unknown target, a
            # person who may not post): nothing was done, which the CSRF page says.
            with suppress(SQLAlchemyError):
                db.session.rollback()
            return render_template("errors/csrf.html"), 400
        if 300 <= response.status_code < 400:
            # A redirect (to sign in, say) cannot carry a 400: say what happened instead.
            return render_template("errors/csrf.html"), 400
        response.status_code = 400
        return response
    return render_template("errors/csrf.html"), 400


def _blueprint_checks():
    """Run the before-request functions of the request's blueprints, outermost first as Flask
    does; the first answer one gives (a redirect to sign in, say), or None. One that refuses
    with abort() raises, as it would have."""
    for name in reversed(request.blueprints):
        for check in current_app.before_request_funcs.get(name, ()):
            answer = check()
            if answer is not None:
                return answer
    return None


def handle_http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    if error.code >= 500:
        return handle_server_error(error)
    if is_htmx_request():
        return _htmx_http_error(error)
    wait = None
    if isinstance(error, RateLimitExceeded) or error.code == 429:
        wait = rate_limit_message(htmx=False)
    return render_template("errors/error.html", error=error, rate_limit_message=wait), error.code


# Like UNAVAILABLE_PAGE, in both languages: the templates could not be rendered, and with
# them went the knowledge of who is reading.
SERVER_ERROR_PAGE = """<!doctype html>
<html lang="cy">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth / \
Sorry, there is a problem with the service - Case Board</title>
<link rel="stylesheet" href="/static/vendor/govuk-frontend/govuk-frontend.min.css"></head>
<body class="govuk-template__body"><div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main-content">
<div lang="cy">
<h1 class="govuk-heading-l">Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth</h1>
<p class="govuk-body">Aeth rhywbeth o'i le ar ein hochr ni. Rhowch gynnig arall arni'n \
nes ymlaen.</p>
<p class="govuk-body"><a class="govuk-link" href="/">Mynd i'r bwrdd</a></p>
{reference_cy}
</div>
<hr class="govuk-section-break govuk-section-break--l govuk-section-break--visible">
<div lang="en-GB">
<h2 class="govuk-heading-l">Sorry, there is a problem with the service</h2>
<p class="govuk-body">Something went wrong on our side. Try again later.</p>
<p class="govuk-body"><a class="govuk-link" href="/">Go to the board</a></p>
{reference}
</div>
</main></div></body>
</html>
"""


def handle_server_error(error: HTTPException):
    """A 500 (or 501 and the like): logged, the request's changes dropped, and a page or
    fragment that says it was our fault. Unhandled exceptions arrive here wrapped in an
    InternalServerError, after Flask has logged them with their traceback."""
    original = getattr(error, "original_exception", None)
    if original is None:  # abort(500) or a raised InternalServerError: Flask logged nothing
        current_app.logger.error(
            "server error answering %s %s: %s", request.method, request.path, error
        )
    with suppress(SQLAlchemyError):
        db.session.rollback()
    code = error.code if error.code and error.code >= 500 else 500
    if is_htmx_request():
        message = _("Something went wrong on our side.") + _keep_your_text() + " " + _("Try again.")
        return htmx_error(code, _("Sorry, there is a problem with the service"), message)
    try:
        return render_template("errors/error.html", error=error, rate_limit_message=None), code
    except Exception:  # the layout reads the database, which may be what failed
        current_app.logger.exception("the error page could not be rendered")
        return current_app.make_response((_with_reference(SERVER_ERROR_PAGE), code))
