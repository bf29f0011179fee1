"""Registration limits per client address: an office behind one address can register its
team, typing mistakes do not use up that budget, and a refusal keeps what was typed and says
how long to wait."""

import re

import pytest

from board.extensions import db
from board.models import User
from tests.auth.test_register import GOOD
from tests.conftest import csrf_token_from

OFFICE = "203.0.113.7"


def office_client(app, address=OFFICE):
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR=address)
    return client


def register(client, **changes):
    token = csrf_token_from(client.get("/auth/register").text)
    return client.post("/auth/register", data={**GOOD, "csrf_token": token, **changes})


def accounts(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(User))


def test_an_office_can_register_more_than_five_people_an_hour(app, clock):
    for number in range(12):
        clock.advance(60)
        response = register(office_client(app), email=f"officer{number}@office.example")
        assert response.status_code == 302, response.text
    assert accounts(app) == 12


def test_the_limit_keeps_what_was_typed_and_says_how_long_to_wait(app, clock):
    app.config["REGISTER_RATE_LIMIT"] = "2 per hour"
    client = office_client(app)
    for number in range(2):
        assert register(client, email=f"officer{number}@office.example").status_code == 302
    clock.advance(13 * 60)
    refused = register(client, email="third@office.example")
    html = refused.text
    assert refused.status_code == 429
    assert "Error: Register" in html
    assert (
        "Too many accounts have been registered from your network. Try again in 47 minutes." in html
    )
    for kept in ('value="Amira Hughes"', 'value="third@office.example"', GOOD["job_title"]):
        assert kept in html
    assert re.search(r'<input [^>]*value="councillor" checked', html)  # the choice is kept
    assert GOOD["password"] not in html  # passwords are never sent back
    assert accounts(app) == 2
    # The window passes and the same form goes through.
    clock.advance(47 * 60)
    assert register(client, email="third@office.example").status_code == 302


@pytest.mark.parametrize(
    ("limit", "waited", "words"),
    [
        ("1 per hour", 59 * 60 + 30, "Try again in 1 minute."),
        ("1 per day", 60 * 60, "Try again in 23 hours."),
        ("1 per day", 75 * 60, "Try again in 22 hours and 45 minutes."),
        ("1 per 2 hours", 59 * 60, "Try again in 1 hour and 1 minute."),
    ],
)
def test_the_wait_is_told_in_minutes_and_hours(app, clock, limit, waited, words):
    app.config["REGISTER_RATE_LIMIT"] = limit
    client = office_client(app)
    assert register(client, email="first@office.example").status_code == 302
    clock.advance(waited)
    refused = register(client, email="second@office.example")
    assert refused.status_code == 429
    assert words in refused.text


def test_the_daily_limit_counts_too(app, clock):
    app.config["REGISTER_RATE_LIMIT"] = "5 per hour;6 per day"
    client = office_client(app)
    for number in range(5):
        assert register(client, email=f"a{number}@office.example").status_code == 302
    clock.advance(3600)
    assert register(client, email="b0@office.example").status_code == 302
    refused = register(client, email="b1@office.example")
    assert refused.status_code == 429
    assert "Try again in 23 hours." in refused.text


def test_failed_attempts_do_not_use_up_registrations(app, clock):
    app.config["REGISTER_RATE_LIMIT"] = "2 per hour"
    client = office_client(app)
    for _ in range(10):
        assert register(client, password="short").status_code == 422
    for number in range(2):
        assert register(client, email=f"officer{number}@office.example").status_code == 302


def test_too_many_failed_attempts_are_refused_with_the_input_kept(app, clock):
    app.config["REGISTER_ATTEMPT_LIMIT"] = "3 per hour"
    client = office_client(app)
    for _ in range(3):
        assert register(client, password="short").status_code == 422
    clock.advance(30 * 60)
    refused = register(client)  # a good form, but the address must wait
    assert refused.status_code == 429
    assert "too many attempts to register from your network. Try again in 30 minutes." in (
        refused.text
    )
    assert 'value="Amira Hughes"' in refused.text
    assert GOOD["password"] not in refused.text
    assert accounts(app) == 0


def test_a_different_address_is_not_affected(app, clock):
    app.config["REGISTER_RATE_LIMIT"] = "1 per hour"
    app.config["REGISTER_ATTEMPT_LIMIT"] = "1 per hour"
    office = office_client(app)
    assert register(office, email="first@office.example").status_code == 302
    assert register(office, password="short").status_code == 422
    assert register(office, email="second@office.example").status_code == 429
    elsewhere = office_client(app, "198.51.100.20")
    assert register(elsewhere, email="home@elsewhere.example").status_code == 302


def test_an_existing_address_counts_like_a_new_one(app, clock):
    """Otherwise the limit would tell who already has an account."""
    app.config["REGISTER_RATE_LIMIT"] = "1 per hour"
    client = office_client(app)
    assert register(client).status_code == 302
    assert register(client).status_code == 429  # the same address again


def test_confirmation_resends_are_counted_per_account(app, clock, outbox):
    """Colleagues behind one office address each have their own resends, and the answer says
    how long to wait."""
    app.config["REGISTER_RESEND_LIMIT"] = "1 per hour"
    for email in ("one@office.example", "two@office.example"):
        client = office_client(app)
        assert register(client, email=email).status_code == 302
        token = csrf_token_from(client.get("/auth/login").text)
        login = {"email": email, "password": GOOD["password"], "csrf_token": token}
        assert client.post("/auth/login", data=login).status_code == 302
        sent = len(outbox)
        resend = {"csrf_token": csrf_token_from(client.get("/").text)}
        assert client.post("/auth/confirm/resend", data=resend).status_code == 302
        assert len(outbox) == sent + 1
        clock.advance(20 * 60)
        assert client.post("/auth/confirm/resend", data=resend).status_code == 302
        assert len(outbox) == sent + 1
        assert "ask again in 40 minutes" in client.get("/").text
