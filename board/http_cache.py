"""What a browser, a reverse proxy or a CDN may keep of each answer, decided in one place.

A visitor's page (nobody signed in, no session cookie either way) is the same for every
visitor, so it says ``Cache-Control: public, max-age=0, s-maxage=SHARED_CACHE_MAX_AGE`` with an
ETag taken from its body: a shared cache in front may serve it for that many seconds (60 by
default), and a browser asks again on every view, getting a 304 when nothing changed. max-age=0
matters: someone who signs in must never be shown the page their browser kept from before.

Everything else says ``private``: ``no-store`` when someone is signed in (their pages name
them, their council and their notifications; on a shared computer the browser's disk must not
keep them after they sign out, and the back button must not show them), ``no-cache`` for a
visitor's answer that is theirs alone: a form carrying a CSRF token tied to their session, a
page showing a flashed message, a POST's answer, an error.

Two things make a visitor's page shareable at all:

- the page template puts the CSRF header for htmx on <body> only once the browser has a
  session (everyone signed in; a visitor who has opened a form or been shown a message), and
  forms carry their own hidden token, so a visitor's first page starts no session;
- ``SessionWithoutCookieUntilUsed`` below: Flask adds ``Vary: Cookie`` to every answer whose
  request looked at the session, which Flask-Login does on every request. ``Vary: Cookie``
  would make every shared cache keep one copy per cookie header, that is none worth keeping.
  When no session cookie came in and the session is still empty, nothing about the answer
  depended on a cookie, so no ``Vary: Cookie`` and no Set-Cookie.

The member-versus-visitor question, without ``Vary: Cookie``: a proxy that kept a visitor's
board would hand it to a member too. So a proxy or CDN in front must not serve a cached page to
a request that carries the session cookie (``session`` unless SESSION_COOKIE_NAME says
otherwise), nor store the answer to one: nginx's ``proxy_cache_bypass $cookie_session`` and
``proxy_no_cache $cookie_session``, or a CDN's "bypass cache on cookie". README.md's
deployment section has the configuration. The answers to such requests say ``private``, so a
cache that honours Cache-Control would not store them anyway; the bypass is what keeps the
shared copy from being served to them.
"""

from __future__ import annotations

import hashlib
import os

from flask import Flask, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from werkzeug.wrappers import Response

from board.i18n import COOKIE as LANGUAGE_COOKIE

SHARED_CACHE_MAX_AGE = 60

# Answers a shared cache may keep. Redirects and errors are cheap to make again, and some of
# them depend on who is asking (a 302 to the sign-in page, say).
SHAREABLE_STATUSES = {200}

# Answers that must come from the app itself every time: a health check answered by a cache
# would say the service is up while it is down.
NEVER_SHARED_ENDPOINTS = {"core.healthz", "core.readyz"}

# Headers whose value decides an htmx answer's header: an answer that carries HX-Push-Url was
# worked out from the address the browser was showing (board/browse/routes.py sends "false"
# when it is already the right one), so a shared copy must be kept per value.
HTMX_ANSWER_VARIES_ON = {"HX-Push-Url": "HX-Current-URL"}


class SessionWithoutCookieUntilUsed(SecureCookieSessionInterface):
    """Flask's signed-cookie session, except that a request that brought no session cookie and
    left the session empty gets neither a cookie nor ``Vary: Cookie``; and a request for open
    data (``open_data``) gets no session at all, whatever cookie it brought."""

    def open_session(self, app: Flask, request):
        if is_open_data(app, request.path):
            return self.make_null_session(app)
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response: Response) -> None:
        if not session and not came_with_session_cookie(app):
            return
        super().save_session(app, session, response)


def open_data(app: Flask, *prefixes: str) -> None:
    """Declare the paths under ``prefixes`` open data (the API, feeds, sitemaps): answers that
    are the same whoever asks. Their requests get the empty null session before anything can
    read it, so nobody is signed in, nothing is written to the session, and the answer carries
    no cookie and no ``Vary: Cookie``; and a shared cache may keep a 200 even when the request
    brought a session cookie (every browser of a member sends one)."""
    app.extensions.setdefault("open_data_prefixes", set()).update(prefixes)


def is_open_data(app: Flask, path: str) -> bool:
    return path.startswith(tuple(app.extensions.get("open_data_prefixes", ())))


def came_with_session_cookie(app: Flask) -> bool:
    return app.config["SESSION_COOKIE_NAME"] in request.cookies


def is_signed_in() -> bool:
    """Flask-Login's key in the session, read rather than loading the user: that needs the
    database, which may be why this answer is an error page."""
    return "_user_id" in session


def never_shared() -> None:
    """Called by a view whose answer must stay private even for a visitor."""
    g.never_shared = True


def is_shareable(response: Response) -> bool:
    """May a shared cache keep this answer and give it to any visitor?"""
    return (
        request.method in ("GET", "HEAD")
        and response.status_code in SHAREABLE_STATUSES
        and not g.get("never_shared", False)
        and request.endpoint not in NEVER_SHARED_ENDPOINTS
        and "Cache-Control" not in response.headers  # the view decided for itself
        and "Set-Cookie" not in response.headers
        and (is_open_data(current_app, request.path) or _from_a_visitor())
        and not response.is_streamed
    )


def _from_a_visitor() -> bool:
    """A visitor whose page is everyone's: no session, and no language of their own choosing
    (board/i18n.py: a chosen language is a cookie a shared cache would not key on; a page in
    the browser's language says ``Vary: Accept-Language``)."""
    # The session cookie is written after this runs: an empty session writes none.
    return (
        not came_with_session_cookie(current_app)
        and not session  # nobody is signed in
        and LANGUAGE_COOKIE not in request.cookies
    )


def apply_cache_policy(response: Response) -> Response:
    """The after-request policy: public with a validator, or private."""
    if request.endpoint == "static":
        return response  # board/static_files.py says how long each file keeps
    if is_shareable(response):
        _make_public(response)
    elif is_signed_in():
        # Whatever the view said: nothing a signed-in person sees is kept by anyone else.
        response.headers["Cache-Control"] = "private, no-store"
    elif "Cache-Control" not in response.headers or response.cache_control.public:
        response.headers["Cache-Control"] = "private, no-cache"
    return response


def _make_public(response: Response) -> None:
    # The header werkzeug's cache_control would write (public, max_age=0, s_maxage=N, in that
    # order), written at once: the answer had no Cache-Control (is_shareable), and going
    # through the parsed object re-wrote the header three times a page.
    response.headers["Cache-Control"] = public_cache_control(
        current_app.config["SHARED_CACHE_MAX_AGE"]
    )
    for header, decided_by in HTMX_ANSWER_VARIES_ON.items():
        if header in response.headers:
            response.vary.add(decided_by)
    if "ETag" not in response.headers:
        # Strong: Flask-Compress then gives each encoding its own ("<hash>:br") and answers
        # If-None-Match against it. SHA-256 rather than werkzeug's SHA-1: as strong, and the
        # processor does it in hardware, in a third of the time for a page of results.
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest())
    response.make_conditional(request)


def public_cache_control(shared_max_age: int) -> str:
    """What a visitor's shareable answer says: every browser asks again, a shared cache may
    keep it ``shared_max_age`` seconds."""
    return f"public, max-age=0, s-maxage={int(shared_max_age)}"


def init_app(app: Flask) -> None:
    """Register after Flask-Compress: after-request functions run last-registered first, and
    the ETag and the 304 must be decided on the body before it is compressed."""
    app.config.setdefault(
        "SHARED_CACHE_MAX_AGE",
        int(os.environ.get("SHARED_CACHE_MAX_AGE", SHARED_CACHE_MAX_AGE)),
    )
    app.session_interface = SessionWithoutCookieUntilUsed()
    app.after_request(apply_cache_policy)
