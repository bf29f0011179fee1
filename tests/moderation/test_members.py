import pytest

from board.extensions import db
from board.models import ModerationLog, User
from tests.conftest import csrf_token_from
from tests.factories import ROLES, make_user

STATUS = {"visitor": 302, "moderator": 200, "admin": 200}


@pytest.fixture
def waiting(app):
    with app.app_context():
        person = make_user(None, verified=True, name="Wendy Waiting", email="wendy@gmail.example")
        db.session.commit()
        return person


@pytest.mark.parametrize("role", ROLES)
def test_members_page_is_for_moderators(client, as_role, role):
    as_role(role)
    assert client.get("/moderation/members").status_code == STATUS.get(role, 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_moderators_verify(app, client, as_role, world, waiting, role):
    as_role(role)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post(
        f"/moderation/members/{waiting.id}/verify",
        data={"council_id": world.here.id, "csrf_token": token},
    )
    with app.app_context():
        person = db.session.get(User, waiting.id)
        verified = person.is_verified
    if role in ("moderator", "admin"):
        assert response.status_code == 302
        assert verified and person.council_id == world.here.id
    else:
        assert response.status_code == (302 if role == "visitor" else 403)
        assert not verified


def test_verification_is_logged_and_the_member_told(app, client, as_role, world, waiting, outbox):
    as_role("moderator")
    page = client.get("/moderation/members").get_data(as_text=True)
    assert "Wendy Waiting" in page
    client.post(
        f"/moderation/members/{waiting.id}/verify",
        data={"council_id": world.here.id, "csrf_token": csrf_token_from(page)},
    )
    with app.app_context():
        log = db.session.scalar(db.select(ModerationLog))
        assert (log.action, log.target_type, log.target_id) == (
            "member.verified",
            "user",
            waiting.id,
        )
        assert log.actor_id == world.people.moderator.id
    assert "now a member of Hereshire Council" in outbox[-1]["Subject"]
    after = client.get("/moderation/members").get_data(as_text=True)
    assert "is now a verified member of Hereshire Council" in after
    assert "Verify Wendy Waiting" not in after


def test_verifying_without_a_council_is_refused(app, client, as_role, waiting):
    as_role("moderator")
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    client.post(
        f"/moderation/members/{waiting.id}/verify", data={"council_id": "0", "csrf_token": token}
    )
    with app.app_context():
        assert not db.session.get(User, waiting.id).is_verified
    assert "before verifying them" in client.get("/moderation/members").get_data(as_text=True)


def test_the_log_names_a_verified_member(app, client, as_role, world, waiting):
    as_role("moderator")
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    client.post(
        f"/moderation/members/{waiting.id}/verify",
        data={"council_id": world.here.id, "csrf_token": token},
    )
    log = client.get("/moderation/log").get_data(as_text=True)
    assert "Member verified" in log and "Wendy Waiting" in log
    assert f"user {waiting.id}" not in log
    assert 'class="app-table-container"' in log


def test_a_retired_council_is_not_offered_to_verify_someone_into(app, client, as_role, world):
    from board.models.base import utcnow

    with app.app_context():
        make_user(None, verified=True, name="Wendy Waiting", email="wendy@gmail.example")
        db.session.get(type(world.there), world.there.id).retired_at = utcnow()
        db.session.commit()
    as_role("moderator")
    html = client.get("/moderation/members").get_data(as_text=True)
    assert "Hereshire Council" in html
    assert "Thereshire Council" not in html
