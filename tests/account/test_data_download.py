"""Download my data: one JSON file of everything held about the person, and nobody else."""

import json

from board import audit
from board.audit import LogAction
from board.case_studies import services as studies
from board.comments import services as discussion
from board.extensions import db
from board.models import CouncilRequest, CouncilRequestStatus, ReportReason, Role, User
from tests.factories import make_council, make_study, make_user


def _world(app):
    """A member with something in every section, and a colleague with things of their own."""
    with app.test_request_context():
        council = make_council("Ceredigion County Council", domain="ceredigion.gov.uk")
        person = make_user(
            council,
            email="nia@ceredigion.gov.uk",
            name="Nia Evans",
            job_title="Head of Digital",
            email_on_comments=True,
        )
        colleague = make_user(council, email="colleague@ceredigion.gov.uk", name="Cai Colleague")
        moderator = make_user(None, role=Role.MODERATOR, name="Mo Derator")
        written = make_study(council, person, title="Chatbot for council tax")
        others = make_study(council, colleague, title="Open data portal")
        studies.working_copy(written, person).summary = "An edit Nia made."
        comment = discussion.post_comment(others, person, "We did this **too**.", None)
        discussion.post_comment(written, colleague, "How long did it take?", None)
        discussion.toggle_useful(others, person)
        discussion.toggle_tried_too(others, person, written.id)
        discussion.file_report(person, others, ReportReason.OTHER, "Figures are out of date.")
        discussion.post_comment(others, colleague, "Thank you, Nia.", comment)
        # On the colleague's own study, not a reply to Nia: nothing of hers.
        discussion.post_comment(others, colleague, "Colleague's own words", None)
        audit.record(moderator, LogAction.MEMBER_VERIFIED, person.id, "Checked with the council")
        db.session.add(
            CouncilRequest(
                requester_id=person.id,
                council_name="Ceredigion County Council",
                website="https://www.ceredigion.gov.uk",
                requester_role="Head of Digital",
                email_domain="ceredigion.gov.uk",
                status=CouncilRequestStatus.APPROVED,
                council_id=council.id,
            )
        )
        db.session.commit()
        return person.id


def _download(app, client, sign_in, csrf_token, user_id):
    with app.app_context():
        person = db.session.get(User, user_id)
    sign_in(person)
    return client.post("/account/data", data={"csrf_token": csrf_token("/account/data")})


def test_the_page_explains_and_offers_the_download(app, client, sign_in):
    with app.app_context():
        person = make_user(make_council())
        db.session.commit()
    sign_in(person)
    html = client.get("/account/data").text
    assert "Download my data" in html
    assert 'action="/account/data" method="post"' in html


def test_the_file_is_an_attachment_never_stored_by_a_cache(app, client, sign_in, csrf_token):
    response = _download(app, client, sign_in, csrf_token, _world(app))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="case-board-my-data-'
    )
    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]


def test_the_file_holds_everything_about_the_person(app, client, sign_in, csrf_token):
    user_id = _world(app)
    data = json.loads(_download(app, client, sign_in, csrf_token, user_id).text)

    account = data["account"]
    assert account["id"] == user_id
    assert account["name"] == "Nia Evans"
    assert account["email"] == "nia@ceredigion.gov.uk"
    assert account["job_title"] == "Head of Digital"
    assert account["show_job_title"] is True
    assert account["council"]["name"] == "Ceredigion County Council"
    assert data["preferences"] == {
        "email_on_comments": True,
        "digest_frequency": "weekly",
        "language": None,
    }

    assert [study["title"] for study in data["studies_written"]] == ["Chatbot for council tax"]
    assert data["studies_written"][0]["council"] == "Ceredigion County Council"
    assert [edit["summary"] for edit in data["study_edits"]] == ["An edit Nia made."]
    assert [comment["body"] for comment in data["comments"]] == ["We did this **too**."]
    assert data["comments"][0]["study_title"] == "Open data portal"
    assert [mark["study_title"] for mark in data["useful_marks"]] == ["Open data portal"]
    (tried,) = data["tried_this_too"]
    assert tried["study_title"] == "Open data portal"
    assert tried["council"] == "Ceredigion County Council"
    (asked,) = data["council_requests"]
    assert asked["council_name"] == "Ceredigion County Council"
    assert asked["requester_role"] == "Head of Digital"
    assert asked["status"] == "approved"
    (report,) = data["reports_made"]
    assert report["details"] == "Figures are out of date."
    assert report["reason"] == "other"
    # The colleague commented on Nia's study and replied to her comment.
    subjects = [note["subject"] for note in data["notifications"]]
    assert len(subjects) == 2
    assert all("Cai Colleague" in subject for subject in subjects)
    bodies = {note["body"] for note in data["notifications"]}
    assert bodies == {"How long did it take?", "Thank you, Nia."}
    # This browser, described.
    assert len(data["signed_in_devices"]) == 1
    assert "user_agent" in data["signed_in_devices"][0]
    actions = {(entry["action"], entry["by_you"]) for entry in data["moderation_log"]}
    assert ("member.verified", False) in actions
    assert ("report.filed", True) in actions
    assert any(
        message["subject"].startswith("Cai Colleague") for message in data["emails_sent_to_you"]
    )


def test_the_file_holds_no_secrets_and_nothing_of_anyone_else(app, client, sign_in, csrf_token):
    user_id = _world(app)
    text = _download(app, client, sign_in, csrf_token, user_id).text
    with app.app_context():
        person = db.session.get(User, user_id)
        password_hash = person.password_hash
    assert "password" not in json.loads(text)["account"]
    assert password_hash not in text
    assert "token" not in text
    assert "Colleague's own words" not in text
    assert "colleague@ceredigion.gov.uk" not in text
    assert "Open data portal" in text  # the study she commented on: hers to see


def test_a_visitor_gets_no_file(client, csrf_token):
    response = client.post("/account/data", data={"csrf_token": csrf_token()})
    assert response.status_code == 302
    assert "/auth/login" in response.location
