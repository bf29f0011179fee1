"""An update's life: written by the study's council, reviewed by a moderator from another
council, corrected and resubmitted, approved, rejected or withdrawn."""

from __future__ import annotations

from datetime import date

from board.audit import LogAction
from board.extensions import db
from board.models import (
    CaseStudy,
    ModerationLog,
    Notification,
    Outcome,
    RevisionStatus,
    StudyUpdate,
)
from tests.updates.helpers import (
    decide,
    get_update,
    new_update,
    post_form,
    published_study,
    switch,
    waiting_update,
)


def only_update(app, study_id) -> StudyUpdate:
    with app.app_context():
        updates = db.session.scalars(
            db.select(StudyUpdate).where(StudyUpdate.study_id == study_id)
        ).all()
        assert len(updates) == 1
        db.session.expunge(updates[0])
        return updates[0]


def log_actions(app, study_id) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(ModerationLog.action)
                .where(ModerationLog.target_id == study_id)
                .order_by(ModerationLog.id)
            )
        )


def test_a_member_submits_an_update_with_an_outcome_change(app, client, as_role, world):
    study_id = published_study(app, world)
    as_role("colleague")
    form = client.get(f"/studies/{study_id}/updates/new").text
    assert "Add an update" in form and "Which month is the update about?" in form
    # The current outcome is not offered as a change; "No change" is.
    assert 'value="ongoing"' not in form and 'value="no-change"' in form
    assert 'value="did-not-work"' in form
    response = new_update(client, study_id, new_outcome="did-not-work", body="We **stopped**.")
    assert response.status_code == 302
    update = only_update(app, study_id)
    assert update.status is RevisionStatus.SUBMITTED
    assert update.happened_on == date(2026, 3, 1)
    assert update.new_outcome is Outcome.DID_NOT_WORK
    assert update.author_id == world.people.colleague.id
    assert "<strong>stopped</strong>" in update.body_html
    assert log_actions(app, study_id)[-1] == LogAction.UPDATE_SUBMITTED
    page = client.get(response.headers["Location"]).text
    assert "Your update is submitted" in page
    assert "Waiting for review" in page and "Withdraw your update" in page
    # Not on the timeline until a moderator approves it.
    assert "What happened next" not in page


def test_the_full_lifecycle_request_changes_edit_resubmit_approve(app, client, as_role, world):
    study_id = published_study(app, world)
    as_role("colleague")
    new_update(client, study_id, new_outcome="did-not-work")
    update_id = only_update(app, study_id).id

    switch(client, as_role, "moderator")
    queue = client.get("/moderation").text
    assert f'id="queue-update-{update_id}"' in queue and "Update of a published case study" in queue
    review = client.get(f"/moderation/updates/{update_id}").text
    assert "We switched it off." in review and "Save decision" in review
    assert "Ongoing" in review and "Did not work" in review
    response = decide(client, update_id, "request-changes", changes_note="Say why it stopped.")
    assert response.status_code == 302
    assert get_update(app, update_id).status is RevisionStatus.CHANGES_REQUESTED

    switch(client, as_role, "colleague")
    page = client.get(f"/studies/{study_id}", follow_redirects=True).text
    assert "Say why it stopped." in page and "Change your update" in page
    form = client.get(f"/studies/{study_id}/updates/{update_id}/edit").text
    assert "Say why it stopped." in form and "We switched it off." in form
    # While one update is open, a second cannot be started.
    blocked = client.get(f"/studies/{study_id}/updates/new").text
    assert "one open update at a time" in blocked
    refused = new_update(client, study_id, body="A colleague's words")
    assert refused.status_code == 409
    assert "A colleague&#39;s words" in refused.text or "A colleague's words" in refused.text
    response = post_form(
        client,
        f"/studies/{study_id}/updates/{update_id}/edit",
        happened_month="4",
        happened_year="2026",
        body="The supplier failed, so we stopped.",
        new_outcome="did-not-work",
    )
    assert response.status_code == 302
    update = get_update(app, update_id)
    assert update.status is RevisionStatus.SUBMITTED
    assert update.body == "The supplier failed, so we stopped."
    assert update.happened_on == date(2026, 4, 1)

    switch(client, as_role, "moderator")
    assert decide(client, update_id, "approve").status_code == 302
    update = get_update(app, update_id)
    assert update.status is RevisionStatus.APPROVED and update.published_at is not None
    assert update.previous_outcome is Outcome.ONGOING
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        assert study.outcome is Outcome.DID_NOT_WORK
        assert study.last_update_at == update.published_at
        told = db.session.scalars(
            db.select(Notification.subject).where(Notification.user_id == world.people.colleague.id)
        ).all()
    assert any("is published" in subject for subject in told)
    assert any("Changes requested" in subject for subject in told)
    assert log_actions(app, study_id)[-4:] == [
        LogAction.UPDATE_SUBMITTED,
        LogAction.UPDATE_CHANGES_REQUESTED,
        LogAction.UPDATE_SUBMITTED,
        LogAction.UPDATE_APPROVED,
    ]
    page = client.get(f"/studies/{study_id}", follow_redirects=True).text
    assert "What happened next" in page
    assert "Outcome changed from Ongoing to Did not work" in page
    assert '<time datetime="2026-04">April 2026</time>' in page


def test_a_rejected_update_tells_its_author_why_and_stays_off_the_timeline(
    app, client, as_role, world, outbox
):
    study_id, update_id = waiting_update(app, world)
    as_role("moderator")
    response = decide(client, update_id, "reject", reject_note="This is about another project.")
    assert response.status_code == 302
    update = get_update(app, update_id)
    assert update.status is RevisionStatus.REJECTED
    assert update.decision_note == "This is about another project."
    assert any("was not accepted" in message["Subject"] for message in outbox)
    with app.app_context():
        assert db.session.get(CaseStudy, study_id).last_update_at is None
    page = client.get(f"/studies/{study_id}", follow_redirects=True).text
    assert "What happened next" not in page


def test_a_note_is_required_to_reject_or_request_changes(app, client, as_role, world):
    _, update_id = waiting_update(app, world)
    as_role("moderator")
    for decision, field in (("reject", "reject_note"), ("request-changes", "changes_note")):
        response = decide(client, update_id, decision, **{field: "  "})
        assert response.status_code == 422
        assert "There is a problem" in response.text
    assert get_update(app, update_id).status is RevisionStatus.SUBMITTED


def test_the_council_withdraws_a_waiting_update(app, client, as_role, world):
    study_id, update_id = waiting_update(app, world)
    as_role("author")  # any member of the council, not only the one who wrote it
    response = post_form(client, f"/studies/{study_id}/updates/{update_id}/withdraw")
    assert response.status_code == 302
    assert get_update(app, update_id).status is RevisionStatus.WITHDRAWN
    assert log_actions(app, study_id)[-1] == LogAction.UPDATE_WITHDRAWN
    # Now a new one may be written, and a withdrawn one cannot be decided.
    assert "Add an update" in client.get(f"/studies/{study_id}", follow_redirects=True).text
    switch(client, as_role, "moderator")
    decide(client, update_id, "approve")
    assert get_update(app, update_id).status is RevisionStatus.WITHDRAWN
    assert "already been withdrawn" in client.get("/moderation").text


def test_an_update_that_is_not_sent_back_cannot_be_edited(app, client, as_role, world):
    study_id, update_id = waiting_update(app, world)
    as_role("colleague")
    response = client.get(f"/studies/{study_id}/updates/{update_id}/edit")
    assert response.status_code == 302
    response = post_form(
        client,
        f"/studies/{study_id}/updates/{update_id}/edit",
        happened_month="3",
        happened_year="2026",
        body="Changed behind the moderator's back",
        new_outcome="no-change",
    )
    # Shown the update waiting for review, with what was typed kept, and nothing changed.
    assert response.status_code == 409
    assert "Changed behind the moderator&#39;s back" in response.text
    assert get_update(app, update_id).body == "We switched the pilot off."


def test_an_update_without_an_outcome_change_leaves_the_outcome(app, client, as_role, world):
    study_id = published_study(app, world)
    as_role("colleague")
    new_update(client, study_id, new_outcome="no-change")
    update_id = only_update(app, study_id).id
    assert get_update(app, update_id).new_outcome is None
    switch(client, as_role, "moderator")
    decide(client, update_id, "approve")
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        assert study.outcome is Outcome.ONGOING and study.last_update_at is not None
    page = client.get(f"/studies/{study_id}", follow_redirects=True).text
    assert "What happened next" in page and "Outcome changed" not in page
    assert "Outcome history" not in page


def test_an_edit_waiting_for_review_does_not_undo_an_approved_outcome_change(app, world):
    """The council edits the study (a revision, which copies every field, the outcome too)
    while an update changing the outcome is approved: approving the edit later keeps the
    update's outcome."""
    from board.case_studies import services as study_services
    from board.updates import services as update_services

    study_id, update_id = waiting_update(app, world, new_outcome=Outcome.DID_NOT_WORK)
    with app.test_request_context():
        study = db.session.get(CaseStudy, study_id)
        with db.session.no_autoflush:
            revision = study_services.working_copy(study, study.author)
            revision.summary = "A clearer summary."
            revision.status = RevisionStatus.SUBMITTED
        db.session.commit()
        moderator = db.session.get(type(world.people.moderator), world.people.moderator.id)
        update_services.approve(db.session.get(StudyUpdate, update_id), moderator)
        db.session.commit()
        study_services.approve(db.session.get(CaseStudy, study_id), moderator)
        db.session.commit()
        study = db.session.get(CaseStudy, study_id)
        assert study.summary == "A clearer summary."
        assert study.outcome is Outcome.DID_NOT_WORK


def test_an_outcome_change_the_study_already_has_is_no_change(app, world):
    """The study's outcome was edited to the update's new outcome while it waited: approving
    it records no change ("from Did not work to Did not work")."""
    from board.updates import services as update_services

    study_id, update_id = waiting_update(app, world, new_outcome=Outcome.DID_NOT_WORK)
    with app.test_request_context():
        study = db.session.get(CaseStudy, study_id)
        study.outcome = Outcome.DID_NOT_WORK
        db.session.commit()
        moderator = db.session.get(type(world.people.moderator), world.people.moderator.id)
        update_services.approve(db.session.get(StudyUpdate, update_id), moderator)
        db.session.commit()
        update = db.session.get(StudyUpdate, update_id)
        assert update.status is RevisionStatus.APPROVED
        assert update.new_outcome is None
