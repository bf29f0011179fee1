"""Rows for the digest tests, made directly (follows and updates have their own features)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from board.extensions import db
from board.models import Comment, Follow, FollowKind, StudyUpdate, Topic, TriedToo
from board.models.case_study import RevisionStatus
from board.models.user import DigestFrequency
from tests.factories import make_user

# A Thursday, in ISO week 2026-W48 (Monday 23 November to Sunday 29 November).
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def make_member(council=None, frequency=DigestFrequency.WEEKLY, **fields):
    fields.setdefault("created_at", at("2026-01-01T00:00"))
    return make_user(council, digest_frequency=frequency, **fields)


def follow(user, kind: FollowKind, **fields) -> Follow:
    if kind is FollowKind.TOPIC:
        topic = db.session.scalar(db.select(Topic).where(Topic.slug == fields.pop("slug")))
        fields["topic_id"] = topic.id
        target = f"topic:{topic.id}"
    elif kind is FollowKind.COUNCIL:
        target = f"council:{fields['council_id']}"
    elif kind is FollowKind.STUDY:
        target = f"study:{fields['study_id']}"
    else:
        target = f"search:{fields['query']}"
    row = Follow(user_id=user.id, kind=kind, target=target, **fields)
    db.session.add(row)
    db.session.flush()
    return row


def approved_update(study, author, published_at, new_outcome=None, body="We switched it off."):
    row = StudyUpdate(
        study_id=study.id,
        author_id=author.id,
        happened_on=date(2026, 11, 1),
        body=body,
        new_outcome=new_outcome,
        previous_outcome=study.outcome if new_outcome else None,
        status=RevisionStatus.APPROVED,
        submitted_at=published_at,
        published_at=published_at,
    )
    db.session.add(row)
    db.session.flush()
    return row


def tried_too(study, user):
    row = TriedToo(case_study_id=study.id, user_id=user.id, council_id=user.council_id)
    db.session.add(row)
    db.session.flush()
    return row


def comment(study, author, created_at, **fields):
    row = Comment(
        case_study_id=study.id, author_id=author.id, body="A comment", created_at=created_at
    )
    for name, value in fields.items():
        setattr(row, name, value)
    db.session.add(row)
    db.session.flush()
    return row
