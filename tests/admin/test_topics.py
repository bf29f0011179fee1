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
    """Send the edit form with ``data``; the English name is the topic's own unless given."""
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    fields = {"name_en": "Cyber security", "name_cy": "", "description_cy": ""}
    return client.post(path, data={"csrf_token": token, **fields, **data})


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
            "description_en": "Keeping residents' data <safe> & services running.",
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
    _save(client, {"description_en": "New words.", "resource_pack_url": ""})
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
        {
            "name_cy": topic.name_cy or "",
            "description_en": topic.description_en,
            "description_cy": topic.description_cy or "",
            "resource_pack_url": topic.resource_pack_url or "",
        },
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
    response = _save(
        client, {"description_en": "Typed by the admin.", "resource_pack_url": address}
    )
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
    empty = _save(client, {"description_en": "   ", "resource_pack_url": ""})
    assert empty.status_code == 422
    assert "Enter a description" in empty.get_data(as_text=True)
    long = _save(client, {"description_en": "x" * 1001, "resource_pack_url": ""})
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
    response = client.post(
        EDIT, data={"csrf_token": token, "name_en": "Taken", "description_en": "Taken over"}
    )
    assert response.status_code in (302, 403)
    assert _topic(app).description == before.description


def test_names_and_descriptions_in_both_languages_show_in_each_language(app, client, as_role):
    as_role("admin")
    response = _save(
        client,
        {
            "name_en": "Cyber resilience",
            "name_cy": "Cadernid seiber",
            "description_en": "Keeping services running.",
            "description_cy": "Cadw gwasanaethau i redeg.",
        },
    )
    assert response.status_code == 302
    topic = _topic(app)
    assert (topic.name_en, topic.name_cy) == ("Cyber resilience", "Cadernid seiber")
    assert topic.slug == "cyber-security"
    english = client.get("/topics/cyber-security").get_data(as_text=True)
    assert "Cyber resilience" in english and "Keeping services running." in english
    assert "Cadernid seiber" not in english
    client.set_cookie("board_language", "cy")
    welsh = client.get("/topics/cyber-security").get_data(as_text=True)
    assert "Cadernid seiber" in welsh and "Cadw gwasanaethau i redeg." in welsh
    assert "Cyber resilience" not in welsh


def test_the_welsh_may_be_left_empty_and_then_the_english_is_shown(app, client, as_role):
    as_role("admin")
    _save(client, {"name_cy": "Cadernid seiber", "description_en": "English words."})
    _save(client, {"name_cy": "", "description_en": "English words."})
    topic = _topic(app)
    assert topic.name_cy is None and topic.description_cy is None
    client.set_cookie("board_language", "cy")
    welsh = client.get("/topics/cyber-security").get_data(as_text=True)
    assert "Cyber security" in welsh and "English words." in welsh


def test_the_edit_form_shows_each_language_as_stored(app, client, as_role):
    as_role("admin")
    _save(client, {"name_cy": "Cadernid seiber", "description_en": "English words."})
    client.set_cookie("board_language", "cy")
    page = client.get(EDIT).get_data(as_text=True)
    assert 'value="Cyber security"' in page and 'value="Cadernid seiber"' in page
    assert "English words." in page


@pytest.mark.parametrize("field", ["name_en", "name_cy"])
def test_a_name_too_long_is_refused_and_what_was_typed_kept(app, client, as_role, field):
    as_role("admin")
    response = _save(client, {field: "n" * 121, "description_en": "Typed by the admin."})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'href="#{field}"' in page and "120 characters or fewer" in page
    assert "Typed by the admin." in page and "n" * 121 in page
    assert _topic(app).name_en == "Cyber security"


def test_an_english_name_is_needed_and_a_welsh_description_not_too_long(client, as_role):
    as_role("admin")
    empty = _save(client, {"name_en": " ", "description_en": "Words."})
    assert empty.status_code == 422
    assert "Enter the name in English" in empty.get_data(as_text=True)
    long = _save(client, {"description_en": "Words.", "description_cy": "x" * 1001})
    assert long.status_code == 422
    assert 'href="#description_cy"' in long.get_data(as_text=True)
