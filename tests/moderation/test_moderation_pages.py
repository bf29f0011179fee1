import pytest

from board.extensions import db
from board.models import Status
from tests.conftest import csrf_token_from
from tests.factories import ROLES, make_study

PAGE_STATUS = {
    "visitor": 302,
    "unverified": 403,
    "author": 403,
    "colleague": 403,
    "outsider": 403,
    "moderator": 200,
    "admin": 200,
}


@pytest.mark.parametrize("path", ["/moderation", "/moderation/log"])
@pytest.mark.parametrize("role", ROLES)
def test_moderation_pages_are_for_moderators(client, as_role, role, path):
    as_role(role)
    assert client.get(path).status_code == PAGE_STATUS[role]


def submitted(app, world, title, minutes_ago):
    from datetime import timedelta

    from board.models.base import utcnow

    with app.app_context():
        study = make_study(world.here, world.people.author, status=Status.SUBMITTED, title=title)
        study.submitted_at = utcnow() - timedelta(minutes=minutes_ago)
        db.session.commit()
        return study.id


def test_queue_lists_oldest_first(app, client, as_role, world):
    submitted(app, world, "Newer study", 5)
    submitted(app, world, "Older study", 50)
    as_role("moderator")
    html = client.get("/moderation").get_data(as_text=True)
    assert html.index("Older study") < html.index("Newer study")


def test_a_decision_returns_to_the_queue_with_a_banner_naming_the_study(
    app, client, as_role, world
):
    study_id = submitted(app, world, "Queue row study", 5)
    as_role("moderator")
    token = csrf_token_from(client.get(f"/moderation/studies/{study_id}").get_data(as_text=True))
    response = client.post(
        f"/moderation/studies/{study_id}/decision",
        data={"decision": "approve", "csrf_token": token},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.request.path == "/moderation"
    assert "govuk-notification-banner--success" in html
    # role="alert": govuk-frontend moves focus to the banner when the page loads.
    banner = html[html.index("govuk-notification-banner--success") :]
    assert banner[: banner.index(">")].count('role="alert"') == 1
    assert "You approved “Queue row study”. It is now published on the board." in html
    assert "Nothing is waiting for review." in html


def test_log_lists_decisions_with_who_and_why(app, client, as_role, world):
    study_id = submitted(app, world, "Logged study", 5)
    as_role("moderator")
    token = csrf_token_from(client.get("/moderation").get_data(as_text=True))
    client.post(
        f"/moderation/studies/{study_id}/reject", data={"note": "Duplicate.", "csrf_token": token}
    )
    html = client.get("/moderation/log").get_data(as_text=True)
    assert "Mo Derator" in html and "Rejected" in html and "Duplicate." in html
    assert "Logged study" in html


def test_decisions_need_csrf(app, client, as_role, world):
    study_id = submitted(app, world, "Unprotected?", 5)
    as_role("moderator")
    assert client.post(f"/moderation/studies/{study_id}/approve").status_code == 400
    with app.app_context():
        from board.models import CaseStudy

        assert db.session.get(CaseStudy, study_id).status is Status.SUBMITTED


def test_notifications_can_be_marked_read(app, client, as_role, world):
    study_id = submitted(app, world, "Notify me", 5)
    as_role("moderator")
    token = csrf_token_from(client.get("/moderation").get_data(as_text=True))
    client.post(f"/moderation/studies/{study_id}/approve", data={"csrf_token": token})
    client.post("/auth/logout", data={"csrf_token": token})
    as_role("author")
    assert 'class="app-count">(1<' in client.get("/").get_data(as_text=True)
    page = client.get("/notifications").get_data(as_text=True)
    assert "“Notify me” is published" in page
    token = csrf_token_from(page)
    client.post("/notifications/read", data={"csrf_token": token})
    assert 'class="app-count">' not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_the_log_names_councils_topics_requests_and_people(app, client, as_role, world, role):
    """Administration is logged against councils, topics, council requests and people: the log
    names each, links councils and topics for everyone who reads it, and links the pages only
    admins may open (a person's, a request's) for admins only."""
    from board import audit
    from board.audit import LogAction
    from board.models import CouncilRequest, Topic

    with app.app_context():
        topic = db.session.scalar(db.select(Topic).where(Topic.slug == "cyber-security"))
        request = CouncilRequest(
            requester_id=world.people.unverified.id,
            council_name="Anyshire Council",
            website="https://www.anyshire.gov.uk",
            requester_role="Digital officer",
            email_domain="anyshire.gov.uk",
        )
        db.session.add(request)
        db.session.flush()
        admin = world.people.admin
        audit.record(admin, LogAction.COUNCIL_RETIRED, world.here.id, "Merged")
        audit.record(admin, LogAction.TOPIC_EDITED, topic.id, "New description")
        audit.record(admin, LogAction.COUNCIL_REQUEST_DECLINED, request.id, "Not a council")
        audit.record(admin, LogAction.MEMBER_SUSPENDED, world.people.outsider.id, "Spam")
        db.session.commit()
        request_id, outsider_id = request.id, world.people.outsider.id
    as_role(role)
    html = client.get("/moderation/log").get_data(as_text=True)
    assert '<a class="govuk-link" href="/councils/hereshire-council">Hereshire Council</a>' in html
    assert '<a class="govuk-link" href="/topics/cyber-security">Cyber security</a>' in html
    assert "Request for Anyshire Council" in html
    assert "Otto Outsider" in html
    for admin_page in (f"/admin/council-requests/{request_id}", f"/admin/people/{outsider_id}"):
        assert (admin_page in html) is (role == "admin")
