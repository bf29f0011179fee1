"""The language of the moment, read once per locale (board/i18n.py): templates' ``_()`` and
``ngettext()``, ``current_language()`` and the topics' names give what Flask-Babel's own
functions give, in a request, inside ``in_language_of`` / ``force_locale`` (and after it), after
``refresh()``, in a command-line task's app context, and outside any app context."""

from __future__ import annotations

from datetime import date, datetime

import flask_babel
import pytest
from babel.messages.mofile import read_mo
from flask import render_template_string
from flask_babel import force_locale, refresh
from jinja2 import Environment

from board import i18n, templating
from board.extensions import db
from board.i18n import (
    COOKIE,
    ENGLISH,
    WELSH,
    current_language,
    current_translations,
    in_language_of,
)
from board.models import Topic

CATALOGUE = "board/translations/cy/LC_MESSAGES/messages.mo"
WELSH_COOKIE = {"Cookie": f"{COOKIE}=cy"}
ENGLISH_COOKIE = {"Cookie": f"{COOKIE}=en"}


def welsh_catalogue():
    with open(CATALOGUE, "rb") as file:
        return read_mo(file)


def flask_babels_translations():
    """The catalogue as Flask-Babel's own Domain.get_translations finds it, every time."""
    return i18n._flask_babels_get_translations(flask_babel.get_domain())


def flask_babels_environment(app) -> Environment:
    """A Jinja environment with Flask-Babel's own callables, as it installs them: the
    behaviour board/i18n.py's must keep."""
    environment = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    environment.install_gettext_callables(
        gettext=lambda s: flask_babels_translations().ugettext(s),
        ngettext=lambda s, p, n: flask_babels_translations().ungettext(s, p, n),
        newstyle=True,
    )
    environment.policies["ext.i18n.trimmed"] = True
    return environment


def both(app, source: str, **context) -> tuple[str, str]:
    """``source`` drawn by the app's environment and by Flask-Babel's own."""
    ours = render_template_string(source, **context)
    theirs = flask_babels_environment(app).from_string(source).render(**context)
    return ours, theirs


def test_every_welsh_text_is_what_flask_babel_gives(app):
    singles = [
        message.id
        for message in welsh_catalogue()
        if message.id and isinstance(message.id, str) and message.string
    ]
    assert len(singles) > 200
    source = "{% for s in texts %}{{ _(s) }}|{% endfor %}"
    for headers in (WELSH_COOKIE, ENGLISH_COOKIE):
        with app.test_request_context("/", headers=headers):
            ours, theirs = both(app, source, texts=[s for s in singles if "%(" not in s])
            assert ours == theirs
            assert ("Astudiaethau achos" in ours) == (headers is WELSH_COOKIE)


@pytest.mark.parametrize("count", [0, 1, 2, 3, 4, 6, 11])
def test_plurals_and_placeholders_are_what_flask_babel_gives(app, count):
    source = (
        "{{ ngettext('%(num)d study', '%(num)d studies', n) }}|"
        "{{ ngettext('%(num)d<span class=\"govuk-visually-hidden\"> unread</span>',"
        " '%(num)d<span class=\"govuk-visually-hidden\"> unread</span>', n) }}|"
        "{% trans count=n %}{{ count }} result{% pluralize %}{{ count }} results{% endtrans %}|"
        "{{ _('Signed in as %(name)s', name=name) }}|{{ _('100%% sure') }}|{{ _(plain) }}"
    )
    for headers in (WELSH_COOKIE, ENGLISH_COOKIE):
        with app.test_request_context("/", headers=headers):
            ours, theirs = both(app, source, n=count, name="<Ann & Bo>", plain="a & b")
            assert ours == theirs
            assert "&lt;Ann &amp; Bo&gt;" in ours  # a variable is escaped, the text is not
            assert "100% sure" in ours


def test_a_forced_language_holds_inside_its_block_and_ends_with_it(app, world):
    with app.app_context():
        welsh_speaker = world.people.colleague
        welsh_speaker.language = WELSH
        db.session.commit()
        topic = db.session.scalar(db.select(Topic).where(Topic.name_cy.is_not(None)))
        names = (topic.name_en, topic.name_cy)
    page = "{{ _('Case studies') }} {{ current_language() }} {{ topic.name }}"
    with app.test_request_context("/", headers=ENGLISH_COOKIE):
        db.session.add(topic)
        assert render_template_string(page, topic=topic) == f"Case studies en {names[0]}"
        assert current_language() == ENGLISH
        with in_language_of(welsh_speaker):
            welsh = render_template_string(page, topic=topic)
            assert welsh == f"Astudiaethau achos cy {names[1]}"
            with force_locale("en"):
                assert render_template_string(page, topic=topic).startswith("Case studies en")
            assert render_template_string(page, topic=topic) == welsh
        assert render_template_string(page, topic=topic) == f"Case studies en {names[0]}"
        assert current_translations().ugettext("Case studies") == "Case studies"
        # What the code translates follows the same language of the moment.
        assert flask_babel.gettext("Case studies") == "Case studies"
        with in_language_of(welsh_speaker):
            assert flask_babel.gettext("Case studies") == "Astudiaethau achos"
            assert str(flask_babel.lazy_gettext("Case studies")) == "Astudiaethau achos"
            with force_locale("en"):
                assert flask_babel.gettext("Case studies") == "Case studies"
            assert flask_babel.gettext("Case studies") == "Astudiaethau achos"
        assert flask_babel.gettext("Case studies") == "Case studies"
    with app.test_request_context("/", headers=WELSH_COOKIE):
        assert render_template_string("{{ _('Case studies') }}") == "Astudiaethau achos"
        with force_locale("en"):
            assert render_template_string("{{ _('Case studies') }}") == "Case studies"
        assert current_language() == WELSH
        db.session.remove()


def test_refresh_chooses_the_language_again(app, world):
    """What the preferences page does after saving a new language: the next text is in it."""
    from flask_login import login_user

    with app.test_request_context("/"):
        person = db.session.merge(world.people.author)
        login_user(person)
        assert render_template_string("{{ _('Case studies') }}") == "Case studies"
        assert flask_babel.gettext("Case studies") == "Case studies"
        person.language = WELSH
        refresh()
        assert flask_babel.gettext("Case studies") == "Astudiaethau achos"
        assert render_template_string("{{ _('Case studies') }}") == "Astudiaethau achos"
        assert current_language() == WELSH
        db.session.rollback()
        db.session.remove()


def test_a_task_without_a_request_writes_english_unless_told(app, world):
    with app.app_context():
        welsh_speaker = world.people.colleague
        welsh_speaker.language = WELSH
        assert render_template_string("{{ _('Case studies') }}") == "Case studies"
        assert current_language() == ENGLISH
        with in_language_of(welsh_speaker):
            assert render_template_string("{{ _('Case studies') }}") == "Astudiaethau achos"
            assert flask_babel.gettext("Case studies") == "Astudiaethau achos"
            assert current_language() == WELSH
        assert flask_babel.gettext("Case studies") == "Case studies"
        assert render_template_string("{{ _('Case studies') }}") == "Case studies"
        db.session.rollback()


def test_outside_an_app_context_everything_is_english():
    assert current_language() == ENGLISH
    assert flask_babel.gettext("Case studies") == "Case studies"
    assert current_translations().ugettext("Case studies") == "Case studies"
    assert templating.format_date(date(2026, 3, 5)) == "5 March 2026"


def test_lazy_text_and_the_form_widgets_keep_their_fixes(app):
    """board/i18n.py's two patches are still in place: a lazy string is escaped like text, and
    a field's hidden "Error:" is in the page's language."""
    from flask_babel.speaklater import LazyString
    from govuk_frontend_wtf.gov_form_base import GovFormBase

    from board import i18n

    assert LazyString.__html__ is i18n._lazy_text_as_html
    assert flask_babel.Domain.get_translations is i18n._remembered_translations
    assert GovFormBase.__call__ is i18n._render_with_error_in_the_pages_language
    with app.test_request_context("/"):
        lazy = flask_babel.lazy_gettext("Fish & chips <b>")
        assert render_template_string("{{ text }}", text=lazy) == "Fish &amp; chips &lt;b&gt;"


# -- dates ------------------------------------------------------------------------------------


DAYS = [date(2026, month, day) for month in range(1, 13) for day in (1, 15, 28)]


@pytest.mark.parametrize("headers", [WELSH_COOKIE, ENGLISH_COOKIE])
def test_dates_are_what_babel_writes_in_each_language(app, headers):
    with app.test_request_context("/", headers=headers):
        for day in DAYS:
            for value in (day, datetime(day.year, day.month, day.day, 23, 59)):
                assert templating.format_date(value) == flask_babel.format_date(day, "d MMMM y")
                assert templating.format_month(value) == flask_babel.format_date(day, "LLLL y")
        assert templating.format_date(None) == "" and templating.format_month(None) == ""


def test_a_remembered_date_is_never_shown_in_the_other_language(app, world):
    day = date(2026, 3, 5)
    with app.test_request_context("/", headers=ENGLISH_COOKIE):
        assert templating.format_date(day) == "5 March 2026"
        with force_locale("cy"):
            assert templating.format_date(day) == "5 Mawrth 2026"
            assert templating.format_month(day) == "Mawrth 2026"
        assert templating.format_date(day) == "5 March 2026"
        assert templating.format_month(day) == "March 2026"
    with app.test_request_context("/", headers=WELSH_COOKIE):
        assert render_template_string("{{ day | date }}", day=day) == "5 Mawrth 2026"


def test_the_dates_remembered_are_bounded():
    templating._formatted_date.cache_clear()
    for offset in range(templating.DATES_REMEMBERED + 50):
        templating._formatted_date(date.fromordinal(700_000 + offset), "d MMMM y", "en")
    info = templating._formatted_date.cache_info()
    assert info.maxsize == templating.DATES_REMEMBERED
    assert info.currsize == templating.DATES_REMEMBERED
