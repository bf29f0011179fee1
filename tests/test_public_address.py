"""Links in email follow PUBLIC_URL, never the Host header; unknown hosts get 400; behind a
proxy (TRUSTED_PROXIES) each visitor is counted by their own address."""

from __future__ import annotations

import re

import pytest

from board import create_app
from board.extensions import db
from tests.conftest import base_config, csrf_token_from
from tests.factories import PASSWORD, make_council, make_user

EMAIL = "pat@testshire.gov.uk"


@pytest.fixture
def member(app):
    with app.app_context():
        user = make_user(make_council(), email=EMAIL, name="Pat Member")
        db.session.commit()
        return user


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.get_content())


def ask_for_reset(client, **kwargs):
    token = csrf_token_from(client.get("/auth/reset", **kwargs).text)
    return client.post("/auth/reset", data={"email": EMAIL, "csrf_token": token}, **kwargs)


def test_a_forged_host_header_is_refused(client, member, outbox):
    token = csrf_token_from(client.get("/auth/reset").text)
    response = client.post(
        "/auth/reset",
        data={"email": EMAIL, "csrf_token": token},
        headers={"Host": "evil.example"},
    )
    assert response.status_code == 400
    assert "does not answer to that host" in response.text
    assert outbox == []
    assert client.get("/", headers={"Host": "evil.example:5000"}).status_code == 400


@pytest.mark.parametrize("header", ["X-Forwarded-Host", "X-Host", "Forwarded"])
def test_emailed_links_ignore_forwarded_host_headers(client, member, outbox, header):
    value = "host=evil.example" if header == "Forwarded" else "evil.example"
    ask_for_reset(client, headers={header: value})
    [message] = outbox
    assert links_in(message)
    assert all(link.startswith("http://localhost/auth/reset/") for link in links_in(message))


@pytest.fixture
def app_with(database_url):
    """Build an app with settings of the test's own; its connections are closed afterwards
    (an open PostgreSQL connection left to the garbage collector fails a later test)."""
    made = []

    def build(**settings):
        made.append(create_app({**base_config(database_url), **settings}))
        return made[-1]

    yield build
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_links_use_public_url_even_for_a_trusted_alias(app_with, member):
    app = app_with(
        PUBLIC_URL="https://caseboard.example.org",
        TRUSTED_HOSTS=["caseboard.example.org", "alias.example.org"],
    )
    client = app.test_client()
    outbox = app.extensions.setdefault("outbox", [])
    # Over HTTPS, Flask-WTF also wants a same-site Referer, as browsers send.
    headers = {"Host": "alias.example.org", "Referer": "https://alias.example.org/auth/reset"}
    response = ask_for_reset(client, headers=headers, base_url="https://alias.example.org")
    assert response.status_code == 200
    [link] = links_in(outbox[-1])
    assert link.startswith("https://caseboard.example.org/auth/reset/")


def test_confirmation_and_notification_links_use_public_url(app, client, world, outbox):
    token = csrf_token_from(client.get("/auth/register").text)
    client.post(
        "/auth/register",
        data={
            "name": "New Person",
            "email": "new@hereshire.gov.uk",
            "password": "a long enough passphrase",
            "council_role": "officer",
            "job_title": "Data lead",
            "csrf_token": token,
        },
        headers={"X-Forwarded-Host": "evil.example"},
    )
    assert outbox, "no confirmation email"
    assert all(link.startswith("http://localhost/") for link in links_in(outbox[-1]))

    from board.notifications.services import notify

    with app.test_request_context("/", headers={"Host": "localhost"}), app.app_context():
        author = db.session.merge(world.people.author)
        notify(author, "Subject", "Body", "/studies/1/x")
        db.session.commit()
    assert links_in(outbox[-1]) == ["http://localhost/studies/1/x"]


def test_production_needs_a_public_url(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


@pytest.mark.parametrize("bad", ["caseboard.example.org", "ftp://x.example", "https://x/board"])
def test_public_url_must_be_a_scheme_and_host(database_url, bad):
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app({**base_config(database_url), "PUBLIC_URL": bad})


def test_trusted_hosts_default_to_the_public_address(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PUBLIC_URL", "https://caseboard.example.org")
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["TRUSTED_HOSTS"] == ["caseboard.example.org"]
    client = app.test_client()
    refused = client.get("/healthz", headers={"Host": "localhost"})
    assert refused.status_code == 400
    assert refused.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in refused.headers["Content-Security-Policy"]
    ok = client.get("/healthz", base_url="https://caseboard.example.org")
    assert ok.status_code in (200, 503)


# Behind a proxy -----------------------------------------------------------------------------

PROXY = "10.0.0.1"


@pytest.fixture
def proxied_app(app_with):
    return app_with(TRUSTED_PROXIES=1, LOGIN_RATE_LIMIT="3 per minute")


def visitor(app, address: str, **headers):
    """A browser at ``address``, reaching the app through the proxy at PROXY."""
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)
    for name, value in headers.items():
        client.environ_base["HTTP_" + name.upper().replace("-", "_")] = value
    return client


def sign_in(client, email, password):
    token = csrf_token_from(client.get("/auth/login").text)
    return client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": token}
    )


def test_two_visitors_behind_one_proxy_have_their_own_rate_limits(proxied_app):
    with proxied_app.app_context():
        make_user(make_council(), email=EMAIL)
        db.session.commit()
    first, second = visitor(proxied_app, "203.0.113.7"), visitor(proxied_app, "198.51.100.9")
    answers = [sign_in(first, EMAIL, "wrong password!").status_code for _ in range(4)]
    assert answers[-1] == 429
    assert sign_in(second, EMAIL, PASSWORD).status_code == 302


def test_an_attacker_behind_the_proxy_does_not_lock_the_owner_out(proxied_app):
    proxied_app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    with proxied_app.app_context():
        make_user(make_council(), email=EMAIL)
        db.session.commit()
    attacker, owner = visitor(proxied_app, "203.0.113.7"), visitor(proxied_app, "198.51.100.9")
    for _ in range(6):
        sign_in(attacker, EMAIL, "wrong password!")
    assert "too many failed attempts" in sign_in(attacker, EMAIL, PASSWORD).text
    assert sign_in(owner, EMAIL, PASSWORD).status_code == 302


def test_hsts_when_the_proxy_says_https(proxied_app):
    client = visitor(proxied_app, "203.0.113.7", **{"X-Forwarded-Proto": "https"})
    response = client.get("/healthz")
    assert "max-age" in response.headers.get("Strict-Transport-Security", "")


def test_without_trusted_proxies_forwarded_headers_are_ignored(app):
    """The default: nobody can pick their address or scheme by sending a header."""
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    with app.app_context():
        make_user(make_council(), email=EMAIL)
        db.session.commit()
    answers = []
    for number in range(4):
        client = app.test_client()
        client.environ_base.update(HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
        answers.append(sign_in(client, EMAIL, "wrong password!").status_code)
    assert answers[-1] == 429
    forged = app.test_client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in forged.headers
