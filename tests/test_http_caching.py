"""A visitor's pages may be kept by a shared cache (public, a validator, 304s, no cookie and no
Vary: Cookie); nothing personal may (board/http_cache.py)."""

from __future__ import annotations

import pytest

from board.extensions import db
from board.models import Visibility
from tests.factories import make_council, make_study, make_user


@pytest.fixture
def places(app):
    with app.app_context():
        council = make_council("Cachington Council")
        study = make_study(council, title="Bin sensors we took out", topics=["cyber-security"])
        secret = make_study(council, title="Members only near miss", visibility=Visibility.MEMBERS)
        member = make_user(council, name="Meg Member")
        db.session.commit()
        return {
            "board": "/",
            "filtered board": "/?outcome=did-not-work&sort=newest",
            "topic": "/topics/cyber-security",
            "council": f"/councils/{council.slug}",
            "study": f"/studies/{study.id}/{study.slug}",
            "member": member,
            "secret": secret.title,
        }


VISITOR_PAGES = ["board", "filtered board", "topic", "council", "study"]


def assert_shareable(response):
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.vary
    cache_control = response.cache_control
    assert cache_control.public
    assert cache_control.max_age == 0
    assert cache_control.s_maxage == 60
    assert response.headers["ETag"]


def assert_personal(response):
    assert not response.cache_control.public
    assert response.cache_control.private
    assert "s-maxage" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("page", VISITOR_PAGES)
def test_a_visitors_page_is_shareable_and_answers_if_none_match(client, places, page):
    response = client.get(places[page])
    assert_shareable(response)
    assert client.get_cookie("session") is None
    again = client.get(places[page], headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == response.headers["ETag"]
    assert again.cache_control.public


def test_a_changed_page_answers_in_full_with_a_new_etag(app, client, places):
    before = client.get("/")
    with app.app_context():
        make_study(make_council("Latershire Council"), title="A newer experiment")
        db.session.commit()
    after = client.get("/", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "A newer experiment" in after.text
    assert after.headers["ETag"] != before.headers["ETag"]


def test_a_head_request_is_shareable_too(client, places):
    response = client.head("/")
    assert_shareable(response)
    assert response.data == b""


def test_an_htmx_fragment_is_shareable_and_keeps_its_vary_headers(client, places):
    response = client.get(
        "/?outcome=worked",
        headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/"},
    )
    assert_shareable(response)
    assert {"HX-Request", "HX-Target", "HX-Trigger"} <= set(response.vary)
    # HX-Push-Url was worked out from the address the browser showed: kept per address.
    assert "HX-Push-Url" in response.headers
    assert "HX-Current-URL" in response.vary


def test_a_signed_in_members_pages_are_never_shared_and_are_their_own(client, places, sign_in):
    visitor = client.get("/")
    assert places["secret"] not in visitor.text
    sign_in(places["member"])
    for page in VISITOR_PAGES:
        response = client.get(places[page])
        assert response.status_code == 200
        assert_personal(response)
        assert response.cache_control.no_store
        assert "Cookie" in response.vary
    # The browser revalidates the visitor's copy it kept (max-age=0), and gets the member's.
    member = client.get("/", headers={"If-None-Match": visitor.headers["ETag"]})
    assert member.status_code == 200
    assert places["secret"] in member.text
    assert "Meg Member" in member.text


@pytest.mark.parametrize("path", ["/auth/login", "/auth/register", "/auth/reset"])
def test_a_page_with_a_csrf_form_is_not_shared(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert 'name="csrf_token"' in response.text
    assert "Set-Cookie" in response.headers  # the token's session
    assert_personal(response)
    assert response.cache_control.no_cache


def test_a_page_showing_a_flashed_message_is_not_shared(client, places):
    assert client.get("/account").status_code == 302  # "Sign in to continue."
    response = client.get("/")
    assert "Sign in to continue." in response.text
    assert_personal(response)
    # Once the message has been shown the session holds nothing a page depends on, but the
    # browser still has its cookie: its pages stay private.
    assert_personal(client.get("/"))


def test_a_visitor_with_a_session_cookie_gets_private_pages(client, places):
    client.get("/auth/login")
    response = client.get("/")
    assert_personal(response)
    assert "Cookie" in response.vary


def test_post_answers_and_errors_are_not_shared(app, client, places, csrf_token):
    wrong = {"email": "nobody@example.org", "password": "not the password"}
    refused = client.post("/auth/login", data={**wrong, "csrf_token": csrf_token()})
    assert refused.status_code >= 400
    assert_personal(refused)
    assert_personal(client.post("/auth/login", data=wrong))  # no token
    visitor = app.test_client()
    missing = visitor.get("/studies/999999")
    assert missing.status_code == 404
    assert_personal(missing)
    redirect = visitor.get("/account")
    assert redirect.status_code == 302
    assert_personal(redirect)


def test_a_response_that_sets_a_cookie_is_not_shared(app, client):
    @app.get("/test-sets-a-cookie")
    def sets_a_cookie():
        response = app.make_response("a page with a cookie of its own " * 40)
        response.set_cookie("choice", "welsh")
        return response

    response = client.get("/test-sets-a-cookie")
    assert response.status_code == 200
    assert_personal(response)


def test_a_view_can_keep_a_visitors_answer_private(app, client):
    from board.http_cache import never_shared

    @app.get("/test-private")
    def private_page():
        never_shared()
        return "nobody else's " * 100

    assert_personal(client.get("/test-private"))


def test_the_health_check_is_never_answered_by_a_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert_personal(response)
    assert response.cache_control.no_cache


def test_the_shared_lifetime_is_a_setting(app, client, places):
    app.config["SHARED_CACHE_MAX_AGE"] = 300
    assert client.get("/").cache_control.s_maxage == 300


def test_a_member_sends_the_csrf_header_and_a_visitor_gets_none_on_a_first_page(
    client, places, sign_in
):
    assert "X-CSRFToken" not in client.get("/").text
    sign_in(places["member"])
    assert 'hx-headers=\'{"X-CSRFToken": "' in client.get("/").text


def test_a_members_page_during_a_database_outage_is_a_private_503(
    client, places, sign_in, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from board.auth import sessions

    sign_in(places["member"])

    def unreachable(user_id):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    # The policy must not ask the database who is signed in: it may be the reason for the 503.
    monkeypatch.setattr(sessions, "user_for_request", unreachable)
    response = client.get("/")
    assert response.status_code == 503
    assert response.cache_control.private and response.cache_control.no_store
