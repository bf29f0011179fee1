"""Administration and moderation in Welsh: what a decision tells its author is in the author's
language (not the moderator's), the moderation log's dates are Babel's, and a form's error
in Welsh keeps what was typed."""

from __future__ import annotations

from datetime import UTC, datetime
from html import unescape

import pytest

from board.extensions import db
from board.models import CaseStudy, ModerationLog, Notification, Status, User
from tests.conftest import csrf_token_from
from tests.moderation.test_review import post_decision, status_of, submitted

WELSH_COOKIE = "board_language"


def _speaks(app, user_id: int, language: str | None) -> None:
    with app.app_context():
        db.session.get(User, user_id).language = language
        db.session.commit()


def _told(app, user_id: int) -> Notification:
    with app.app_context():
        return db.session.scalars(
            db.select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.id.desc())
        ).first()


def _email_to(outbox, address: str):
    sent = [message for message in outbox if message["To"] == address]
    assert sent, f"nothing was emailed to {address}"
    return sent[-1]


@pytest.mark.parametrize(
    ("decision", "note", "welsh", "english"),
    [
        ("approve", "", "wedi'i chyhoeddi", "is published"),
        ("request-changes", "Add the costs.", "Gofynnwyd am newidiadau", "Changes requested"),
        ("reject", "Not a council experiment.", "Ni dderbyniwyd", "was not accepted"),
    ],
)
def test_a_decision_tells_a_welsh_speaking_author_in_welsh(
    app, client, as_role, world, outbox, decision, note, welsh, english
):
    author = world.people.author
    _speaks(app, author.id, "cy")
    study_id = submitted(app, world, title="Ciosgau llyfrgell")
    as_role("moderator")  # the moderator's own page is in English
    data = {"decision": decision}
    if decision == "request-changes":
        data["changes_note"] = note
    elif decision == "reject":
        data["reject_note"] = note
    response = post_decision(client, study_id, **data)
    assert response.status_code == 302
    # The moderator is told in English, their own page's language.
    assert "You " in client.get(response.location).text
    told = _told(app, author.id)
    assert welsh in told.subject and "Ciosgau llyfrgell" in told.subject
    assert english not in told.subject
    email = _email_to(outbox, author.email)
    assert welsh in email["Subject"]
    if note:
        assert note in told.body


def test_a_decision_tells_an_english_author_in_english_whatever_the_moderator_reads(
    app, client, as_role, world, outbox
):
    author, moderator = world.people.author, world.people.moderator
    _speaks(app, author.id, "en")
    _speaks(app, moderator.id, "cy")  # the moderator works in Welsh
    study_id = submitted(app, world, title="Library kiosks")
    as_role("moderator")
    response = post_decision(client, study_id, decision="reject", reject_note="Too short.")
    assert response.status_code == 302
    assert status_of(app, study_id) is Status.REJECTED
    # The moderator's own message is in Welsh...
    assert "Rydych chi wedi gwrthod" in client.get(response.location).text
    # ...and the author's in English.
    told = _told(app, author.id)
    assert told.subject == "“Library kiosks” was not accepted"
    assert _email_to(outbox, author.email)["Subject"] == told.subject


def test_unpublishing_tells_the_author_in_their_language(app, client, as_role, world, outbox):
    author = world.people.author
    _speaks(app, author.id, "cy")
    study_id = submitted(app, world, title="Ciosgau")
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        study.status = Status.PUBLISHED
        study.published_at = study.submitted_at
        db.session.commit()
    as_role("moderator")
    page = client.get("/moderation").text
    response = client.post(
        f"/moderation/studies/{study_id}/unpublish",
        data={"csrf_token": csrf_token_from(page), "note": "Names a resident."},
    )
    assert response.status_code == 302
    told = _told(app, author.id)
    assert told.subject == "Mae “Ciosgau” wedi'i thynnu oddi ar y bwrdd"
    assert told.body == "Names a resident."


def test_a_suspension_email_is_in_the_persons_language(app, client, as_role, world, outbox):
    author = world.people.author
    _speaks(app, author.id, "cy")
    as_role("admin")
    page = client.get(f"/admin/people/{author.id}").text
    response = client.post(
        f"/admin/people/{author.id}/suspend",
        data={"csrf_token": csrf_token_from(page), "reason": "Hysbysebu."},
    )
    assert response.status_code == 302
    email = _email_to(outbox, author.email)
    assert email["Subject"] == "Mae eich cyfrif Case Board wedi'i atal"
    body = " ".join(email.get_content().split())
    assert "wedi atal eich cyfrif" in body and "Hysbysebu." in body
    assert "has suspended your account" not in body
    # The admin, reading in English, is told in English.
    assert "account is suspended" in client.get(response.location).text


def test_a_role_change_email_names_the_roles_in_the_persons_language(
    app, client, as_role, world, outbox
):
    author = world.people.author
    _speaks(app, author.id, "cy")
    as_role("admin")
    page = client.get(f"/admin/people/{author.id}").text
    client.post(
        f"/admin/people/{author.id}/role",
        data={"csrf_token": csrf_token_from(page), "role": "moderator"},
    )
    email = _email_to(outbox, author.email)
    assert email["Subject"] == "Eich rôl ar Case Board bellach yw cymedrolwr"
    body = " ".join(email.get_content().split())
    assert "o aelod i cymedrolwr" in body and "Fel cymedrolwr" in body


def test_the_moderation_log_dates_are_in_welsh(app, client, as_role, world):
    with app.app_context():
        db.session.add(
            ModerationLog(
                actor_id=world.people.moderator.id,
                action="member.verified",
                target_type="user",
                target_id=world.people.author.id,
                reason="",
                created_at=datetime(2026, 3, 5, 14, 30, tzinfo=UTC),
            )
        )
        db.session.commit()
    as_role("moderator")
    english = client.get("/moderation/log").text
    assert "5 Mar 2026 14:30" in english and "Member verified" in english
    client.set_cookie(WELSH_COOKIE, "cy")
    welsh = unescape(client.get("/moderation/log").text)
    assert "5 Maw 2026 14:30" in welsh
    assert "Mar 2026" not in welsh
    assert "Aelod wedi'i ddilysu" in welsh and "Member verified" not in welsh


def test_a_report_reason_stored_in_english_is_shown_in_welsh(app, client, as_role, world):
    with app.app_context():
        db.session.add(
            ModerationLog(
                actor_id=world.people.author.id,
                action="report.filed",
                target_type="report",
                target_id=1,
                reason="Spam or advertising",
            )
        )
        db.session.commit()
    as_role("moderator")
    client.set_cookie(WELSH_COOKIE, "cy")
    welsh = client.get("/moderation/log").text
    assert "Sbam neu hysbysebu" in welsh and "Spam or advertising" not in welsh


def test_an_admin_form_error_in_welsh_keeps_what_was_typed(app, client, as_role):
    as_role("admin")
    client.set_cookie(WELSH_COOKIE, "cy")
    path = "/admin/councils/new"
    page = client.get(path).text
    assert "Ychwanegu cyngor" in page
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token_from(page),
            "name": "Cyngor Sir Ynys Môn",
            "nation": "wales",
            "council_type": "",
            "website": "http://ynysmon.example",
        },
    )
    html = response.text
    assert response.status_code == 422
    assert "govuk-error-summary" in html
    assert "Dewiswch y math o gyngor" in html
    assert "Rhowch y wefan fel cyfeiriad llawn" in html
    assert 'value="Cyngor Sir Ynys Môn"' in html and 'value="http://ynysmon.example"' in html
    assert "Choose the type of council" not in html


def test_a_topic_form_error_in_welsh_keeps_both_languages(app, client, as_role):
    as_role("admin")
    client.set_cookie(WELSH_COOKIE, "cy")
    path = "/admin/topics/cyber-security/edit"
    page = client.get(path).text
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token_from(page),
            "name_en": "",
            "name_cy": "Seiberddiogelwch",
            "description_en": "Keeping services safe.",
            "description_cy": "Cadw gwasanaethau'n ddiogel.",
            "resource_pack_url": "",
        },
    )
    html = response.text
    assert response.status_code == 422
    assert "Rhowch yr enw yn Saesneg" in html
    assert 'value="Seiberddiogelwch"' in html
    assert "Keeping services safe." in html and "Cadw gwasanaethau&#39;n ddiogel." in html
