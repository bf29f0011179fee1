"""An update is decided once: of two moderators deciding at the same moment, one wins and the
other is told it was already decided; nothing is applied twice."""

from __future__ import annotations

import pytest

from board.extensions import db
from board.models import (
    CaseStudy,
    ModerationLog,
    Outcome,
    RevisionStatus,
    Role,
    StudyUpdate,
    User,
)
from board.models.base import utcnow
from board.updates import services
from tests.conftest import csrf_token_from
from tests.factories import PASSWORD, make_user
from tests.updates.helpers import get_update, waiting_update


def test_a_second_moderator_is_told_it_was_already_decided(app, world):
    study_id, update_id = waiting_update(app, world, new_outcome=Outcome.DID_NOT_WORK)
    with app.app_context():
        second = make_user(world.there, role=Role.MODERATOR, name="Sam Second")
        db.session.commit()
    # Both have the review page open, each in their own browser.
    client, other = app.test_client(), app.test_client()
    for browser, person in ((client, world.people.moderator), (other, second)):
        browser.post(
            "/auth/login",
            data={
                "email": person.email,
                "password": PASSWORD,
                "csrf_token": csrf_token_from(browser.get("/auth/login").text),
            },
        )
    first_token = csrf_token_from(client.get(f"/moderation/updates/{update_id}").text)
    second_token = csrf_token_from(other.get(f"/moderation/updates/{update_id}").text)

    path = f"/moderation/updates/{update_id}/decision"
    assert (
        client.post(path, data={"decision": "approve", "csrf_token": first_token}).status_code
        == 302
    )
    response = other.post(
        path,
        data={"decision": "reject", "reject_note": "Off topic", "csrf_token": second_token},
    )
    assert response.status_code == 302
    assert "already been approved" in other.get(response.headers["Location"]).text
    update = get_update(app, update_id)
    assert update.status is RevisionStatus.APPROVED and update.decision_note == ""
    with app.app_context():
        actions = db.session.scalars(
            db.select(ModerationLog.action).where(ModerationLog.target_id == study_id)
        ).all()
        assert actions.count("update.approved") == 1 and "update.rejected" not in actions
    # The page now says it is decided.
    assert "not waiting for review" in other.get(f"/moderation/updates/{update_id}").text


def test_a_stale_copy_changes_nothing(app, world):
    """The claim is a conditional UPDATE: a moderator holding an update loaded before another
    decided it cannot approve it (and apply its outcome) a second time."""
    study_id, update_id = waiting_update(app, world, new_outcome=Outcome.DID_NOT_WORK)
    with app.test_request_context():
        stale = db.session.get(StudyUpdate, update_id)
        moderator = db.session.get(User, world.people.moderator.id)
        assert stale.status is RevisionStatus.SUBMITTED
        # Another moderator, on another connection, rejects it meanwhile.
        with db.engine.begin() as connection:
            connection.execute(
                db.update(StudyUpdate)
                .where(StudyUpdate.id == update_id)
                .values(status="rejected", decision_note="No", updated_at=utcnow())
            )
        with pytest.raises(services.AlreadyDecided, match="already been rejected"):
            services.approve(stale, moderator)
        db.session.rollback()
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        assert study.outcome is Outcome.ONGOING and study.last_update_at is None
        assert db.session.get(StudyUpdate, update_id).status is RevisionStatus.REJECTED


def test_withdrawing_a_decided_update_changes_nothing(app, world):
    _, update_id = waiting_update(app, world, status=RevisionStatus.APPROVED)
    with app.test_request_context():
        update = db.session.get(StudyUpdate, update_id)
        with pytest.raises(services.AlreadyDecided):
            services.withdraw(update, db.session.get(User, world.people.colleague.id))
        db.session.rollback()
    assert get_update(app, update_id).status is RevisionStatus.APPROVED
