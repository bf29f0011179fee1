"""The review lifecycle: submit, withdraw, and moderators' decisions, for every role."""

import pytest

from board.extensions import db
from board.models import (
    CaseStudy,
    ModerationLog,
    Notification,
    RevisionStatus,
    Status,
    StudyRevision,
    Topic,
)
from tests.conftest import csrf_token_from
from tests.factories import ROLES, make_study


def post(client, path, **data):
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def make(app, world, status, **fields):
    with app.app_context():
        study = make_study(world.here, world.people.author, status=status, **fields)
        if status is Status.SUBMITTED:
            study.submitted_at = study.created_at
        db.session.commit()
        return study.id


def current(app, study_id) -> CaseStudy:
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        study.revisions  # noqa: B018  (load before the context closes)
        return study


def log_actions(app) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.scalars(db.select(ModerationLog).order_by(ModerationLog.id))
        return [(row.action, row.reason) for row in rows]


# Who may take each lifecycle action: (start state, path, allowed roles, state afterwards).
LIFECYCLE = [
    (Status.DRAFT, "submit", {"author", "colleague"}, Status.SUBMITTED),
    (Status.CHANGES_REQUESTED, "submit", {"author", "colleague"}, Status.SUBMITTED),
    (Status.SUBMITTED, "withdraw", {"author", "colleague"}, Status.WITHDRAWN),
    (Status.PUBLISHED, "withdraw", {"author", "colleague"}, Status.WITHDRAWN),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("start", "action", "allowed", "after"), LIFECYCLE)
def test_lifecycle_actions_per_role(
    app, client, as_role, world, role, start, action, allowed, after
):
    study_id = make(app, world, start)
    as_role(role)
    response = post(client, f"/studies/{study_id}/{action}")
    if role in allowed:
        assert response.status_code == 302
        assert current(app, study_id).status is after
        assert (
            log_actions(app)[-1][0] == f"study.{'submitted' if action == 'submit' else 'withdrawn'}"
        )
    else:
        assert response.status_code in (403, 404)
        assert current(app, study_id).status is start
        assert log_actions(app) == []


DECISIONS = [
    ("approve", "", Status.PUBLISHED, "study.approved"),
    ("request-changes", "Please remove the supplier's name.", Status.CHANGES_REQUESTED,
     "study.changes_requested"),
    ("reject", "This is an advert, not an experiment.", Status.REJECTED, "study.rejected"),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("decision", "note", "after", "action"), DECISIONS)
def test_only_moderators_decide(
    app, client, as_role, world, outbox, role, decision, note, after, action
):
    study_id = make(app, world, Status.SUBMITTED, title="Parking sensors")
    as_role(role)
    response = post(client, f"/moderation/studies/{study_id}/{decision}", note=note)
    study = current(app, study_id)
    if role in ("moderator", "admin"):
        assert response.status_code == 302
        assert study.status is after
        assert log_actions(app) == [(action, note)]
        assert study.decision_note == note
        # The author is told in-app and by email.
        with app.app_context():
            notification = db.session.scalar(db.select(Notification))
            assert notification.user_id == world.people.author.id
            assert notification.body == note
        assert outbox[-1]["To"] == "ava@hereshire.gov.uk"
        assert note in outbox[-1].get_content()
    else:
        assert response.status_code == (302 if role == "visitor" else 403)
        assert study.status is Status.SUBMITTED
        assert log_actions(app) == []


@pytest.mark.parametrize("decision", ["request-changes", "reject"])
def test_a_note_is_required(app, client, as_role, world, decision):
    study_id = make(app, world, Status.SUBMITTED)
    as_role("moderator")
    response = post(client, f"/moderation/studies/{study_id}/{decision}", note="   ")
    assert response.status_code == 302
    assert current(app, study_id).status is Status.SUBMITTED
    assert log_actions(app) == []
    assert "Enter a note explaining the decision" in client.get("/moderation").get_data(
        as_text=True
    )


def test_unpublishing_needs_a_reason_and_says_so_on_its_own_page(app, client, as_role, world):
    study_id = make(app, world, Status.PUBLISHED)
    as_role("moderator")
    response = post(client, f"/moderation/studies/{study_id}/unpublish", note="   ")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page
    assert "Enter why you are taking it off the board" in page
    assert current(app, study_id).status is Status.PUBLISHED
    assert log_actions(app) == []


def test_moderators_cannot_approve_their_own_writing(app, client, as_role, world):
    with app.app_context():
        study = make_study(world.there, world.people.moderator, status=Status.SUBMITTED)
        study.submitted_at = study.created_at
        db.session.commit()
    as_role("moderator")
    post(client, f"/moderation/studies/{study.id}/approve")
    assert current(app, study.id).status is Status.SUBMITTED


def test_deciding_on_something_not_in_review_is_refused(app, client, as_role, world):
    study_id = make(app, world, Status.DRAFT)
    as_role("moderator")
    assert post(client, f"/moderation/studies/{study_id}/approve").status_code == 404
    published = make(app, world, Status.PUBLISHED)
    post(client, f"/moderation/studies/{published}/approve")
    assert log_actions(app) == []


def test_changes_requested_then_resubmitted_then_approved(app, client, sign_in, world):
    study_id = make(app, world, Status.SUBMITTED, title="Chatbot pilot")
    sign_in(world.people.moderator)
    post(client, f"/moderation/studies/{study_id}/request-changes", note="Add the costs.")
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})

    sign_in(world.people.author)
    page = client.get(f"/studies/{study_id}/edit").get_data(as_text=True)
    assert "A moderator asked for changes" in page and "Add the costs." in page
    post(client, f"/studies/{study_id}/submit")
    assert current(app, study_id).status is Status.SUBMITTED
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})

    sign_in(world.people.moderator)
    post(client, f"/moderation/studies/{study_id}/approve")
    study = current(app, study_id)
    assert study.status is Status.PUBLISHED and study.published_at is not None
    assert [action for action, _ in log_actions(app)] == [
        "study.changes_requested",
        "study.submitted",
        "study.approved",
    ]


def test_rejection_reason_is_shown_to_the_author(app, client, sign_in, world):
    study_id = make(app, world, Status.SUBMITTED)
    sign_in(world.people.moderator)
    post(client, f"/moderation/studies/{study_id}/reject", note="Not a council experiment.")
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})
    sign_in(world.people.author)
    page = client.get(f"/studies/{study_id}", follow_redirects=True).get_data(as_text=True)
    assert "Not accepted" in page and "Not a council experiment." in page
    notifications = client.get("/notifications").get_data(as_text=True)
    assert "was not accepted" in notifications


def test_submitting_an_incomplete_study_is_refused(app, client, as_role, world):
    study_id = make(app, world, Status.DRAFT, what_we_learned="")
    as_role("author")
    response = post(client, f"/studies/{study_id}/submit")
    assert response.status_code == 302
    assert current(app, study_id).status is Status.DRAFT
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Before you submit, add what you learned." in page


def edit_published(app, client, study_id, **changes):
    from tests.case_studies.test_writing import form_data

    data = form_data(app, client, path=f"/studies/{study_id}/edit", **changes)
    return client.post(f"/studies/{study_id}/edit", data=data)


def test_edits_to_a_published_study_are_reviewed_while_it_stays_live(app, client, sign_in, world):
    study_id = make(app, world, Status.PUBLISHED, title="Original title")
    sign_in(world.people.colleague)
    response = edit_published(app, client, study_id, title="Better title", action="submit")
    assert response.status_code == 302

    study = current(app, study_id)
    assert study.status is Status.PUBLISHED
    assert study.title == "Original title"
    assert study.open_revision.status is RevisionStatus.SUBMITTED
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})
    assert "Original title" in client.get("/").get_data(as_text=True)
    assert "Better title" not in client.get("/").get_data(as_text=True)

    sign_in(world.people.moderator)
    queue = client.get("/moderation").get_data(as_text=True)
    assert "Edit of a published case study" in queue
    review = client.get(f"/moderation/studies/{study_id}").get_data(as_text=True)
    assert (
        '<del><span class="govuk-visually-hidden">removed: </span>Original </del>'
        '<ins><span class="govuk-visually-hidden">added: </span>Better </ins>title'
    ) in review
    post(client, f"/moderation/studies/{study_id}/approve")

    study = current(app, study_id)
    assert study.title == "Better title"
    assert study.status is Status.PUBLISHED
    assert [topic.slug for topic in study_topics(app, study_id)] == [
        "digital-inclusion-and-connectivity"
    ]
    assert [action for action, _ in log_actions(app)] == ["revision.submitted", "revision.approved"]


def study_topics(app, study_id):
    with app.app_context():
        return db.session.get(CaseStudy, study_id).topics


def test_rejected_edit_leaves_the_published_version(app, client, sign_in, world):
    study_id = make(app, world, Status.PUBLISHED, title="Original title")
    sign_in(world.people.author)
    edit_published(app, client, study_id, title="Worse title", action="submit")
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})
    sign_in(world.people.moderator)
    post(client, f"/moderation/studies/{study_id}/reject", note="Keep the original title.")
    study = current(app, study_id)
    assert study.title == "Original title"
    assert study.status is Status.PUBLISHED
    with app.app_context():
        revision = db.session.scalar(db.select(StudyRevision))
        assert revision.status is RevisionStatus.REJECTED
        assert revision.decision_note == "Keep the original title."


def test_withdrawing_an_edit_keeps_the_study_published(app, client, sign_in, world):
    study_id = make(app, world, Status.PUBLISHED, title="Original title")
    sign_in(world.people.author)
    edit_published(app, client, study_id, title="Draft change")
    post(client, f"/studies/{study_id}/withdraw")
    study = current(app, study_id)
    assert study.status is Status.PUBLISHED
    assert study.open_revision is None
    assert log_actions(app) == [("revision.withdrawn", "")]


def test_moderator_unpublishes_with_a_reason(app, client, sign_in, world, outbox):
    study_id = make(app, world, Status.PUBLISHED, title="Names a resident")
    sign_in(world.people.moderator)
    response = post(client, f"/moderation/studies/{study_id}/unpublish", note="Names a resident.")
    assert response.status_code == 302
    assert current(app, study_id).status is Status.CHANGES_REQUESTED
    assert log_actions(app) == [("study.unpublished", "Names a resident.")]
    assert "taken off the board" in outbox[-1]["Subject"]
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})
    assert "Names a resident" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/studies/{study_id}", follow_redirects=True).status_code == 404


def test_hostile_markdown_is_sanitised_on_the_study_page(app, client, world):
    study_id = make(
        app,
        world,
        Status.PUBLISHED,
        what_we_learned="<script>alert(1)</script>\n\n"
        "[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )
    html = client.get(f"/studies/{study_id}", follow_redirects=True).get_data(as_text=True)
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert "<img" not in html


def test_topics_of_a_revision_are_applied_on_approval(app, client, sign_in, world):
    study_id = make(app, world, Status.PUBLISHED)
    with app.app_context():
        cyber = db.session.scalar(db.select(Topic.id).where(Topic.slug == "cyber-security"))
    sign_in(world.people.author)
    edit_published(app, client, study_id, topics=[str(cyber)], action="submit")
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})
    sign_in(world.people.moderator)
    assert "Cyber security" in client.get("/moderation").get_data(as_text=True)
    post(client, f"/moderation/studies/{study_id}/approve")
    assert [topic.slug for topic in study_topics(app, study_id)] == ["cyber-security"]
