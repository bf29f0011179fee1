"""The review page: the whole study (or an edit's diff) and the one decision form."""

from __future__ import annotations

from datetime import timedelta

import pytest

from board.extensions import db
from board.models import CaseStudy, RevisionStatus, Status, StudyRevision
from board.models.base import utcnow
from tests.conftest import csrf_token_from
from tests.factories import make_study


def submitted(app, world, author=None, **fields):
    with app.app_context():
        study = make_study(
            world.here,
            author or world.people.author,
            status=Status.SUBMITTED,
            what_we_tried="We put **kiosks** in libraries.",
            **fields,
        )
        study.submitted_at = utcnow() - timedelta(days=3, hours=2)
        db.session.commit()
        return study.id


def edit_waiting(app, world):
    """A published study with an edit submitted for review."""
    with app.app_context():
        study = make_study(world.here, world.people.author, title="Original title")
        revision = StudyRevision(
            study=study,
            author=world.people.colleague,
            status=RevisionStatus.SUBMITTED,
            submitted_at=utcnow() - timedelta(hours=5),
            topic_ids=study.topic_ids,
            **{name: getattr(study, name) for name in CaseStudy.CONTENT_FIELDS},
        )
        revision.title = "Better title"
        db.session.add(revision)
        db.session.commit()
        return study.id


def status_of(app, study_id) -> Status:
    with app.app_context():
        return db.session.get(CaseStudy, study_id).status


def post_decision(client, study_id, **data):
    token = csrf_token_from(client.get(f"/moderation/studies/{study_id}").text)
    return client.post(
        f"/moderation/studies/{study_id}/decision", data={"csrf_token": token, **data}
    )


def test_the_review_page_shows_a_new_study_in_full(app, client, as_role, world):
    study_id = submitted(app, world, title="Library kiosks")
    as_role("moderator")
    page = client.get(f"/moderation/studies/{study_id}").text
    assert "Library kiosks" in page and "New case study" in page
    assert "<strong>kiosks</strong>" in page  # the sections, rendered as they will be published
    assert "Start small and measure." in page
    assert "Hereshire Council" in page and "Did not work" in page
    assert "Data and research" in page
    assert "3 days" in page
    assert 'name="decision"' in page and "Save decision" in page
    assert 'data-module="govuk-radios"' in page and 'id="conditional-' in page


def test_the_review_page_shows_an_edit_as_a_word_diff_with_hidden_words(
    app, client, as_role, world
):
    study_id = edit_waiting(app, world)
    as_role("moderator")
    page = client.get(f"/moderation/studies/{study_id}").text
    assert "Edit of a published case study" in page
    assert (
        '<del><span class="govuk-visually-hidden">removed: </span>Original </del>'
        '<ins><span class="govuk-visually-hidden">added: </span>Better </ins>title'
    ) in page


def test_no_choice_is_an_error_with_the_summary(app, client, as_role, world):
    study_id = submitted(app, world)
    as_role("moderator")
    response = post_decision(client, study_id, changes_note="Kept text")
    page = response.text
    assert response.status_code == 422
    assert "govuk-error-summary" in page and "<title>Error:" in page
    assert page.count("Select whether to approve, request changes or reject") == 2
    assert "Kept text" in page
    assert status_of(app, study_id) is Status.SUBMITTED


@pytest.mark.parametrize(
    ("decision", "field", "message"),
    [
        ("request-changes", "changes_note", "Enter what the author should change"),
        ("reject", "reject_note", "Enter why it is rejected"),
    ],
)
def test_a_missing_note_is_an_error_and_keeps_the_other_input(
    app, client, as_role, world, decision, field, message
):
    study_id = submitted(app, world)
    as_role("moderator")
    other = "reject_note" if field == "changes_note" else "changes_note"
    response = post_decision(client, study_id, decision=decision, **{field: "  ", other: "Kept"})
    page = response.text
    assert response.status_code == 422
    assert f'href="#{field}"' in page and page.count(message) == 2
    assert f'value="{decision}" checked' in page
    assert ">Kept</textarea>" in page
    assert status_of(app, study_id) is Status.SUBMITTED


@pytest.mark.parametrize(
    ("decision", "note", "outcome", "banner"),
    [
        ("approve", "", Status.PUBLISHED, "You approved “Decided study”. It is now published"),
        (
            "request-changes",
            "Add the cost.",
            Status.CHANGES_REQUESTED,
            "You asked for changes to “Decided study”. The author has been told",
        ),
        ("reject", "A duplicate.", Status.REJECTED, "You rejected “Decided study”."),
    ],
)
def test_each_decision_through_the_form(
    app, client, as_role, world, decision, note, outcome, banner
):
    study_id = submitted(app, world, title="Decided study")
    as_role("moderator")
    field = {"request-changes": "changes_note", "reject": "reject_note"}.get(decision, "unused")
    response = post_decision(client, study_id, decision=decision, **{field: note})
    assert response.status_code == 302 and response.location.endswith("/moderation")
    assert status_of(app, study_id) is outcome
    queue = client.get("/moderation").text
    assert banner in queue and "Decided study" in queue
    if note:
        assert note in client.get("/moderation/log").text


def test_an_edit_is_approved_through_the_form(app, client, as_role, world):
    study_id = edit_waiting(app, world)
    as_role("moderator")
    assert post_decision(client, study_id, decision="approve").status_code == 302
    with app.app_context():
        assert db.session.get(CaseStudy, study_id).title == "Better title"


def test_own_writing_shows_why_and_refuses_the_post(app, client, as_role, world):
    with app.app_context():
        from board.models import Role, User

        moderator = db.session.get(User, world.people.moderator.id)
        moderator.council_id = None  # not a conflict of interest: only their own writing
        moderator.role = Role.MODERATOR
        db.session.commit()
    study_id = submitted(app, world, author=world.people.moderator)
    as_role("moderator")
    page = client.get(f"/moderation/studies/{study_id}").text
    assert "You wrote this, so another moderator must review it." in page
    assert "Save decision" not in page
    assert post_decision(client, study_id, decision="approve").status_code == 403
    assert status_of(app, study_id) is Status.SUBMITTED


def test_conflict_of_interest_refuses_the_post(app, client, as_role, world):
    with app.app_context():
        study = make_study(world.there, status=Status.SUBMITTED)
        db.session.commit()
        study_id = study.id
    as_role("moderator")
    page = client.get(f"/moderation/studies/{study_id}").text
    assert "a moderator from another council decides on it" in page
    assert post_decision(client, study_id, decision="approve").status_code == 403


def test_the_queue_lists_what_waits_without_forms(app, client, as_role, world):
    study_id = submitted(app, world, title="Waiting study")
    edit_id = edit_waiting(app, world)
    as_role("moderator")
    page = client.get("/moderation").text
    assert f'href="/moderation/studies/{study_id}"' in page
    assert f'href="/moderation/studies/{edit_id}"' in page
    assert "New case study" in page and "Edit of a published case study" in page
    assert "Hereshire Council" in page and "Did not work" in page
    assert "Data and research" in page and "Everyone" in page
    assert "3 days" in page and "5 hours" in page
    assert "<form" not in page.split('id="main-content"')[1]
    assert "moj-sub-navigation" in page
