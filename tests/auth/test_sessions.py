"""Sessions end on the server: signing out, a password reset and "sign out of every other
device" end them for every copy of the cookie (board/auth/sessions.py)."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from board.auth import sessions
from board.extensions import db
from board.models import User, UserSession
from board.models.base import utcnow
from tests.conftest import csrf_token_from
from tests.factories import PASSWORD, make_council, make_user

NEW_PASSWORD = "otter lantern gravel meadow"
FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
)
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def member(app):
    with app.app_context():
        user = make_user(make_council(), email="sam@testshire.gov.uk", name="Sam Member")
        db.session.commit()
        return user


def browser(app, user_agent=FIREFOX_ON_WINDOWS):
    client = app.test_client()
    client.environ_base.update(HTTP_USER_AGENT=user_agent)
    return client


def token(client, path="/auth/login") -> str:
    return csrf_token_from(client.get(path).text)


def sign_in(client, email="sam@testshire.gov.uk", password=PASSWORD):
    response = client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": token(client)}
    )
    assert response.status_code == 302, response.text
    return client


def is_signed_in(client) -> bool:
    status = client.get("/account").status_code
    assert status in (200, 302)
    return status == 200


def copy_of(app, client):
    """Another browser holding a copy of ``client``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def session_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(UserSession))


def test_signing_in_records_a_session_and_keeps_only_its_hash(app, member):
    client = sign_in(browser(app))
    with client.session_transaction() as cookie_session:
        sid = cookie_session["sid"]
    with app.app_context():
        row = db.session.scalar(db.select(UserSession))
        assert row.user_id == member.id
        assert row.token_hash == sessions.hash_token(sid) != sid
        assert row.user_agent == FIREFOX_ON_WINDOWS


def test_signing_in_starts_a_new_session(app, member):
    """Whatever the session held before (planted by someone else, say) does not carry over."""
    client = browser(app)
    with client.session_transaction() as cookie_session:
        cookie_session["planted"] = "by someone else"
        cookie_session["sid"] = "a token someone else chose"
    before = token(client)
    sign_in(client)
    with client.session_transaction() as cookie_session:
        assert "planted" not in cookie_session
        assert cookie_session["sid"] != "a token someone else chose"
    assert token(client, "/") != before


def test_a_copied_cookie_stops_working_after_sign_out(app, member):
    laptop = sign_in(browser(app))
    thief = copy_of(app, laptop)
    assert is_signed_in(thief)  # a copy works while the session lasts: that is the danger

    response = laptop.post("/auth/logout", data={"csrf_token": token(laptop, "/account")})
    assert response.status_code == 302
    assert not is_signed_in(laptop)
    assert not is_signed_in(thief)
    assert session_rows(app) == 0


def test_signing_out_ends_only_that_session(app, member):
    laptop = sign_in(browser(app))
    phone = sign_in(browser(app, SAFARI_ON_IPHONE))
    laptop.post("/auth/logout", data={"csrf_token": token(laptop, "/account")})
    assert not is_signed_in(laptop)
    assert is_signed_in(phone)


def test_a_password_reset_ends_every_session(app, member, outbox):
    before_reset = sign_in(browser(app))
    resetter = sign_in(browser(app, SAFARI_ON_IPHONE))
    resetter.post(
        "/auth/reset", data={"email": member.email, "csrf_token": token(resetter, "/auth/reset")}
    )
    link = re.search(r"http://\S+(/auth/reset/\S+)", outbox[-1].get_content()).group(1)
    done = resetter.post(link, data={"password": NEW_PASSWORD, "csrf_token": token(resetter, link)})
    assert done.status_code == 302 and done.headers["Location"].endswith("/auth/login")

    assert not is_signed_in(before_reset)
    assert not is_signed_in(resetter)  # the resetting browser signs in again, too
    assert session_rows(app) == 0
    assert is_signed_in(sign_in(resetter, password=NEW_PASSWORD))


def test_sign_out_of_every_other_device(app, member):
    laptop = sign_in(browser(app))
    phone = sign_in(browser(app, SAFARI_ON_IPHONE))
    copy_of_laptop = copy_of(app, laptop)
    with app.app_context():
        someone_else = make_user(make_council(), email="kit@testshire.gov.uk")
        db.session.commit()
    other_person = sign_in(browser(app), email=someone_else.email)

    response = laptop.post(
        "/account/sessions/sign-out-others", data={"csrf_token": token(laptop, "/account")}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert "You have signed out of 1 other device." in laptop.get("/account").text
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    # A copy of this very cookie shares its token; the button gives this browser a new one.
    assert not is_signed_in(copy_of_laptop)
    assert is_signed_in(other_person)  # nobody else's sessions


def test_the_account_page_lists_devices(app, member):
    laptop = sign_in(browser(app))
    sign_in(browser(app, SAFARI_ON_IPHONE))
    html = laptop.get("/account").text
    rows = re.findall(
        r'<tr class="govuk-table__row">\s*<td class="govuk-table__cell">(.*?)</tr>', html, re.DOTALL
    )
    assert len(rows) == 2
    this_device = [row for row in rows if "This device" in row]
    assert len(this_device) == 1 and "Firefox on Windows" in this_device[0]
    assert any("Safari on iPhone" in row for row in rows)
    assert "Sign out of every other device" in html


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")
    refused = client.post(
        "/account/sessions/sign-out-others", data={"csrf_token": token(client, "/")}
    )
    assert refused.status_code == 302


def test_signing_out_other_devices_needs_the_csrf_token(app, member):
    laptop = sign_in(browser(app))
    phone = sign_in(browser(app, SAFARI_ON_IPHONE))
    assert laptop.post("/account/sessions/sign-out-others").status_code == 400
    assert (
        laptop.post(
            "/account/sessions/sign-out-others", data={"csrf_token": "not-the-token"}
        ).status_code
        == 400
    )
    assert is_signed_in(phone)
    assert session_rows(app) == 2


def test_a_suspended_account_has_no_session(app, member):
    client = sign_in(browser(app))
    with app.app_context():
        db.session.get(User, member.id).active = False
        db.session.commit()
    assert not is_signed_in(client)


def count_queries(app):
    statements = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    return statements, lambda: event.remove(engine, "before_cursor_execute", record)


def test_one_query_finds_the_user_and_last_seen_is_written_only_now_and_then(
    app, member, monkeypatch
):
    client = sign_in(browser(app))
    statements, stop = count_queries(app)
    try:
        client.get("/auth/check-email")
        assert sum("user_sessions" in statement for statement in statements) == 1
        assert not any(statement.startswith("UPDATE") for statement in statements)

        later = utcnow() + sessions.LAST_SEEN_EVERY + timedelta(seconds=1)
        monkeypatch.setattr(sessions, "utcnow", lambda: later)
        statements.clear()
        client.get("/auth/check-email")
        assert sum(statement.startswith("UPDATE user_sessions") for statement in statements) == 1
    finally:
        stop()
    with app.app_context():
        assert db.session.scalar(db.select(UserSession.last_seen_at)) == later


def test_changing_the_password_ends_the_other_sessions(app, member):
    laptop = sign_in(browser(app))
    phone = sign_in(browser(app, SAFARI_ON_IPHONE))
    form = {"current_password": "not my password", "password": NEW_PASSWORD}
    wrong = laptop.post(
        "/account/password", data={**form, "csrf_token": token(laptop, "/account/password")}
    )
    assert wrong.status_code == 422 and "Your current password is not correct" in wrong.text
    assert is_signed_in(phone)

    form["current_password"] = PASSWORD
    done = laptop.post(
        "/account/password", data={**form, "csrf_token": token(laptop, "/account/password")}
    )
    assert done.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert is_signed_in(sign_in(phone, password=NEW_PASSWORD))


def test_guessing_the_current_password_is_locked_out_like_signing_in(app, member, clock):
    app.config["LOCKOUT_PER_CLIENT"] = "2 per 15 minutes"
    laptop = sign_in(browser(app))
    form = {"current_password": "guess guess guess", "password": NEW_PASSWORD}
    for _ in range(2):
        laptop.post(
            "/account/password", data={**form, "csrf_token": token(laptop, "/account/password")}
        )
    form["current_password"] = PASSWORD
    locked = laptop.post(
        "/account/password", data={**form, "csrf_token": token(laptop, "/account/password")}
    )
    assert locked.status_code == 422 and "Wait 15 minutes and try again" in locked.text


def test_a_session_left_unused_for_the_idle_timeout_ends(app, member):
    client = sign_in(browser(app))
    assert is_signed_in(client)
    with app.app_context():
        db.session.execute(
            db.update(UserSession).values(
                last_seen_at=utcnow() - app.config["SESSION_IDLE_TIMEOUT"] - timedelta(minutes=1)
            )
        )
        db.session.commit()
    assert not is_signed_in(client)
