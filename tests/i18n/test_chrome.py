"""The page around everything in Welsh: the language switch, how a page's language is chosen
and said (lang, Content-Language, Vary, caching), the header and footer, and the error pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from sqlalchemy.exc import OperationalError

from board.extensions import db
from board.i18n import COOKIE
from board.models import User
from tests.conftest import csrf_token_from
from tests.i18n.english import english_in

WELSH_ACCEPT = {"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}


def lang_of(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, "no lang on <html>"
    return match.group(1)


class _Landmarks(HTMLParser):
    """The markup of the page's <header> and <footer>: the parts every page shares."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("header", "footer"):
            self.depth += 1
        if self.depth:
            self.parts.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if self.depth:
            self.parts.append(f"</{tag}>")
        if tag in ("header", "footer"):
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)

    def handle_entityref(self, name):
        if self.depth:
            self.parts.append(f"&{name};")

    def handle_charref(self, name):
        if self.depth:
            self.parts.append(f"&#{name};")


def shows(html: str, text: str) -> bool:
    """``text`` is an element's whole text (links in the navigation carry line breaks)."""
    escaped = re.escape(text.replace("'", "&#39;"))
    return bool(re.search(r">\s*" + escaped + r"\s*<", html.replace("'", "&#39;")))


def header_and_footer(html: str) -> str:
    parser = _Landmarks()
    parser.feed(html)
    return "<html>" + "".join(parser.parts) + "</html>"


@pytest.fixture
def welsh_cookie(client):
    client.set_cookie(COOKIE, "cy")


# -- the switch ---------------------------------------------------------------------------------


def test_a_visitor_switches_with_a_link_that_keeps_the_page_and_its_filters(client):
    html = client.get("/?topic=cyber-security&outcome=did-not-work").get_data(as_text=True)
    link = re.search(r'<a class="govuk-link app-language-switch__link" href="([^"]+)"', html)
    assert link, "a visitor's switch is a link"
    href = link.group(1).replace("&amp;", "&")
    assert href.startswith("/language/cy?next=")
    assert 'lang="cy" hreflang="cy">Cymraeg</a>' in html

    response = client.get(href)
    assert response.status_code == 303
    assert response.headers["Location"] == "/?topic=cyber-security&outcome=did-not-work"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=cy;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "private" in response.headers["Cache-Control"]

    welsh = client.get("/?topic=cyber-security&outcome=did-not-work").get_data(as_text=True)
    assert lang_of(welsh) == "cy"
    # The switch now offers English, for the same page.
    assert 'lang="en" hreflang="en">English</a>' in welsh
    assert "next=/?topic%3Dcyber-security%26outcome%3Ddid-not-work" in welsh.replace("&amp;", "&")


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil", "", "x"]
)
def test_the_switch_never_leads_off_the_site(client, target):
    response = client.get(f"/language/cy?next={quote(target, safe='')}")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_an_unknown_language_is_not_found(client):
    for code in ("fr", "CY", "cy-GB"):
        response = client.get(f"/language/{code}?next=/")
        assert response.status_code == 404
        assert "Set-Cookie" not in response.headers


def test_someone_signed_in_switches_with_a_form_that_saves_their_choice(
    app, client, as_role, world
):
    person = as_role("author")
    html = client.get("/questions").get_data(as_text=True)
    form = re.search(
        r'<form action="/language/cy" method="post" class="app-language-switch__form">(.*?)</form>',
        html,
        re.S,
    )
    assert form, "a signed-in person's switch is a POST form"
    assert 'name="next" value="/questions"' in form.group(1)
    assert 'name="csrf_token"' in form.group(1)

    # Without the token nothing is saved.
    refused = client.post("/language/cy", data={"next": "/questions"})
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.get(User, person.id).language is None

    response = client.post(
        "/language/cy", data={"next": "/questions", "csrf_token": csrf_token_from(html)}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/questions"
    assert response.headers["Set-Cookie"].startswith(f"{COOKIE}=cy;")
    with app.app_context():
        assert db.session.get(User, person.id).language == "cy"
    assert lang_of(client.get("/questions").get_data(as_text=True)) == "cy"


def test_a_get_does_not_change_an_account(app, client, as_role):
    person = as_role("author")
    client.get("/language/cy?next=/")
    with app.app_context():
        assert db.session.get(User, person.id).language is None


def test_the_account_preference_wins_over_the_cookie_and_the_browser(app, client, as_role):
    person = as_role("author")
    with app.app_context():
        db.session.get(User, person.id).language = "cy"
        db.session.commit()
    client.set_cookie(COOKIE, "en")
    response = client.get("/", headers={"Accept-Language": "en-GB"})
    assert lang_of(response.get_data(as_text=True)) == "cy"
    assert response.headers["Content-Language"] == "cy"
    # Chosen, not guessed from the browser: nothing for a cache to vary on.
    assert "Accept-Language" not in response.headers.get("Vary", "")


# -- a first visit ------------------------------------------------------------------------------


def test_a_first_visit_follows_the_browser_and_says_so_to_caches(client):
    response = client.get("/", headers=WELSH_ACCEPT)
    html = response.get_data(as_text=True)
    assert lang_of(html) == "cy"
    assert response.headers["Content-Language"] == "cy"
    assert "Accept-Language" in response.headers["Vary"]
    # A visitor's page, the same for every Welsh browser: a shared cache may keep it, per
    # language.
    assert response.headers["Cache-Control"].startswith("public")
    assert "Set-Cookie" not in response.headers

    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert lang_of(english.get_data(as_text=True)) == "en-GB"
    assert english.headers["Content-Language"] == "en-GB"
    assert "Accept-Language" in english.headers["Vary"]


def test_a_browser_asking_for_neither_language_gets_english(client):
    response = client.get("/", headers={"Accept-Language": "fr-FR,de;q=0.8"})
    assert lang_of(response.get_data(as_text=True)) == "en-GB"
    assert response.headers["Content-Language"] == "en-GB"


def test_a_visitor_with_the_language_cookie_gets_a_private_answer(client, welsh_cookie):
    response = client.get("/", headers={"Accept-Language": "en-GB"})
    assert lang_of(response.get_data(as_text=True)) == "cy"
    assert response.headers["Cache-Control"].startswith("private")
    assert "Accept-Language" not in response.headers.get("Vary", "")


# -- the header and footer ----------------------------------------------------------------------


def test_the_header_and_footer_of_a_visitors_page_in_welsh(client, welsh_cookie):
    html = client.get("/").get_data(as_text=True)
    for welsh in (
        "Neidio i'r prif gynnwys",
        "Astudiaethau achos",
        "Cwestiynau",
        "Mewngofnodi",
        "Cofrestru",
        "Dolenni cymorth",
        "Datganiad hygyrchedd",
        "Preifatrwydd",
        "Cwcis",
        "Cysylltu ac adborth",
    ):
        assert shows(html, welsh), welsh
    assert 'aria-label="Dewislen"' in html
    assert 'aria-label="Gwybodaeth am y gwasanaeth"' in html
    assert "Case Board: cynghorau'n rhannu" in html.replace("&#39;", "'")
    assert 'name="description" content="Arbrofion digidol a data' in html
    for english in ("Skip to main content", ">Sign in<", "Support links", "Cookies</a>"):
        assert english not in html


def test_the_header_of_a_signed_in_person_in_welsh(app, client, as_role, welsh_cookie):
    person = as_role("moderator")
    client.get("/")  # the sign-in's own message
    html = client.get("/").get_data(as_text=True)
    for welsh in (
        "Cymedroli",
        "Hysbysiadau",
        "Eich cyfrif",
        f"Wedi mewngofnodi fel {person.name}",
        "Allgofnodi",
    ):
        assert shows(html, welsh), welsh
    assert "Sign out" not in html and "Signed in as" not in html


@pytest.mark.parametrize(
    ("count", "said"),
    [(1, "1<span class=\"govuk-visually-hidden\"> heb ei ddarllen</span>"),
     (2, "2<span class=\"govuk-visually-hidden\"> heb eu darllen</span>")],
)  # fmt: skip
def test_the_unread_count_is_counted_in_welsh(
    client, as_role, welsh_cookie, monkeypatch, count, said
):
    from board.notifications import services

    as_role("author")
    monkeypatch.setattr(services, "unread_count", lambda person: count)
    html = client.get("/").get_data(as_text=True)
    assert f'<span class="app-count">({said})</span>' in html


@pytest.mark.parametrize("role", ["visitor", "unverified", "author", "moderator", "admin"])
@pytest.mark.parametrize(
    "path", ["/", "/questions", "/accessibility", "/api", "/no-such-page", "/auth/login"]
)
def test_no_english_in_the_header_or_footer(client, as_role, welsh_cookie, english, role, path):
    as_role(role)
    html = client.get(path, follow_redirects=True).get_data(as_text=True)
    assert lang_of(html) == "cy"
    shared = header_and_footer(html)
    assert "<header" in shared and "<footer" in shared
    assert english_in(shared, english) == [], f"{path} as {role}"


# -- flashes and forms --------------------------------------------------------------------------


def test_a_flash_banner_has_a_welsh_title(app, client, welsh_cookie):
    from flask import flash

    @app.get("/test-only/flash")
    def flashing():
        flash("Saved.", "success")
        return "", 204

    client.get("/test-only/flash")
    html = client.get("/accessibility").get_data(as_text=True)
    assert "Llwyddiant" in html and ">Success<" not in html


def test_the_csrf_message_in_an_error_summary_is_welsh(client, welsh_cookie):
    client.get("/auth/login")  # a session, and so a token to get wrong
    response = client.post(
        "/auth/login", data={"email": "a@example.org", "password": "x", "csrf_token": "stale"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert lang_of(html) == "cy"
    assert "Daeth eich sesiwn i ben" in html


# -- error pages --------------------------------------------------------------------------------


def test_the_not_found_page_in_welsh(client, welsh_cookie):
    response = client.get("/no-such-page", headers={"X-Request-ID": "cy-404"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert lang_of(html) == "cy"
    assert response.headers["Content-Language"] == "cy"
    assert '<h1 class="govuk-heading-l">Heb ddod o hyd i&#39;r dudalen</h1>' in html.replace(
        "'", "&#39;"
    )
    assert "Heb ddod o hyd i" in html.split("<title>")[1].split("</title>")[0]
    assert "Os byddwch yn cysylltu â ni am hyn, rhowch y cyfeirnod" in html
    assert "Page not found" not in html


def test_an_htmx_error_in_welsh(client, welsh_cookie):
    response = client.get("/no-such-page", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Heb ddod o hyd iddo" in html
    assert "Ail-lwythwch y dudalen" in html


def test_the_rate_limit_page_in_welsh_is_one_sentence_per_idea(app, client, welsh_cookie):
    from werkzeug.exceptions import TooManyRequests

    @app.get("/test-only/limited")
    def limited():
        raise TooManyRequests()

    response = client.get("/test-only/limited")
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Gormod o ymdrechion" in html
    assert "Rydych chi wedi rhoi cynnig ar hyn ormod o weithiau mewn amser byr." in html
    assert "Arhoswch " in html and "Wait " not in html


def test_the_database_outage_page_is_in_both_languages(app, client, welsh_cookie):
    @app.get("/test-only/outage")
    def outage():
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    response = client.get("/test-only/outage", headers={"X-Request-ID": "both-1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    welsh = re.search(r'<div lang="cy">(.*?)</div>', html, re.S).group(1)
    english = re.search(r'<div lang="en-GB">(.*?)</div>', html, re.S).group(1)
    assert "nid yw'r gwasanaeth ar gael" in welsh
    assert "rhowch y cyfeirnod" in welsh and "both-1" in welsh
    assert "Sorry, the service is unavailable" in english
    assert "quote reference" in english and "both-1" in english
    assert "Sorry" not in welsh and "gwasanaeth" not in english


def test_the_api_page_says_its_limits_in_welsh(app, client, welsh_cookie):
    app.config["API_RATE_LIMIT"] = "120 per minute;2000 per hour"
    html = client.get("/api").get_data(as_text=True)
    assert "120 y funud a 2000 yr awr" in html
    assert "per minute" not in html


def test_the_cookies_page_names_the_language_cookie(client):
    html = client.get("/cookies").get_data(as_text=True)
    assert f">{COOKIE}</th>" in html
    assert "remembers the language you chose" in html


def test_the_privacy_notice_and_statement_mention_the_language(client):
    assert "the language you chose for the service" in client.get("/privacy").text
    assert "Every page of the service is available in Welsh" in client.get("/accessibility").text


def test_the_statement_dates_are_welsh(client, welsh_cookie):
    html = client.get("/accessibility").get_data(as_text=True)
    assert "Paratowyd y datganiad hwn ar 26 Tachwedd 2026." in html


def test_a_database_outage_under_htmx_for_someone_signed_in(client, as_role, monkeypatch):
    """Choosing the language must not need the database that is down: the fragment comes in
    the language of the cookie, or else the browser's."""
    from board.auth import sessions

    as_role("author")
    client.set_cookie(COOKIE, "cy")

    def unreachable(user_id):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(sessions, "user_for_request", unreachable)
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 503
    assert "nid yw'r gwasanaeth ar gael" in response.get_data(as_text=True).replace("&#39;", "'")


def test_a_forms_answer_switches_back_to_the_form(client):
    """A form shown again with its errors (a POST's answer) offers the switch back to the same
    form, not to the board."""
    html = client.get("/auth/login").get_data(as_text=True)
    answer = client.post(
        "/auth/login", data={"email": "", "password": "", "csrf_token": csrf_token_from(html)}
    ).get_data(as_text=True)
    assert "/language/cy?next=/auth/login" in answer
