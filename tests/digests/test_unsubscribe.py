"""/unsubscribe/<token>: GET asks, POST unsubscribes, without signing in or a CSRF token."""

from __future__ import annotations

import pytest

from board.digests import services
from board.extensions import db
from board.models import FollowKind, User
from board.models.user import DigestFrequency
from tests.digests.helpers import NOW, at, follow, make_member
from tests.factories import make_council, make_study


@pytest.fixture
def member(app):
    with app.app_context():
        member = make_member(make_council(), DigestFrequency.DAILY, email="dai@example.org")
        db.session.commit()
        return member.id, services.unsubscribe_token(member)


def frequency(app, member_id):
    with app.app_context():
        return db.session.get(User, member_id).digest_frequency


def test_get_shows_one_button_and_changes_nothing(app, client, member):
    member_id, token = member
    response = client.get(f"/unsubscribe/{token}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Unsubscribe from digests" in html
    assert f'action="/unsubscribe/{token}" method="post"' in html
    assert "noindex" in html
    assert frequency(app, member_id) is DigestFrequency.DAILY


def test_post_from_the_page_unsubscribes(app, client, member):
    member_id, token = member
    client.get(f"/unsubscribe/{token}")
    response = client.post(f"/unsubscribe/{token}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "You are unsubscribed" in html and "/account/following" in html
    assert frequency(app, member_id) is DigestFrequency.NONE


def test_one_click_post_without_cookies_or_csrf_token_works(app, member):
    member_id, token = member
    client = app.test_client(use_cookies=False)
    response = client.post(
        f"/unsubscribe/{token}",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert frequency(app, member_id) is DigestFrequency.NONE
    # Again: still fine, still unsubscribed.
    assert client.post(f"/unsubscribe/{token}").status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_is_refused_and_changes_nothing(app, client, member, method):
    member_id, token = member
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "not-a-token"):
        response = getattr(client, method)(f"/unsubscribe/{bad}")
        assert response.status_code == 404
        assert "This unsubscribe link does not work" in response.get_data(as_text=True)
    assert frequency(app, member_id) is DigestFrequency.DAILY


def test_a_token_for_another_purpose_is_refused(app, client, member):
    member_id, _ = member
    from itsdangerous import URLSafeSerializer

    forged = URLSafeSerializer(app.config["SECRET_KEY"], salt="another-salt").dumps(
        {"user": member_id, "address": "x"}
    )
    assert client.post(f"/unsubscribe/{forged}").status_code == 404
    assert frequency(app, member_id) is DigestFrequency.DAILY


def test_a_link_dies_when_the_address_changes(app, client, member):
    member_id, token = member
    with app.app_context():
        db.session.get(User, member_id).email = "new@example.org"
        db.session.commit()
    assert client.post(f"/unsubscribe/{token}").status_code == 404
    assert frequency(app, member_id) is DigestFrequency.DAILY


def test_the_link_in_a_digest_unsubscribes(app, outbox):
    with app.app_context():
        council = make_council()
        member = make_member(council, email="wendy@example.org")
        follow(member, FollowKind.COUNCIL, council_id=council.id)
        make_study(council, title="News", published_at=at("2026-11-25T09:00"))
        db.session.commit()
        member_id = member.id
        services.send_digests(NOW)
    [message] = [message for message in outbox if message["To"] == "wendy@example.org"]
    path = "/unsubscribe/" + message["List-Unsubscribe"].strip("<>").rsplit("/unsubscribe/")[1]
    client = app.test_client(use_cookies=False)
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert frequency(app, member_id) is DigestFrequency.NONE


def test_links_that_do_not_work_are_rate_limited_and_good_ones_are_not(app, member):
    _, token = member
    app.config["UNSUBSCRIBE_RATE_LIMIT"] = "3 per minute"
    client = app.test_client(use_cookies=False)
    # A mail provider posts many members' one-clicks from one address: never refused.
    assert [client.post(f"/unsubscribe/{token}").status_code for _ in range(5)] == [200] * 5
    answers = [client.post("/unsubscribe/guess").status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]
    assert client.get("/unsubscribe/guess").status_code == 429


def test_a_good_link_works_after_bad_ones_used_up_the_limit(app, member):
    # Stale links (an address changed since) come from a mail provider's few addresses too:
    # once they use up the limit, the members whose links do work must still get through.
    member_id, token = member
    app.config["UNSUBSCRIBE_RATE_LIMIT"] = "3 per minute"
    client = app.test_client(use_cookies=False)
    answers = [client.post("/unsubscribe/stale").status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]
    assert client.post(f"/unsubscribe/{token}").status_code == 200
    assert frequency(app, member_id) is DigestFrequency.NONE


def test_a_link_does_not_let_its_holder_confirm_a_guessed_address(app, member):
    """The token is signed, not encrypted: what it carries of the address must need the secret,
    or anyone with a forwarded link could test guesses of the member's address against it."""
    import base64
    import hashlib
    import json

    member_id, token = member
    with app.app_context():
        user = db.session.get(User, member_id)
        payload = token.split(".")[0]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        assert data["user"] == user.id
        assert data["address"] != hashlib.sha256(user.email.encode()).hexdigest()[:16]
        assert services.user_for_unsubscribe(token) == user
