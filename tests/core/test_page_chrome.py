"""The page's header, skip link and flashed messages are written out in templates/base.html and
templates/_flashes.html; they must stay the markup govuk-frontend-jinja's macros give for the
same parameters. Each test draws the macro, with the parameters base.html used to pass it, in
the same request, and compares (whitespace apart): for each role, in English and Welsh, on
pages that are current or within a section, with and without unread notifications."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import flash, render_template, render_template_string
from flask_login import login_user

from board.extensions import db
from board.i18n import COOKIE
from board.models import Notification, User

# What the templates gave the macros before they wrote the markup out.
BY_THE_MACROS = Path(__file__).parent / "chrome_by_the_macros"
MACRO_HEADER = (BY_THE_MACROS / "header.html").read_text()
MACRO_FLASHES = (BY_THE_MACROS / "flashes.html").read_text()

TOKEN = re.compile(r'value="[^"]{40,}"')
SKIP_LINK = re.compile(r'<a href="#main-content" class="govuk-skip-link".*?</a>', re.S)
NAVIGATION = re.compile(
    r'<section aria-label="[^"]*" class="govuk-service-navigation".*?</section>', re.S
)


def same_markup(html: str) -> str:
    """Whitespace made single spaces (none before a tag's closing >), CSRF tokens masked."""
    html = TOKEN.sub('value="TOKEN"', str(html))
    return re.sub(r"\s+>", ">", re.sub(r"\s+", " ", html)).strip()


def drawn_by_the_macros(app, path: str, person: User | None, language: str) -> str:
    with app.test_request_context(path, headers={"Cookie": f"{COOKIE}={language}"}):
        if person is not None:
            login_user(db.session.get(User, person.id))
        html = render_template_string(MACRO_HEADER)
        db.session.remove()
    return html


# Each page current or within a section of the navigation for some role, and pages in none.
PAGES = [
    "/",
    "/questions",
    "/questions/new",
    "/notifications",
    "/account/preferences",
    "/moderation/log",
    "/moderation",
    "/admin/people",
    "/admin",
    "/studies/new",
    "/studies/mine",
    "/auth/login",
    "/auth/register",
    "/no-such-page",
    "/accessibility",
]


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize(
    ("role", "unread"),
    [
        ("visitor", 0),
        ("unverified", 1),
        ("author", 0),
        ("author", 2),
        ("moderator", 1),
        ("admin", 3),
    ],
)
def test_the_header_is_the_service_navigation_components_markup(
    app, client, as_role, role, unread, language
):
    person = as_role(role)
    if unread:
        with app.app_context():
            for number in range(unread):
                db.session.add(Notification(user_id=person.id, subject=f"News {number}"))
            db.session.commit()
    client.set_cookie(COOKIE, language)
    compared = 0
    for path in PAGES:
        response = client.get(path)
        html = response.get_data(as_text=True)
        if not NAVIGATION.search(html):
            assert response.status_code in (302, 403), path
            continue
        expected = drawn_by_the_macros(app, path, person, language)
        assert same_markup(NAVIGATION.search(html).group()) == same_markup(
            NAVIGATION.search(expected).group()
        ), path
        assert same_markup(SKIP_LINK.search(html).group()) == same_markup(
            SKIP_LINK.search(expected).group()
        )
        compared += 1
    assert compared >= 6
    if role != "visitor":
        current = 'aria-current="page"'
        assert current in NAVIGATION.search(client.get("/notifications").get_data(as_text=True))[0]
        assert (
            'aria-current="true"'
            in NAVIGATION.search(client.get("/account/preferences").get_data(as_text=True)).group()
        )


@pytest.mark.parametrize("language", ["en", "cy"])
def test_flashed_messages_are_the_notification_banners_markup(app, language):
    from markupsafe import Markup

    messages = [
        ("Saved & done <b>", "success"),
        ("Could not: \"quotes\" & 'apostrophes'", "error"),
        (Markup("Read <a href='/x'>this</a>"), "info"),
        ("  Spaces around  ", "message"),
        ("", "success"),
    ]
    with app.test_request_context("/", headers={"Cookie": f"{COOKIE}={language}"}):
        for message, category in messages:
            flash(message, category)
        ours = render_template("_flashes.html")
        for message, category in messages:
            flash(message, category)
        theirs = render_template_string(MACRO_FLASHES)
    assert ours.count("govuk-notification-banner__title") == len(messages)
    assert same_markup(ours) == same_markup(theirs)
