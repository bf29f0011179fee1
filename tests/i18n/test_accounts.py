"""Registering, signing in, resetting a password and one's own account, in Welsh: the language a
person registers in is kept on their account, what is sent to them is in their language, and
the language preference on the account agrees with the header's switch."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale, ngettext

from board.account import devices
from board.auth import lockout
from board.extensions import db
from board.i18n import COOKIE
from board.models import User
from tests.auth.conftest import clock  # noqa: F401  (the lockout's clock, moved by hand)
from tests.conftest import csrf_token_from
from tests.factories import PASSWORD, make_council, make_user

REGISTRATION = {
    "name": "Rhian Evans",
    "email": "rhian.evans@example.org",
    "council_role": "officer",
    "job_title": "Swyddog Digidol",
    "password": "llechen harbwr tegell ffidil",
}


def in_welsh(client) -> None:
    client.set_cookie(COOKIE, "cy")


def page_language(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, "no lang on <html>"
    return match.group(1)


def the_user(app, email: str) -> User:
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        db.session.expunge(user)
        return user


# --- Registering -------------------------------------------------------------------------------


def test_registering_in_welsh_keeps_welsh_and_the_confirmation_email_is_welsh(
    app, client, csrf_token, outbox
):
    in_welsh(client)
    page = client.get("/auth/register").get_data(as_text=True)
    assert page_language(page) == "cy"
    assert "Cyfeiriad e-bost gwaith" in page
    response = client.post(
        "/auth/register", data={**REGISTRATION, "csrf_token": csrf_token("/auth/register")}
    )
    assert response.status_code == 302
    assert the_user(app, REGISTRATION["email"]).language == "cy"
    email = outbox[-1]
    assert email["Subject"] == "Cadarnhewch eich cyfeiriad e-bost ar gyfer Case Board"
    body = email.get_content()
    assert "Helo Rhian Evans," in body
    assert "drwy agor y ddolen hon" in body
    assert "Confirm your email address" not in body


def test_registering_in_english_keeps_english(app, client, csrf_token, outbox):
    client.post("/auth/register", data={**REGISTRATION, "csrf_token": csrf_token("/auth/register")})
    assert the_user(app, REGISTRATION["email"]).language == "en"
    assert outbox[-1]["Subject"] == "Confirm your email address for Case Board"


def test_confirming_in_welsh_says_so_in_welsh(app, client, csrf_token, outbox):
    with app.app_context():
        make_council("Cyngor Sir Penfro", domain="example.org")
        db.session.commit()
    in_welsh(client)
    client.post("/auth/register", data={**REGISTRATION, "csrf_token": csrf_token("/auth/register")})
    link = re.search(r"http://localhost(/auth/confirm/\S+)", outbox[-1].get_content()).group(1)
    page = client.get(link, follow_redirects=True).get_data(as_text=True)
    assert "ac rydych wedi ymuno â Cyngor Sir Penfro." in page


def test_a_welsh_registration_error_is_welsh_and_keeps_what_was_typed(client, csrf_token):
    in_welsh(client)
    response = client.post(
        "/auth/register",
        data={**REGISTRATION, "password": "byr", "csrf_token": csrf_token("/auth/register")},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Rhaid i&#39;r cyfrinair fod yn 12 nod o hyd o leiaf" in html
    assert 'value="Rhian Evans"' in html
    assert 'value="Swyddog Digidol"' in html
    # The roles are in Welsh too.
    assert "Cynghorydd" in html and "Swyddog" in html


def test_someone_registering_a_welsh_members_address_tells_them_in_welsh(
    app, client, csrf_token, outbox
):
    """The email goes to the account's owner, so it is in their language, not the language of
    whoever filled in the form."""
    with app.app_context():
        make_user(email=REGISTRATION["email"], name="Rhian Evans", language="cy")
        db.session.commit()
    client.post("/auth/register", data={**REGISTRATION, "csrf_token": csrf_token("/auth/register")})
    assert (
        outbox[-1]["Subject"] == "Mae rhywun wedi ceisio cofrestru gyda'ch cyfeiriad ar Case Board"
    )
    assert "sydd eisoes â chyfrif" in outbox[-1].get_content()


# --- Signing in and resetting a password ------------------------------------------------------


def test_a_welsh_sign_in_error_is_welsh_and_keeps_the_email_typed(app, client, csrf_token):
    with app.app_context():
        make_user(email="gwen@example.org")
        db.session.commit()
    in_welsh(client)
    response = client.post(
        "/auth/login",
        data={
            "email": "gwen@example.org",
            "password": "nid dyma'r cyfrinair",
            "csrf_token": csrf_token(),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page_language(html) == "cy"
    assert "Rhowch gyfeiriad e-bost a chyfrinair cywir" in html
    assert 'value="gwen@example.org"' in html
    assert "<title>Gwall: Mewngofnodi" in html
    # The hidden prefix of the field's error, too.
    assert '<span class="govuk-visually-hidden">Gwall:</span>' in html


@pytest.mark.usefixtures("clock")
def test_a_welsh_lockout_says_how_long_in_welsh(app, client, csrf_token):
    with app.app_context():
        make_user(email="gwen@example.org")
        db.session.commit()
    in_welsh(client)
    token = csrf_token()
    for _ in range(6):
        response = client.post(
            "/auth/login",
            data={"email": "gwen@example.org", "password": "anghywir iawn", "csrf_token": token},
        )
    html = response.get_data(as_text=True)
    assert "Bu gormod o ymdrechion aflwyddiannus i fewngofnodi" in html
    assert re.search(r"Arhoswch \d+ munud a rhowch gynnig arall arni", html)
    assert 'value="gwen@example.org"' in html


def test_a_page_for_members_asks_a_welsh_visitor_to_sign_in_in_welsh(client):
    in_welsh(client)
    response = client.get("/account", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Mewngofnodwch i barhau." in html
    assert "Sign in to continue." not in html


def test_the_downloaded_data_holds_the_language_chosen(client, csrf_token, member):
    save_preferences(client, csrf_token, language="cy")
    response = client.post("/account/data", data={"csrf_token": csrf_token("/account/data")})
    assert response.get_json()["preferences"]["language"] == "cy"


def test_a_password_reset_email_to_a_welsh_member_is_welsh(app, client, csrf_token, outbox):
    """Asked for from a page in English: the email is in the member's language."""
    with app.app_context():
        make_user(email="gwen@example.org", name="Gwen Morgan", language="cy")
        make_user(email="sam@example.org", name="Sam Smith", language="en")
        db.session.commit()
    for address in ("gwen@example.org", "sam@example.org"):
        client.post("/auth/reset", data={"email": address, "csrf_token": csrf_token("/auth/reset")})
    welsh, english = outbox[-2], outbox[-1]
    assert welsh["To"] == "gwen@example.org"
    assert welsh["Subject"] == "Ailosodwch eich cyfrinair Case Board"
    assert "Helo Gwen Morgan," in welsh.get_content()
    assert "am 60 munud" in welsh.get_content()
    assert english["Subject"] == "Reset your Case Board password"
    assert "for 60 minutes" in english.get_content()


def test_a_bad_reset_link_is_explained_in_welsh(client):
    in_welsh(client)
    response = client.get("/auth/reset/not-a-token")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nid yw&#39;r ddolen hon yn ddilys." in html


# --- The language preference on the account ---------------------------------------------------


@pytest.fixture
def member(app, sign_in):
    with app.app_context():
        person = make_user(make_council("Cyngor Caerdydd", domain="caerdydd.example"))
        db.session.commit()
        db.session.expunge(person)
    sign_in(person)
    return person


def save_preferences(client, csrf_token, **fields):
    return client.post(
        "/account/preferences",
        data={"csrf_token": csrf_token("/account/preferences"), **fields},
        follow_redirects=True,
    )


def test_the_language_options_are_each_in_their_own_language(client, member):
    html = client.get("/account/preferences").get_data(as_text=True)
    assert re.search(r'<label[^>]*lang="en"[^>]*>\s*English\s*</label>', html)
    assert re.search(r'<label[^>]*lang="cy"[^>]*>\s*Cymraeg\s*</label>', html)
    # Nobody chose yet: the language the page is in is the one offered.
    assert re.search(r'value="en"\s+checked', html)


def test_saving_welsh_switches_the_pages_at_once(app, client, csrf_token, member):
    response = save_preferences(client, csrf_token, language="cy", email_on_comments="y")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page_language(html) == "cy"
    assert "Mae eich dewisiadau wedi&#39;u cadw." in html
    assert '<h1 class="govuk-heading-l">Eich cyfrif</h1>' in html
    assert the_user(app, member.email).language == "cy"
    # The cookie says the same, so the pages stay Welsh after signing out.
    assert client.get_cookie(COOKIE).value == "cy"
    client.post("/auth/logout", data={"csrf_token": csrf_token("/account")})
    assert page_language(client.get("/auth/login").get_data(as_text=True)) == "cy"


def test_saving_english_from_welsh_switches_back(app, client, csrf_token, member):
    in_welsh(client)
    save_preferences(client, csrf_token, language="cy")
    response = save_preferences(client, csrf_token, language="en")
    html = response.get_data(as_text=True)
    assert page_language(html) == "en-GB"
    assert "Your preferences have been saved." in html
    assert the_user(app, member.email).language == "en"


def test_a_language_that_is_not_offered_is_refused(app, client, csrf_token, member):
    in_welsh(client)
    response = save_preferences(client, csrf_token, language="fr")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Dewiswch yr iaith rydych am ei defnyddio: English neu Cymraeg" in html
    assert 'href="#language"' in html
    assert the_user(app, member.email).language is None


def test_a_language_that_is_not_offered_is_refused_in_english(client, csrf_token, member):
    response = save_preferences(client, csrf_token, language="xx")
    assert response.status_code == 422
    assert "Select the language you want to use: English or Cymraeg" in response.get_data(
        as_text=True
    )


def test_the_header_switch_and_the_preferences_page_agree(app, client, csrf_token, member):
    # The header's switch, as someone signed in presses it: a POST that saves the choice.
    response = client.post(
        "/language/cy",
        data={"csrf_token": csrf_token("/account"), "next": "/account/preferences"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert page_language(html) == "cy"
    assert re.search(r'value="cy"\s+checked', html)
    assert not re.search(r'value="en"\s+checked', html)
    # And the other way round: the page's choice is what the header then offers.
    html = save_preferences(client, csrf_token, language="en").get_data(as_text=True)
    assert re.search(r'action="/language/cy[^"]*"', html)
    assert the_user(app, member.email).language == "en"


def test_the_account_page_shows_the_language_in_itself(client, csrf_token, member):
    save_preferences(client, csrf_token, language="cy")
    html = client.get("/account").get_data(as_text=True)
    assert '<span lang="cy">Cymraeg</span>' in html


# --- Emails about one's own account ------------------------------------------------------------


def test_a_change_of_address_is_written_to_a_welsh_member_in_welsh(
    app, client, csrf_token, member, outbox
):
    save_preferences(client, csrf_token, language="cy")
    client.post(
        "/account/email",
        data={
            "email": "newydd@example.org",
            "current_password": PASSWORD,
            "csrf_token": csrf_token("/account/email"),
        },
    )
    confirm, notice = outbox[-2], outbox[-1]
    assert confirm["Subject"] == "Cadarnhewch eich cyfeiriad e-bost newydd ar gyfer Case Board"
    assert "Mae'n gweithio am 24 awr." in confirm.get_content()
    assert notice["Subject"] == (
        "Mae rhywun wedi gofyn am newid cyfeiriad e-bost eich cyfrif Case Board"
    )


def test_deleting_an_account_finds_the_addresses_a_welsh_notice_was_sent_to(
    app, client, csrf_token, member, outbox
):
    """The notice to an old address is how deletion finds the addresses an account had: a
    notice in Welsh counts as one in English does."""
    save_preferences(client, csrf_token, language="cy")
    client.post(
        "/account/email",
        data={
            "email": "newydd@example.org",
            "current_password": PASSWORD,
            "csrf_token": csrf_token("/account/email"),
        },
    )
    link = re.search(r"http://localhost(/account/email/confirm/\S+)", outbox[-2].get_content())
    client.get(link.group(1))
    client.post(
        "/account/delete",
        data={
            "comments": "delete",
            "current_password": PASSWORD,
            "csrf_token": csrf_token("/account/delete"),
        },
    )
    from board.models import OutboxMessage

    with app.app_context():
        left = db.session.scalars(db.select(OutboxMessage.to_address)).all()
    assert member.email not in left
    assert "newydd@example.org" not in left


# --- Counts and times ---------------------------------------------------------------------------

DEVICES = (
    "You have signed out of %(num)d other device.",
    "You have signed out of %(num)d other devices.",
)


@pytest.mark.parametrize(
    ("count", "welsh"),
    [
        (0, "Nid ydych wedi allgofnodi o unrhyw ddyfais arall."),
        (1, "Rydych wedi allgofnodi o un ddyfais arall."),
        (2, "Rydych wedi allgofnodi o ddwy ddyfais arall."),
        (3, "Rydych wedi allgofnodi o dair dyfais arall."),
        (6, "Rydych wedi allgofnodi o chwe dyfais arall."),
        (20, "Rydych wedi allgofnodi o 20 dyfais arall."),
    ],
)
def test_devices_signed_out_are_counted_in_welsh(app, count, welsh):
    with app.test_request_context(), force_locale("cy"):
        assert ngettext(*DEVICES, count) == welsh


@pytest.mark.parametrize(
    ("seconds", "welsh", "english"),
    [
        (1, "1 munud", "1 minute"),
        (120, "2 munud", "2 minutes"),
        (180, "3 munud", "3 minutes"),
        (360, "6 munud", "6 minutes"),
        (1200, "20 munud", "20 minutes"),
        (3600, "1 awr", "1 hour"),
        (3 * 3600 + 60, "3 awr a 1 munud", "3 hours and 1 minute"),
        (6 * 3600, "6 awr", "6 hours"),
    ],
)
def test_waits_are_said_in_each_language(app, seconds, welsh, english):
    with app.test_request_context():
        with force_locale("cy"):
            assert lockout.wait_in_words(seconds) == welsh
        assert lockout.wait_in_words(seconds) == english


def test_signing_out_two_other_devices_says_so_in_welsh(app):
    with app.app_context():
        email = make_user(email="gwen@example.org").email
        db.session.commit()
    # Three browsers of one person (not the ``client`` fixture, whose context stays pushed).
    browsers = [app.test_client() for _ in range(3)]
    for browser in browsers:
        token = csrf_token_from(browser.get("/auth/login").get_data(as_text=True))
        signed_in = browser.post(
            "/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
        )
        assert signed_in.status_code == 302
    this_one = browsers[0]
    in_welsh(this_one)
    page = this_one.get("/account").get_data(as_text=True)
    assert "Y ddyfais hon" in page
    response = this_one.post(
        "/account/sessions/sign-out-others",
        data={"csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    assert "Rydych wedi allgofnodi o ddwy ddyfais arall." in response.get_data(as_text=True)


def test_times_on_the_devices_list_are_each_languages_own(app):
    moment = datetime(2026, 11, 26, 15, 4, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 8, 30, tzinfo=UTC)  # BST: 9:30 in the UK
    with app.test_request_context():
        assert devices.uk_time(moment) == "3:04pm on 26 November 2026"
        assert devices.uk_time(summer) == "9:30am on 1 July 2026"
        with force_locale("cy"):
            assert devices.uk_time(moment) == "15:04 ar 26 Tachwedd 2026"
            assert devices.uk_time(summer) == "09:30 ar 1 Gorffennaf 2026"
            assert devices.describe("Mozilla/5.0 (Windows NT 10.0) Firefox/120.0") == (
                "Firefox ar Windows"
            )
