"""Every page of the app (tests/browser/pages.py), as everyone who may see it, at 320 CSS px:
it answers as expected, nothing scrolls sideways, axe finds nothing and the browser reports no
error. The site is built once for the module, and each role signs in once, in its own tab."""

from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import NotFound

from board import create_app
from board.extensions import db
from board.i18n import COOKIE as LANGUAGE_COOKIE
from tests.browser import pages
from tests.browser.conftest import watch_for_errors
from tests.browser.pages import (
    NOT_PAGES,
    PAGES,
    ROLES,
    build_site,
    checked_cases,
    path_of,
    serve,
    sign_in,
)
from tests.conftest import csrf_token_from, separate_database
from tests.factories import PASSWORD
from tests.i18n.english import english_in

NARROWEST = 320

# The elements that reach past the right edge of the window, innermost first, to say in a
# failure what is too wide.
TOO_WIDE = """() => {
  const edge = document.documentElement.clientWidth;
  const wide = [...document.body.querySelectorAll("*")].filter(
    (element) => element.getBoundingClientRect().right > edge + 0.5
  );
  return wide
    .filter((element) => !wide.some((other) => other !== element && element.contains(other)))
    .slice(0, 5)
    .map((element) => {
      const id = element.id ? "#" + element.id : "";
      const classes = [...element.classList].map((name) => "." + name).join("");
      return `${element.tagName.toLowerCase()}${id}${classes}`
        + ` (${Math.round(element.getBoundingClientRect().right)} px)`;
    });
}"""


@pytest.fixture(scope="module")
def site(database_template, tmp_path_factory):
    """The app on a migrated database of its own, filled once and served from a thread."""
    url = separate_database(database_template, "every_page", tmp_path_factory.mktemp("site"))
    app = create_app(pages.site_config(url))
    values = build_site(app)
    with serve(app) as base_url:
        yield app, base_url, values
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def tabs_by_role(browser, base_url: str, language: str | None = None):
    """One browser tab per role, signed in once, at the narrowest width, with the interface's
    language cookie when ``language`` is given. Reusing the tab is what keeps the module fast:
    opening a tab costs more than loading a page in it."""
    made = {}

    def page_for(role: str):
        if role not in made:
            context = browser.new_context(viewport={"width": NARROWEST, "height": 800})
            if language:
                context.add_cookies([{"name": LANGUAGE_COOKIE, "value": language, "url": base_url}])
            sign_in(context, base_url, role)
            tab = context.new_page()
            errors = watch_for_errors(tab, set())
            tab.set_default_timeout(10_000)
            made[role] = (context, tab, errors)
        return made[role][1:]

    try:
        yield page_for
    finally:
        for context, _, _ in made.values():
            context.close()


@pytest.fixture(scope="module")
def role_pages(browser, site):
    with tabs_by_role(browser, site[1]) as page_for:
        yield page_for


@pytest.fixture
def page(role_pages, role):
    """The role's tab; the test fails on any error the browser reports while it runs."""
    tab, errors = role_pages(role)
    errors.clear()
    yield tab
    assert errors == [], f"the browser reported errors: {errors}"


def open_at_320_px(page, site, role: str, entry) -> str:
    """Open ``entry`` as ``role``: it answers as the inventory says, at its own address, and
    nothing scrolls sideways at 320 CSS px. Returns its path."""
    _, base_url, values = site
    path = path_of(entry, values)
    response = page.goto(base_url + path)
    assert response.status == entry.status, f"{path} as {role}: {response.status}"
    # Not sent elsewhere (to sign in, say): the inventory names the page it means.
    assert urlsplit(page.url).path == urlsplit(path).path, f"{path} went to {page.url}"
    if entry.then:
        entry.then(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > NARROWEST:
        culprits = ", ".join(page.evaluate(TOO_WIDE))
        raise AssertionError(f"{path} as {role} is {width} px wide at 320 px: {culprits}")
    return path


@pytest.mark.parametrize(
    ("role", "entry"),
    checked_cases(),
    ids=[f"{role}--{entry.name}" for role, entry in checked_cases()],
)
def test_page_fits_320_px_and_is_accessible(site, page, role, entry, assert_accessible):
    open_at_320_px(page, site, role, entry)
    assert_accessible(page)


@pytest.fixture(scope="module")
def welsh_role_pages(browser, site):
    """As ``role_pages``, in Welsh: the cookie the header's "Cymraeg" link sets (nobody here
    chose a language on their account)."""
    with tabs_by_role(browser, site[1], language="cy") as page_for:
        yield page_for


@pytest.fixture
def welsh_page(welsh_role_pages, role):
    tab, errors = welsh_role_pages(role)
    errors.clear()
    yield tab
    assert errors == [], f"the browser reported errors: {errors}"


@pytest.mark.parametrize(
    ("role", "entry"),
    checked_cases(),
    ids=[f"{role}--{entry.name}" for role, entry in checked_cases()],
)
def test_page_in_welsh_says_nothing_in_english_and_is_accessible(
    site, welsh_page, role, entry, assert_accessible, english
):
    """Every page, as everyone who may see it, in Welsh: lang="cy", nothing scrolls sideways at
    320 px (Welsh is often longer), none of the interface's English (text people wrote carries
    its own lang and is not counted), and axe passes."""
    page = welsh_page
    path = open_at_320_px(page, site, role, entry)
    assert page.locator("html").get_attribute("lang") == "cy"
    left = english_in(page.content(), english)
    assert left == [], f"{path} as {role} in Welsh still says: {left}"
    assert_accessible(page)


def test_every_get_route_has_a_page(site):
    """A GET route added to the app without a page in the inventory (or a reason it has none)
    fails here."""
    app, _, values = site
    adapter = app.url_map.bind("localhost")
    covered = set()
    for entry in PAGES:
        path = urlsplit(path_of(entry, values)).path
        try:
            rule, _ = adapter.match(path, method="GET", return_rule=True)
        except NotFound:  # the 404 page matches no route, on purpose
            continue
        covered.add(rule.rule)
    routes = {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    assert routes - covered - NOT_PAGES.keys() == set(), "GET routes with no page in pages.py"
    assert NOT_PAGES.keys() <= routes, "exclusions for routes that no longer exist"


def test_every_role_sees_pages():
    assert all(pages.pages_for(role) for role in ROLES)
    names = [entry.name for entry in PAGES]
    assert len(names) == len(set(names)), "two pages share a name (screenshots would clash)"


def test_the_tabs_report_browser_errors(role_pages, site):
    """The reused tabs watch for errors as the page fixture does: a console error is caught."""
    tab, errors = role_pages("visitor")
    tab.goto(site[1] + "/")
    errors.clear()
    with tab.expect_console_message():
        tab.evaluate("console.error('a script failed')")
    assert errors == ["a script failed"]
    errors.clear()


def test_every_role_that_can_see_a_page_is_listed(site):
    """A page answers as the inventory says only to the roles listed for it: a role that can see
    a page, but is left out of its row, fails here."""
    app, _, values = site
    missing = []
    for role in ROLES:
        client = app.test_client()
        if role != "visitor":
            token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
            signed_in = client.post(
                "/auth/login",
                data={"email": pages.EMAILS[role], "password": PASSWORD, "csrf_token": token},
            )
            assert signed_in.status_code == 302, f"{role} could not sign in"
        for entry in PAGES:
            if role in entry.roles or (role, entry.name) in pages.SEEN_AS_ANOTHER:
                continue
            response = client.get(path_of(entry, values))
            if response.status_code == entry.status:
                missing.append(f"{role} sees {entry.name}")
    assert missing == [], "roles missing from pages.py: " + ", ".join(missing)
