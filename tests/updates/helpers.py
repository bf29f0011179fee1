"""Making and posting updates in tests."""

from __future__ import annotations

from datetime import date, timedelta

from board.extensions import db
from board.models import Outcome, RevisionStatus, StudyUpdate
from board.models.base import utcnow
from tests.conftest import csrf_token_from
from tests.factories import make_study


def published_study(app, world, **fields) -> int:
    with app.app_context():
        fields.setdefault("outcome", Outcome.ONGOING)
        study = make_study(world.here, world.people.author, **fields)
        db.session.commit()
        return study.id


def make_update(
    study_id: int,
    author,
    status: RevisionStatus = RevisionStatus.SUBMITTED,
    happened_on: date = date(2026, 3, 1),
    body: str = "We switched the pilot off.",
    new_outcome: Outcome | None = None,
    **fields,
) -> StudyUpdate:
    now = utcnow()
    update = StudyUpdate(
        study_id=study_id,
        author_id=author.id,
        happened_on=happened_on,
        body=body,
        new_outcome=new_outcome,
        status=status,
        decision_note=fields.pop("decision_note", ""),
        submitted_at=fields.pop("submitted_at", now - timedelta(hours=2)),
        published_at=fields.pop("published_at", now if status is RevisionStatus.APPROVED else None),
        **fields,
    )
    db.session.add(update)
    db.session.flush()
    return update


def waiting_update(app, world, study_id: int | None = None, **fields) -> tuple[int, int]:
    """(study id, update id): a colleague's update waiting for review."""
    study_id = study_id or published_study(app, world)
    with app.app_context():
        update = make_update(study_id, world.people.colleague, **fields)
        db.session.commit()
        return study_id, update.id


def post_form(client, path: str, **data):
    token = csrf_token_from(client.get("/").text)
    return client.post(path, data={"csrf_token": token, **data})


def new_update(client, study_id: int, **data):
    fields = {
        "happened_month": "3",
        "happened_year": "2026",
        "body": "We switched it off.",
        "new_outcome": "no-change",
    }
    fields.update(data)
    return post_form(client, f"/studies/{study_id}/updates/new", **fields)


def decide(client, update_id: int, decision: str, **notes):
    return post_form(
        client, f"/moderation/updates/{update_id}/decision", decision=decision, **notes
    )


def get_update(app, update_id: int) -> StudyUpdate:
    with app.app_context():
        update = db.session.get(StudyUpdate, update_id)
        db.session.expunge(update)
        return update


def switch(client, as_role, role: str):
    """Sign out whoever is signed in, then sign in as ``role``."""
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})
    return as_role(role)
