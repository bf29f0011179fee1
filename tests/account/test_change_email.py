"""Changing one's email address: a link to the new address changes it, the old address is told,
and a link stops working once the address has changed."""

import re

import pytest
from sqlalchemy.orm import joinedload

from board.account import services
from board.extensions import db
from board.models import ModerationLog, User
from board.models.base import utcnow
from tests.factories import PASSWORD, make_council, make_user

OLD = "nia@ceredigion.gov.uk"
NEW = "nia.evans@example.org"


def _member(app, **fields):
    with app.app_context():
        council = make_council("Ceredigion County Council", domain="ceredigion.gov.uk")
        person = make_user(council, email=OLD, name="Nia Evans", **fields)
        db.session.commit()
        return person


def _stored(app, user_id) -> User:
    with app.app_context():
        return db.session.get(User, user_id, options=[joinedload(User.council)])


def _ask(client, csrf_token, email=NEW, password=PASSWORD):
    return client.post(
        "/account/email",
        data={
            "email": email,
            "current_password": password,
            "csrf_token": csrf_token("/account/email"),
        },
    )


def _link_in(message) -> str:
    found = re.search(r"http://\S+(/account/email/confirm/\S+)", message.get_content())
    assert found, message.get_content()
    return found.group(1)


def _mail_to(outbox, address):
    return [message for message in outbox if message["To"] == address]


def test_asking_sends_a_link_to_the_new_address_and_tells_the_old_one(
    app, client, sign_in, csrf_token, outbox
):
    person = _member(app)
    sign_in(person)
    response = _ask(client, csrf_token, email="  Nia.Evans@Example.org ")
    assert response.status_code == 200
    assert "Check your new email address" in response.text
    assert NEW in response.text
    (confirm,) = _mail_to(outbox, NEW)
    assert confirm["Subject"] == "Confirm your new email address for Case Board"
    assert "/account/email/confirm/" in confirm.get_content()
    (notice,) = _mail_to(outbox, OLD)
    assert "change the email address" in notice["Subject"]
    assert NEW in notice.get_content()
    assert "/account/email/confirm/" not in notice.get_content()
    # Nothing has changed yet.
    assert _stored(app, person.id).email == OLD


def test_opening_the_link_changes_the_address(app, client, sign_in, csrf_token, outbox):
    person = _member(app)
    sign_in(person)
    _ask(client, csrf_token)
    response = client.get(_link_in(_mail_to(outbox, NEW)[0]), follow_redirects=True)
    assert response.request.path == "/account"
    assert f"Your email address is now {NEW}." in response.text
    stored = _stored(app, person.id)
    assert stored.email == NEW
    # The council stays: a verified member keeps theirs whatever the new address's domain.
    assert stored.council.name == "Ceredigion County Council"
    # Signing in now takes the new address.
    client.post("/auth/logout", data={"csrf_token": csrf_token("/account")})
    old_try = client.post(
        "/auth/login",
        data={"email": OLD, "password": PASSWORD, "csrf_token": csrf_token()},
    )
    assert old_try.status_code != 302
    new_try = client.post(
        "/auth/login",
        data={"email": NEW, "password": PASSWORD, "csrf_token": csrf_token()},
    )
    assert new_try.status_code == 302


def test_the_link_works_when_not_signed_in(app, client, sign_in, csrf_token, outbox):
    person = _member(app)
    sign_in(person)
    _ask(client, csrf_token)
    client.post("/auth/logout", data={"csrf_token": csrf_token("/account")})
    response = client.get(_link_in(_mail_to(outbox, NEW)[0]))
    assert response.status_code == 302
    assert response.location.endswith("/auth/login")
    assert _stored(app, person.id).email == NEW


def test_a_used_link_and_an_older_link_stop_working(app, client, sign_in, csrf_token, outbox):
    person = _member(app)
    sign_in(person)
    _ask(client, csrf_token, email="first@example.org")
    first = _link_in(_mail_to(outbox, "first@example.org")[0])
    _ask(client, csrf_token, email="second@example.org")
    second = _link_in(_mail_to(outbox, "second@example.org")[0])
    assert client.get(second).status_code == 302
    assert _stored(app, person.id).email == "second@example.org"
    # The same link again, and the link sent before: the address has changed since.
    for link in (second, first):
        response = client.get(link)
        assert response.status_code == 400
        assert "already been used, or your email address has changed" in response.text
        assert _stored(app, person.id).email == "second@example.org"


def test_an_old_link_stays_dead_after_changing_back(app, client, sign_in, csrf_token, outbox):
    """A to B, then B back to A: the first link (to B) was made while the address was A, but
    not this A: whoever reads B's mail cannot take the account's address back with it."""
    person = _member(app)
    sign_in(person)
    _ask(client, csrf_token, email=NEW)
    to_new = _link_in(_mail_to(outbox, NEW)[0])
    assert client.get(to_new).status_code == 302
    _ask(client, csrf_token, email=OLD)
    back = _link_in(_mail_to(outbox, OLD)[-1])
    assert client.get(back).status_code == 302
    assert _stored(app, person.id).email == OLD
    response = client.get(to_new)
    assert response.status_code == 400
    assert _stored(app, person.id).email == OLD


def test_a_tampered_link_does_not_work(app, client, sign_in, csrf_token, outbox):
    person = _member(app)
    sign_in(person)
    _ask(client, csrf_token)
    link = _link_in(_mail_to(outbox, NEW)[0])
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    response = client.get(tampered)
    assert response.status_code == 400
    assert "This link is not valid" in response.text
    assert _stored(app, person.id).email == OLD


def test_a_link_signed_for_someone_else_does_not_change_another_account(app, client):
    """The token names one account and is signed: changing its user id breaks the signature,
    and a token made by another secret is refused."""
    person = _member(app)
    with app.app_context():
        other = make_user(None, email="other@example.org")
        db.session.commit()
        from itsdangerous import URLSafeTimedSerializer

        forged = URLSafeTimedSerializer("another-secret", salt=services.EMAIL_CHANGE_SALT).dumps(
            {"user": person.id, "email": "attacker@example.org", "from": "x"}
        )
    assert client.get(f"/account/email/confirm/{forged}").status_code == 400
    assert _stored(app, person.id).email == OLD
    assert _stored(app, other.id).email == "other@example.org"


def test_an_expired_link_does_not_work(app, client, sign_in, csrf_token, outbox):
    person = _member(app)
    sign_in(person)
    _ask(client, csrf_token)
    link = _link_in(_mail_to(outbox, NEW)[0])
    app.config["EMAIL_CHANGE_MAX_AGE"] = -1  # every link is older than that
    response = client.get(link)
    assert response.status_code == 400
    assert "This link has expired" in response.text
    assert _stored(app, person.id).email == OLD


def test_a_wrong_password_and_a_taken_address_are_both_reported(
    app, client, sign_in, csrf_token, outbox
):
    person = _member(app)
    with app.app_context():
        make_user(None, email="taken@example.org")
        db.session.commit()
    sign_in(person)
    outbox.clear()
    response = _ask(client, csrf_token, email="Taken@example.org", password="not my password")
    assert response.status_code == 422
    html = response.text
    assert "<title>Error: Change your email address" in html
    assert 'href="#email">Another account uses this email address' in html
    assert 'href="#current_password">Your current password is not correct' in html
    # What was typed is kept, the password is not.
    assert 'value="Taken@example.org"' in html
    assert "not my password" not in html
    assert outbox == []


def test_the_same_address_and_a_malformed_one_are_refused(app, client, sign_in, csrf_token):
    sign_in(_member(app))
    same = _ask(client, csrf_token, email=OLD.upper())
    assert same.status_code == 422
    assert "This is already your email address" in same.text
    malformed = _ask(client, csrf_token, email="not an address")
    assert malformed.status_code == 422
    assert "Enter an email address in the correct format" in malformed.text
    empty = client.post("/account/email", data={"csrf_token": csrf_token("/account/email")})
    assert "Enter your new email address" in empty.text
    assert "Enter your current password" in empty.text


def test_an_address_taken_after_the_link_was_sent_is_not_changed_to(
    app, client, sign_in, csrf_token, outbox
):
    person = _member(app)
    sign_in(person)
    _ask(client, csrf_token)
    link = _link_in(_mail_to(outbox, NEW)[0])
    with app.app_context():
        make_user(None, email=NEW)
        db.session.commit()
    response = client.get(link)
    assert response.status_code == 400
    assert "now used by another account" in response.text
    assert _stored(app, person.id).email == OLD


def test_asking_too_often_is_refused(app, client, sign_in, csrf_token, outbox):
    app.config["EMAIL_CHANGE_RATE_LIMIT"] = "2 per hour"
    sign_in(_member(app))
    assert _ask(client, csrf_token, email="a@example.org").status_code == 200
    assert _ask(client, csrf_token, email="b@example.org").status_code == 200
    outbox.clear()
    refused = _ask(client, csrf_token, email="c@example.org")
    assert refused.status_code == 429
    assert "You have asked to change your email address several times already" in refused.text
    assert 'value="c@example.org"' in refused.text
    assert outbox == []


def test_an_unverified_person_moving_to_a_council_address_joins_that_council(
    app, client, sign_in, csrf_token, outbox
):
    with app.app_context():
        make_council("Powys County Council", domain="powys.gov.uk")
        person = make_user(None, verified=False, email="wyn@community.example")
        person.email_confirmed_at = utcnow()
        db.session.commit()
    sign_in(person)
    _ask(client, csrf_token, email="wyn@powys.gov.uk")
    client.get(_link_in(_mail_to(outbox, "wyn@powys.gov.uk")[0]))
    stored = _stored(app, person.id)
    assert stored.email == "wyn@powys.gov.uk"
    assert stored.is_verified and stored.council.name == "Powys County Council"
    with app.app_context():
        assert db.session.scalar(
            db.select(ModerationLog.action).where(ModerationLog.target_id == person.id)
        ) == ("member.verified")


@pytest.mark.parametrize("path", ["/account/email", "/account/profile"])
def test_a_visitor_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/auth/login" in response.location
