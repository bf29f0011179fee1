"""Password reset by a single-use, expiring link; sign-in lockout that nobody can make last."""

import re

import pytest

from board.extensions import db
from board.models import User
from tests.factories import PASSWORD, make_council, make_user

CSRF_TOKEN = re.compile(r"[\w-]{20,}\.[\w-]{6}\.[\w-]{20,}")

NEW_PASSWORD = "otter lantern gravel meadow"


@pytest.fixture
def member(app):
    with app.app_context():
        user = make_user(make_council(), email="pat@testshire.gov.uk", name="Pat Member")
        db.session.commit()
        return user


def reset_link(outbox) -> str:
    return re.search(r"http://\S+(/auth/reset/\S+)", outbox[-1].get_content()).group(1)


def ask_for_reset(client, csrf_token, email):
    return client.post(
        "/auth/reset", data={"email": email, "csrf_token": csrf_token("/auth/reset")}
    )


def same_page(html: str, address: str) -> str:
    return CSRF_TOKEN.sub("TOKEN", html.replace(address, "X@"))


def sign_in(client, csrf_token, email, password):
    return client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": csrf_token()}
    )


def test_reset_answers_the_same_whoever_asks(client, csrf_token, member, outbox):
    known = ask_for_reset(client, csrf_token, "pat@testshire.gov.uk")
    unknown = ask_for_reset(client, csrf_token, "nobody@testshire.gov.uk")
    assert known.status_code == unknown.status_code == 200
    # The signed CSRF token carries a timestamp, so it differs across a second boundary.
    assert same_page(known.text, "pat@") == same_page(unknown.text, "nobody@")
    assert [message["To"] for message in outbox] == ["pat@testshire.gov.uk"]


def test_reset_link_changes_the_password_once(app, client, csrf_token, member, outbox):
    ask_for_reset(client, csrf_token, "pat@testshire.gov.uk")
    link = reset_link(outbox)
    weak = client.post(link, data={"password": "short", "csrf_token": csrf_token(link)})
    assert weak.status_code == 422 and "at least 12 characters" in weak.text
    done = client.post(link, data={"password": NEW_PASSWORD, "csrf_token": csrf_token(link)})
    assert done.status_code == 302 and done.headers["Location"].endswith("/auth/login")
    # Used: the link is dead, and the old password with it.
    again = client.get(link)
    assert again.status_code == 400 and "already been used" in again.text
    assert sign_in(client, csrf_token, "pat@testshire.gov.uk", PASSWORD).status_code == 422
    assert sign_in(client, csrf_token, "pat@testshire.gov.uk", NEW_PASSWORD).status_code == 302


def test_expired_tampered_and_other_peoples_links_do_not_work(
    app, client, csrf_token, member, outbox
):
    ask_for_reset(client, csrf_token, "pat@testshire.gov.uk")
    link = reset_link(outbox)
    tampered = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    assert "not valid" in client.get(tampered).text
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert "expired" in client.get(link).text
    with app.app_context():
        hashes = db.session.scalars(db.select(User.password_hash)).all()
    assert len(set(hashes)) == 1  # nothing changed


def test_lockout_after_failed_passwords_and_the_message_reveals_nothing(
    app, client, csrf_token, member
):
    app.config["LOCKOUT_PER_CLIENT"] = "3 per 15 minutes"
    for email in ("pat@testshire.gov.uk", "ghost@testshire.gov.uk"):
        for _ in range(3):
            assert sign_in(client, csrf_token, email, "wrong password here").status_code == 422
    locked = sign_in(client, csrf_token, "pat@testshire.gov.uk", PASSWORD)
    ghost = sign_in(client, csrf_token, "ghost@testshire.gov.uk", PASSWORD)
    assert locked.status_code == ghost.status_code == 422
    assert "too many failed attempts" in locked.text and "too many failed attempts" in ghost.text
    assert "Wait 15 minutes and try again, or reset your password" in locked.text


def test_an_attacker_cannot_keep_the_owner_out(app, csrf_token, member, outbox):
    """Failures from the attacker's address lock only that address; a spread-out attack that
    locks the account everywhere ends when the owner resets the password."""
    app.config["LOCKOUT_PER_CLIENT"] = "3 per 15 minutes"
    app.config["LOCKOUT_PER_ACCOUNT"] = "6 per hour"
    owner = app.test_client()
    owner_env = {"REMOTE_ADDR": "192.0.2.10"}

    def attempt(address, password):
        client = app.test_client()
        client.environ_base.update(REMOTE_ADDR=address)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/auth/login").text)
        return client.post(
            "/auth/login",
            data={
                "email": "pat@testshire.gov.uk",
                "password": password,
                "csrf_token": token.group(1),
            },
        )

    for _ in range(3):
        attempt("198.51.100.1", "guess guess guess")
    assert "too many failed" in attempt("198.51.100.1", PASSWORD).text
    assert attempt("192.0.2.10", PASSWORD).status_code == 302  # the owner, elsewhere

    for _ in range(3):
        attempt("198.51.100.2", "guess guess guess")
    assert "too many failed" in attempt("192.0.2.10", PASSWORD).text  # locked everywhere now

    owner.environ_base.update(owner_env)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', owner.get("/auth/reset").text)
    owner.post("/auth/reset", data={"email": "pat@testshire.gov.uk", "csrf_token": token.group(1)})
    link = reset_link(outbox)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', owner.get(link).text)
    owner.post(link, data={"password": NEW_PASSWORD, "csrf_token": token.group(1)})
    assert attempt("192.0.2.10", NEW_PASSWORD).status_code == 302


def test_the_lock_ends_by_itself(app, client, csrf_token, member, clock):
    app.config["LOCKOUT_PER_CLIENT"] = "2 per 15 minutes"
    for _ in range(2):
        sign_in(client, csrf_token, "pat@testshire.gov.uk", "wrong password here")
    clock.advance(5 * 60)
    locked = sign_in(client, csrf_token, "pat@testshire.gov.uk", PASSWORD)
    assert "Wait 10 minutes and try again" in locked.text  # the wait that is left
    clock.advance(10 * 60 - 1)
    assert (
        "Wait 1 minute and try again"
        in sign_in(client, csrf_token, "pat@testshire.gov.uk", PASSWORD).text
    )
    clock.advance(1)
    assert sign_in(client, csrf_token, "pat@testshire.gov.uk", PASSWORD).status_code == 302


def test_a_long_lock_is_told_in_hours_and_minutes(app, client, csrf_token, member, clock):
    app.config["LOCKOUT_PER_ACCOUNT"] = "2 per 2 hours"
    for _ in range(2):
        sign_in(client, csrf_token, "pat@testshire.gov.uk", "wrong password here")
    clock.advance(55 * 60)
    locked = sign_in(client, csrf_token, "pat@testshire.gov.uk", PASSWORD)
    assert "Wait 1 hour and 5 minutes and try again" in locked.text


def test_reset_requests_are_rate_limited(app, client, csrf_token, member):
    app.config["RESET_RATE_LIMIT"] = "2 per hour"
    answers = [
        ask_for_reset(client, csrf_token, "pat@testshire.gov.uk").status_code for _ in range(3)
    ]
    assert answers == [200, 200, 429]
