"""Template filters and globals shared by every page."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from babel import dates as babel_dates
from flask import Flask, current_app, has_request_context, request
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from board import permissions
from board.i18n import current_locale
from board.sanitize import render_markdown
from board.urls import public_url_for

# A page shows the same few dates again and again (thirty comments from the same fortnight), and
# Babel writes each one afresh from its locale data: a memo per (day, pattern, locale). What it
# holds is a pure function of its key (two Locales are equal, and share entries, only when they
# name the same language, territory, script and variant; Babel's locale data does not change
# while the process runs), so it can never show one language's words in another, and a new day
# is a new key. Bounded: the least recently used entries go first.
DATES_REMEMBERED = 4096


@lru_cache(maxsize=DATES_REMEMBERED)
def _formatted_date(value: date, pattern: str, locale: Locale | str | None) -> str:
    return babel_dates.format_date(value, pattern, locale=locale)


def _in_current_language(value: date | datetime, pattern: str) -> str:
    if isinstance(value, datetime):
        value = value.date()  # the day as stored, never moved to another time zone
    locale = current_locale()  # None outside an app context: Babel's default, as before
    return _formatted_date(value, pattern, locale)


def format_date(value: date | datetime | None) -> str:
    """ "5 March 2026" / "5 Mawrth 2026", in the interface's language (Babel's month names)."""
    if not value:
        return ""
    return _in_current_language(value, "d MMMM y")


def format_month(value: date | None) -> str:
    """ "March 2026" / "Mawrth 2026": the month as a heading says it (standalone form)."""
    if not value:
        return ""
    return _in_current_language(value, "LLLL y")


# Every page's header and footer ask url_for for the same twenty addresses (the stylesheets and
# scripts under their hashed names, the navigation, the footer's links): about a tenth of a
# board page's time. An address with no arguments but a file name is a pure function of what
# url_for reads to make it: the endpoint (a relative one, ".show", also the request's
# blueprint), the file name, the path the app is mounted at (SCRIPT_NAME), and, for a static
# file, its hash, which cannot change while the process runs unless static files are watched
# for edits (development): then nothing is remembered. Anything else (ids, _external, an anchor)
# goes to url_for as it is. Kept per app, at most URLS_REMEMBERED, then emptied and filled again.
URLS_REMEMBERED = 512


def remembered_url_for(endpoint: str, **values) -> str:
    """url_for, remembering the addresses that take no arguments but a static file's name."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if (
        (values and (len(values) > 1 or not isinstance(values.get("filename"), str)))
        or not has_request_context()
        or app.extensions["static_files"].watch
    ):
        return app.url_for(endpoint, **values)
    key = (
        endpoint,
        request.blueprint if endpoint.startswith(".") else None,
        values.get("filename"),
        request.script_root,
    )
    store = app.extensions.setdefault("board_remembered_urls", {})
    url = store.get(key)
    if url is None:
        if len(store) >= URLS_REMEMBERED:
            store.clear()
        url = store[key] = app.url_for(endpoint, **values)
    return url


def navigation_context() -> dict:
    """What the header needs: the unread notification count for a signed-in person. Outside a
    request (an email rendered by a command-line task) nobody is signed in."""
    from flask import has_request_context
    from flask_login import current_user

    from board.notifications.services import unread_count

    if not has_request_context() or not current_user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(current_user)}


def init_app(app: Flask) -> None:
    # Our templates first, then the Design System's: components as
    # {% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}, and the
    # templates govuk-frontend-wtf's widgets render ("govuk_frontend_wtf/input.html"...).
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(app.template_folder),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    # wtforms_errors(form): a form's errors as the Error summary component's parameters.
    WTFormsHelpers(app)
    app.context_processor(navigation_context)
    # Templates ask the same questions as the views before offering an action.
    app.jinja_env.globals["permissions"] = permissions
    app.jinja_env.globals["public_url_for"] = public_url_for
    app.jinja_env.globals["url_for"] = remembered_url_for
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["month"] = format_month
    # {% do %} lets base.html build the navigation list item by item.
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
