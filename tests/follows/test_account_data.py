"""Follows and updates in the data download; follows and the digest gone with the account."""

from __future__ import annotations

import json
from datetime import date

from board.extensions import db
from board.follows import services
from board.models import (
    DigestFrequency,
    Follow,
    RevisionStatus,
    StudyUpdate,
    Topic,
    User,
    Visibility,
)
from tests.factories import PASSWORD, make_study
from tests.follows.conftest import follows_of


def _follow_everything(app, world) -> dict:
    with app.app_context():
        person = db.session.get(User, world.people.author.id)
        person.digest_frequency = DigestFrequency.DAILY
        topic = db.session.scalar(db.select(Topic).where(Topic.slug == "cyber-security"))
        study = make_study(world.here, person, title="Chatbot for council tax")
        hidden = make_study(world.there, title="Members only plans", visibility=Visibility.MEMBERS)
        services.follow(person, topic)
        services.follow(person, world.there)
        services.follow(person, study)
        services.follow(person, hidden)
        services.save_search(person, "outcome=did-not-work", "Failures")
        db.session.add(
            StudyUpdate(
                study_id=study.id,
                author_id=person.id,
                happened_on=date(2027, 3, 1),
                body="We switched the pilot off.",
                status=RevisionStatus.SUBMITTED,
            )
        )
        # Someone else's update: not in this person's file.
        db.session.add(
            StudyUpdate(
                study_id=study.id,
                author_id=world.people.colleague.id,
                happened_on=date(2027, 4, 1),
                body="Colleague's words.",
                # One open update a study: this one was withdrawn.
                status=RevisionStatus.WITHDRAWN,
            )
        )
        hidden.status = hidden.status.DRAFT  # unpublished since it was followed
        db.session.commit()
        return {"study": study.id, "hidden": hidden.id}


def test_the_download_holds_follows_digest_and_updates(app, client, world, as_role, post):
    ids = _follow_everything(app, world)
    as_role("author")
    data = json.loads(post("/account/data").get_data(as_text=True))
    assert data["preferences"]["digest_frequency"] == "daily"
    following = data["following"]
    assert [(row["kind"], row["what"], row["name"]) for row in following] == [
        ("topic", "Cyber security", ""),
        ("council", "Thereshire Council", ""),
        ("study", "Chatbot for council tax", ""),
        ("study", None, ""),  # no longer readable: its title is not theirs to have
        ("search", "outcome=did-not-work", "Failures"),
    ]
    assert following[2]["case_study_id"] == ids["study"]
    assert all(row["since"] for row in following)
    [update] = data["study_updates"]
    assert update["study_id"] == ids["study"]
    assert update["happened_on"] == "2027-03-01"
    assert update["body"] == "We switched the pilot off."
    assert update["status"] == "submitted"
    assert "Colleague's words." not in json.dumps(data)


def test_deleting_the_account_removes_follows_and_the_digest(app, client, world, as_role, post):
    _follow_everything(app, world)
    with app.app_context():
        services.follow(db.session.get(User, world.people.colleague.id), world.here)
        db.session.commit()
    as_role("author")
    response = post("/account/delete", {"comments": "keep", "current_password": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        person = db.session.get(User, world.people.author.id)
        assert person.deleted_at is not None
        assert person.digest_frequency is DigestFrequency.NONE
        assert db.session.scalars(db.select(Follow).where(Follow.user_id == person.id)).all() == []
    # Nobody else's follows go.
    assert len(follows_of(app, world.people.colleague)) == 1
