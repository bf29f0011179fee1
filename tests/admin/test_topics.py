"""Administration of the seven topics: their descriptions and resource-pack links."""

from __future__ import annotations

import pytest

from board.extensions import db
from board.models import ModerationLog, Topic
from tests.conftest import csrf_token_from
from tests.factories import ROLES

EDIT = "/admin/topics/cyber-security/edit"


def _topic(app, slug: str = "cyber-security") -> Topic:
    with app.app_context():
        topic = db.session.scalar(db.select(Topic).where(Topic.slug == slug))
        db.session.expunge(topic)
        return topic


def _save(client, data: dict, path: str = EDIT):
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def test_the_seven_topics_are_listed_in_order(app, client, as_role):
    as_role("admin")
    page = client.get("/admin/topics").get_data(as_text=True)
    with app.app_context():
        topics = db.session.scalars(db.select(Topic).order_by(Topic.position)).all()
    assert len(topics) == 7
    positions = [page.index(f'href="/admin/topics/{topic.slug}/edit"') for topic in topics]
    assert positions == sorted(positions)


def test_an_edited_description_shows_on_the_topic_page_at_once(app, client, as_role):
    as_role("admin")
    # The topic page is read first, so that its listing is in the results cache.
    before = client.get("/topics/cyber-security")
    assert before.headers["Server-Timing"]
    assert client.get("/topics/cyber-security").headers["Server-Timing"].endswith('"hit"')
    response = _save(
        client,
        {
            "description": "Keeping residents' data <safe> & services running.",
            "resource_pack_url": "https://example.gov.uk/cyber-pack",
        },
    )
    assert response.status_code == 302
    assert "your changes are saved" in client.get(response.location).get_data(as_text=True)
    page = client.get("/topics/cyber-security").get_data(as_text=True)
    # Shown as plain text, escaped, as before.
    assert "Keeping residents&#39; data &lt;safe&gt; &amp; services running." in page
    assert 'href="https://example.gov.uk/cyber-pack"' in page
    topic = _topic(app)
    assert topic.name == "Cyber security" and topic.slug == "cyber-security"


def test_the_edit_is_logged_with_old_and_new_values(app, client, as_role):
    admin = as_role("admin")
    old = _topic(app)
    _save(client, {"description": "New words.", "resource_pack_url": ""})
    with app.app_context():
        entry = db.session.scalar(db.select(ModerationLog))
    assert (entry.action, entry.target_type, entry.target_id, entry.actor_id) == (
        "topic.edited",
        "topic",
        old.id,
        admin.id,
    )
    assert f"Description: “{old.description}” → “New words.”" in entry.reason
    assert f"Resource pack: {old.resource_pack_url} → none" in entry.reason
    assert _topic(app).resource_pack_url is None


def test_saving_without_a_change_logs_nothing(app, client, as_role):
    as_role("admin")
    topic = _topic(app)
    response = _save(
        client,
        {"description": topic.description, "resource_pack_url": topic.resource_pack_url or ""},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ModerationLog)) == 0


@pytest.mark.parametrize(
    "address",
    [
        "http://example.gov.uk/pack",
        "javascript:alert(1)",
        "example.gov.uk/pack",
        "https://",
        "https://example.gov.uk/" + "a" * 500,
    ],
)
def test_a_bad_address_is_refused_and_what_was_typed_kept(app, client, as_role, address):
    as_role("admin")
    before = _topic(app)
    response = _save(client, {"description": "Typed by the admin.", "resource_pack_url": address})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "govuk-error-summary" in page and 'href="#resource_pack_url"' in page
    assert "Typed by the admin." in page
    assert f'value="{address}"' in page.replace("&amp;", "&")
    after = _topic(app)
    assert (after.description, after.resource_pack_url) == (
        before.description,
        before.resource_pack_url,
    )


def test_a_description_is_needed_and_not_too_long(client, as_role):
    as_role("admin")
    empty = _save(client, {"description": "   ", "resource_pack_url": ""})
    assert empty.status_code == 422
    assert "Enter a description" in empty.get_data(as_text=True)
    long = _save(client, {"description": "x" * 1001, "resource_pack_url": ""})
    assert long.status_code == 422
    assert "1,000 characters or fewer" in long.get_data(as_text=True)


def test_an_unknown_topic_is_not_found(client, as_role):
    as_role("admin")
    assert client.get("/admin/topics/no-such-topic/edit").status_code == 404


@pytest.mark.parametrize("role", [role for role in ROLES if role != "admin"])
def test_only_admins_edit_topics(app, client, as_role, role):
    as_role(role)
    before = _topic(app)
    assert client.get(EDIT).status_code in (302, 403)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post(EDIT, data={"csrf_token": token, "description": "Taken over"})
    assert response.status_code in (302, 403)
    assert _topic(app).description == before.description
