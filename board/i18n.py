"""The interface in English and Welsh (Flask-Babel; catalogues in board/translations/).

Which language a page is in, first that applies:

1. a signed-in person's preference on their account (they chose it; their emails use it too);
2. the ``board_language`` cookie, set by the "Cymraeg" / "English" link in every page's header;
3. the browser's ``Accept-Language``;
4. English.

The header's link leads to ``/language/<code>?next=<the page>``, which sets the cookie and
sends the person back to the page they were on, filters and all. For someone signed in it is a
form (POST, with the CSRF token) that also saves the preference on their account: a GET must not
change an account.

A page's language changes what a shared cache may keep: answers chosen by ``Accept-Language``
say ``Vary: Accept-Language``, and a request carrying the cookie is treated like one carrying a
session (board/http_cache.py): its answer is private, and a proxy in front must not serve it a
shared copy (README.md's deployment section).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from babel.support import NullTranslations, Translations
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
)
from flask.globals import _cv_app
from flask_babel import Babel, Domain, force_locale, get_domain, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from flask_login import current_user
from govuk_frontend_wtf.gov_form_base import GovFormBase
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from board.security import is_safe_redirect

ENGLISH = "en"
WELSH = "cy"
# Each language's code, its name in itself (what the switch link says), and the lang attribute.
LANGUAGES = {ENGLISH: "English", WELSH: "Cymraeg"}
HTML_LANG = {ENGLISH: "en-GB", WELSH: "cy"}
COOKIE = "board_language"
COOKIE_MAX_AGE = 365 * 24 * 3600

babel = Babel()
bp = Blueprint("language", __name__)


def chosen_language() -> str | None:
    """The language someone chose (account, then cookie), or None if nobody chose."""
    try:
        preference = getattr(current_user, "language", None)
    except SQLAlchemyError:
        # Who is signed in could not be read (the database is down): the error page that
        # says so is written in the cookie's language, or the browser's.
        preference = None
    if preference in LANGUAGES:
        return preference
    cookie = request.cookies.get(COOKIE)
    return cookie if cookie in LANGUAGES else None


def select_locale() -> str:
    if not has_request_context():
        return ENGLISH  # a command-line task: force_locale (in_language_of) says otherwise
    from board.http_cache import is_open_data  # it imports this module

    if is_open_data(current_app, request.path):
        # The API, feeds and sitemaps are for machines and the same for everyone: English,
        # whatever the browser or the cookie says (their studies' text is in its own language).
        return ENGLISH
    chosen = chosen_language()
    if not chosen:
        g.language_from_browser = True
        chosen = request.accept_languages.best_match(list(LANGUAGES), default=ENGLISH)
    g.interface_language = chosen
    return chosen


# -- the language of the moment, asked for hundreds of times a page -----------------------------
#
# Flask-Babel keeps the locale it chose in ``g._flask_babel.babel_locale`` (once per app
# context: a request, or a command-line task's context), and ``force_locale`` (in_language_of)
# replaces it there for as long as its block runs, then puts the old one back; ``refresh()``
# deletes it, so that it is chosen again. Its own ``get_locale`` and ``get_translations`` find
# that namespace through several context-local look-ups each time, which every ``_()`` of a
# template, every topic's name and every date paid: a few hundred times a page. The functions
# below read the same attribute directly and, while it holds the same locale object (and the
# same domain), reuse the Translations object they found for it. They never decide anything
# Flask-Babel does not: whenever the attribute is missing or has changed they ask Flask-Babel,
# so a forced locale, a refresh, or the end of a forced block takes effect at the next call.


def _babel_state():
    """Flask-Babel's namespace for this app context, or None (none yet, or no app context)."""
    app_context = _cv_app.get(None)
    if app_context is None:
        return None
    return getattr(app_context.g, "_flask_babel", None)


def current_locale():
    """Flask-Babel's ``get_locale()``, without its look-ups once the locale is chosen."""
    state = _babel_state()
    locale = getattr(state, "babel_locale", None) if state is not None else None
    return locale if locale is not None else get_locale()


def _remembered_translations(domain: Domain) -> Translations | NullTranslations:
    """``Domain.get_translations`` (what every gettext, lazy text and form label of Flask-Babel
    asks), reusing the catalogue found for this domain while the locale object of the moment
    is still the one it was found for. Flask-Babel's answer depends only on that locale and
    the domain (its catalogues are loaded once per process), so the reuse gives the same."""
    state = _babel_state()
    remembered = _remembered_for(state, domain) if state is not None else None
    if remembered is not None:
        return remembered
    translations = _flask_babels_get_translations(domain)
    state = _babel_state()  # made by Flask-Babel on the way, when there is an app context
    locale = getattr(state, "babel_locale", None) if state is not None else None
    if locale is not None:
        state.board_translations = (locale, domain, translations)
    return translations


_flask_babels_get_translations = Domain.get_translations


def current_translations() -> Translations | NullTranslations:
    """Flask-Babel's ``get_translations()`` (English's empty catalogue outside an app
    context), without its look-ups while the locale and domain are the ones last asked for."""
    state = _babel_state()
    if state is not None:
        remembered = _remembered_for(state, getattr(state, "babel_domain", None))
        if remembered is not None:
            return remembered
    return _remembered_translations(get_domain())


def _remembered_for(state, domain) -> Translations | NullTranslations | None:
    """The catalogue remembered in Flask-Babel's namespace ``state`` if it was found for
    ``domain`` and the locale object of the moment; else None."""
    remembered = getattr(state, "board_translations", None)
    if (
        remembered is not None
        and remembered[0] is getattr(state, "babel_locale", None)
        and remembered[1] is domain
    ):
        return remembered[2]
    return None


@pass_context
def template_gettext(context: Context, string: str, /, **variables) -> str:
    """``_()`` and ``gettext()`` in templates: what Jinja's newstyle gettext does (the text
    always %-formatted, markup when autoescaping) with Flask-Babel's catalogue of the moment."""
    text = current_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704  (our catalogue's text, as Jinja's own gettext)
    # Formatting a text with no "%" in it by a mapping gives the text back as it was.
    return text % variables if variables or "%" in text else text


@pass_context
def template_ngettext(
    context: Context, singular: str, plural: str, num: int, /, **variables
) -> str:
    """``ngettext()`` and ``{% trans count=... %}`` in templates, as Jinja's newstyle does."""
    variables.setdefault("num", num)
    text = current_translations().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704  (our catalogue's text, as Jinja's own gettext)
    return text % variables


def current_language() -> str:
    """``en`` or ``cy``: the interface's language now (English outside a request)."""
    if _cv_app.get(None) is None:
        return ENGLISH
    locale = current_locale()
    return locale.language if locale and locale.language in LANGUAGES else ENGLISH


def language_of(user) -> str:
    """The language to write to someone in (emails, digests, notifications)."""
    preference = getattr(user, "language", None)
    return preference if preference in LANGUAGES else ENGLISH


@contextmanager
def in_language_of(user) -> Iterator[None]:
    """Render what is sent to ``user`` in their language, whoever's request is running."""
    with force_locale(language_of(user)):
        yield


def other_language() -> tuple[str, str]:
    """The code and name of the language the header's switch offers."""
    code = WELSH if current_language() == ENGLISH else ENGLISH
    return code, LANGUAGES[code]


def switch_target() -> str:
    """Where the switch returns to: this page with its query; for a POST's answer (a form with
    its errors, say), the same address if it is also a page, or else the board."""
    if request.method == "GET":
        target = request.full_path.rstrip("?")
    elif request.url_rule is not None and "GET" in (request.url_rule.methods or ()):
        target = request.path
    else:
        target = "/"
    return target if is_safe_redirect(target) else "/"


def remember_choice(response: Response, code: str) -> None:
    response.set_cookie(
        COOKIE,
        code,
        max_age=COOKIE_MAX_AGE,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )


@bp.route("/language/<code>", methods=["GET", "POST"])
def switch(code: str):
    """Set the interface language and go back to the page. GET sets only the cookie; a POST
    (someone signed in, CSRF-checked like every POST) also saves it on their account."""
    from board.extensions import db

    if code not in LANGUAGES:
        abort(404)
    target = request.values.get("next", "/")
    if not is_safe_redirect(target):
        target = "/"
    if request.method == "POST" and current_user.is_authenticated:
        current_user.language = code
        db.session.commit()
    response = redirect(target, code=303)
    remember_choice(response, code)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def add_language_headers(response: Response) -> Response:
    """Only when the answer was written in a language (a page, not a file or a redirect); the
    language is never worked out here: that may ask the database, which may be why this
    answer is an error."""
    language = g.get("interface_language")
    if language is None:
        return response
    if g.get("language_from_browser"):
        response.vary.add("Accept-Language")
    response.headers.setdefault("Content-Language", HTML_LANG[language])
    return response


def rate_limits_in_words(limits: str) -> str:
    """A rate limit setting ("120 per minute;2000 per hour") as the API page says it, in the
    interface's language. A setting it cannot read is shown as it is."""
    from limits import parse_many

    if current_language() == ENGLISH:
        return limits.replace(";", " and ")
    try:
        parsed = parse_many(limits)
    except ValueError:
        return limits
    units = {
        "second": lambda n: ngettext("%(num)d per second", "%(num)d per second", n),
        "minute": lambda n: ngettext("%(num)d per minute", "%(num)d per minute", n),
        "hour": lambda n: ngettext("%(num)d per hour", "%(num)d per hour", n),
        "day": lambda n: ngettext("%(num)d per day", "%(num)d per day", n),
    }
    said = []
    for limit in parsed:
        unit = units.get(limit.GRANULARITY.name)
        if unit is None or limit.multiples != 1:
            return limits
        said.append(unit(limit.amount))
    if len(said) == 1:
        return said[0]
    return _("%(some)s and %(last)s", some=", ".join(said[:-1]), last=said[-1])


def _lazy_text_as_html(text: LazyString) -> Markup:
    return escape(str(text))


def _render_with_error_in_the_pages_language(widget, field, **kwargs):
    params = widget.map_gov_params(field, **kwargs)
    if params.get("errorMessage"):
        params["errorMessage"] = {**params["errorMessage"], "visuallyHiddenText": _("Error")}
    return widget.render(params)


def init_app(app: Flask) -> None:
    # govuk-frontend-wtf's widgets give the Error message component its parameters after any a
    # template passes, so its hidden "Error:" before each field's error would stay English.
    GovFormBase.__call__ = _render_with_error_in_the_pages_language
    # A lazy string (a form's label, a validator's message) is text, but Flask-Babel's says it
    # is markup already (its __html__ returns it as it is), so an "&" or "<" in a translation
    # would reach the page unescaped. Escape it like any other text.
    LazyString.__html__ = _lazy_text_as_html
    # Flask-Babel finds the catalogue of the moment afresh for every text the code translates
    # (each _() in a view, each form label): the same catalogue, found once per locale.
    Domain.get_translations = _remembered_translations
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel's callables reach the catalogue through three calls of Jinja's and three
    # look-ups of its own for every string; these reach the same catalogue directly. ``_`` is
    # Jinja's alias for whatever ``gettext`` is in the context; nothing here ever puts another
    # ``gettext`` in a template's context, so it is the same function.
    app.jinja_env.globals.update(
        _=template_gettext, gettext=template_gettext, ngettext=template_ngettext
    )
    # {% trans %} blocks are written across lines; their msgids are the text with its runs of
    # whitespace made single spaces (babel.cfg extracts them the same way).
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals.update(
        current_language=current_language,
        html_lang=lambda: HTML_LANG[current_language()],
        other_language=other_language,
        language_switch_target=switch_target,
        language_cookie=COOKIE,
        rate_limits_in_words=rate_limits_in_words,
    )
    app.register_blueprint(bp)
    app.after_request(add_language_headers)
