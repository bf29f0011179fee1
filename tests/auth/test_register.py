import re

import pytest

from board.extensions import db
from board.models import ModerationLog, User
from tests.factories import make_council, make_user

GOOD = {
    "name": "Amira Hughes",
    "email": "Amira.Hughes@Pembrokeshire.gov.uk",
    "council_role": "councillor",
    "job_title": "Cabinet Member for Transformation",
    "password": "slate harbour kettle violin",
}


def register(client, csrf_token, **changes):
    data = {**GOOD, "csrf_token": csrf_token("/auth/register"), **changes}
    return client.post("/auth/register", data=data)


def confirmation_link(outbox) -> str:
    match = re.search(r"http://localhost(/auth/confirm/\S+)", outbox[-1].get_content())
    assert match, outbox[-1].get_content()
    return match.group(1)


def test_register_creates_an_unverified_account_and_emails_a_link(app, client, csrf_token, outbox):
    response = register(client, csrf_token)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/check-email"
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.email == "amira.hughes@pembrokeshire.gov.uk"
        assert user.password_hash.startswith("$argon2id$")
        assert GOOD["password"] not in user.password_hash
        assert not user.is_verified
        assert user.role.value == "member"
    assert outbox[-1]["To"] == "amira.hughes@pembrokeshire.gov.uk"


def test_confirming_a_council_address_joins_that_council(app, client, csrf_token, outbox):
    with app.app_context():
        council = make_council("Pembrokeshire County Council", domain="pembrokeshire.gov.uk")
        council_id = council.id
        db.session.commit()
    register(client, csrf_token)
    response = client.get(confirmation_link(outbox))
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.email_confirmed_at is not None
        assert user.council_id == council_id
        assert user.is_verified
        log = db.session.scalar(db.select(ModerationLog))
        assert (log.action, log.target_id, log.actor_id) == ("member.verified", user.id, None)


def test_confirming_another_address_waits_for_a_moderator(app, client, csrf_token, outbox):
    with app.app_context():
        make_council("Pembrokeshire County Council", domain="pembrokeshire.gov.uk")
        db.session.commit()
    register(client, csrf_token, email="amira@gmail.example")
    client.get(confirmation_link(outbox))
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.email_confirmed_at is not None
        assert user.council_id is None
        assert not user.is_verified
        assert db.session.scalar(db.select(ModerationLog)) is None


@pytest.mark.parametrize(
    "token",
    ["not-a-token", "eyJ1c2VyIjoxfQ.invalid.signature"],
)
def test_a_bad_confirmation_link_is_refused(client, token):
    response = client.get(f"/auth/confirm/{token}")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_an_expired_confirmation_link_is_refused(app, client, csrf_token, outbox):
    register(client, csrf_token)
    app.config["EMAIL_CONFIRMATION_MAX_AGE"] = -1
    response = client.get(confirmation_link(outbox))
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "Enter an email address in the correct format"),
        ("email", "", "Enter your email address"),
        ("name", "", "Enter your full name"),
        ("job_title", "", "Enter your job title"),
        ("council_role", "", "Select whether you are a councillor or an officer"),
        ("password", "short", "at least 12 characters"),
        ("password", "password1234", "too easy to guess"),
        ("password", "aaaaaaaaaaaaaaaa", "too easy to guess"),
        ("password", "amira.hughes-secret", "must not contain your email"),
    ],
)
def test_bad_registration_shows_why_and_keeps_what_was_typed(
    app, client, csrf_token, field, value, message
):
    response = register(client, csrf_token, **{field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in html
    assert message in html
    assert f'id="{field}-error"' in html
    # Everything but the password is kept.
    for kept in ("name", "job_title"):
        if kept != field:
            assert f'value="{GOOD[kept]}"' in html
    assert GOOD["password"] not in html
    with app.app_context():
        assert db.session.scalar(db.select(User)) is None


def test_registering_an_existing_address_reveals_nothing(app, client, csrf_token, outbox):
    with app.app_context():
        make_user(email="amira.hughes@pembrokeshire.gov.uk", name="Existing Person")
        db.session.commit()
    response = register(client, csrf_token)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/check-email"
    assert "already has an account" in outbox[-1].get_content()
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_registration_without_csrf_token_is_refused_but_keeps_the_input(app, client):
    response = client.post("/auth/register", data=GOOD)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your session expired" in html
    assert 'value="Amira Hughes"' in html
    assert 'value="Cabinet Member for Transformation"' in html
    with app.app_context():
        assert db.session.scalar(db.select(User)) is None
