"""Everything the service holds about one person, as a JSON document they can download (their
right of access and to data portability under UK GDPR).

Never in it: the password hash, session tokens (only their hashes are stored, and those are
left out too), and the bodies of emails sent to the person (they carry links that sign in or
reset a password); their subjects and dates are in it.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_, select

from board import permissions
from board.account import devices
from board.audit import label_for
from board.extensions import db
from board.models import (
    CaseStudy,
    Comment,
    Council,
    CouncilRequest,
    Follow,
    FollowKind,
    ModerationLog,
    Notification,
    OutboxMessage,
    Report,
    StudyRevision,
    StudyUpdate,
    Topic,
    TriedToo,
    UsefulMark,
    User,
    UserSession,
)
from board.models.base import utcnow
from board.questions.queries import questions_by

FORMAT_VERSION = 1


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _fields(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _value(getattr(row, name)) for name in names}


STUDY_FIELDS = (
    "id",
    "status",
    *CaseStudy.CONTENT_FIELDS,
    "decision_note",
    "created_at",
    "updated_at",
    "submitted_at",
    "published_at",
)
REVISION_FIELDS = (
    "id",
    "study_id",
    "status",
    *StudyRevision.CONTENT_FIELDS,
    "topic_ids",
    "decision_note",
    "created_at",
    "updated_at",
    "submitted_at",
)


def _followed(follows: list[Follow], user: User) -> list[dict[str, Any]]:
    """What each follow is of, in words: a topic's or council's name, a study's title (unless the
    person may no longer read it), a saved search's filters as the board's query string."""

    def by_id(model, ids):
        if not ids:
            return {}
        return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}

    topics = by_id(Topic, {follow.topic_id for follow in follows if follow.topic_id})
    councils = by_id(Council, {follow.council_id for follow in follows if follow.council_id})
    studies = by_id(CaseStudy, {follow.study_id for follow in follows if follow.study_id})
    rows = []
    for follow in follows:
        row: dict[str, Any] = {"kind": _value(follow.kind)}
        if follow.kind is FollowKind.TOPIC:
            topic = topics.get(follow.topic_id)
            row["what"] = topic.name if topic else None
        elif follow.kind is FollowKind.COUNCIL:
            council = councils.get(follow.council_id)
            row["what"] = council.name if council else None
        elif follow.kind is FollowKind.STUDY:
            study = studies.get(follow.study_id)
            readable = study is not None and permissions.can_view_study(study, user)
            row["what"] = study.title if readable else None
            row["case_study_id"] = follow.study_id
        else:
            row["what"] = follow.query
        row["name"] = follow.name
        row["since"] = _value(follow.created_at)
        rows.append(row)
    return rows


def _answers(user: User) -> dict[str, list[dict[str, Any]]]:
    """The answers the person wrote (with the question's title, and the study they attached or
    wrote up from it by number), and the answers they marked "This helped"."""
    from board.models import Answer, Question

    written = db.session.execute(
        select(Answer, Question.title)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.author_id == user.id)
        .order_by(Answer.id)
    ).all()
    marked = db.session.execute(
        select(Answer, Question.title)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.helpful_by_id == user.id)
        .order_by(Answer.id)
    ).all()
    return {
        "answers": [
            {
                **_fields(
                    answer,
                    (
                        "id",
                        "question_id",
                        "body",
                        "study_id",
                        "write_up_id",
                        "created_at",
                        "edited_at",
                        "helpful_at",
                        "hidden_at",
                        "hidden_reason",
                    ),
                ),
                "question_title": title,
            }
            for answer, title in written
        ],
        "answers_marked_helpful": [
            {"answer_id": answer.id, "question_id": answer.question_id, "question_title": title}
            | _fields(answer, ("helpful_at",))
            for answer, title in marked
        ],
    }


def personal_data(user: User) -> dict[str, Any]:
    """What the service holds about ``user``, section by section."""
    council = user.council
    studies = db.session.scalars(
        select(CaseStudy).where(CaseStudy.author_id == user.id).order_by(CaseStudy.id)
    ).all()
    revisions = db.session.scalars(
        select(StudyRevision).where(StudyRevision.author_id == user.id).order_by(StudyRevision.id)
    ).all()
    comments = db.session.scalars(
        select(Comment).where(Comment.author_id == user.id).order_by(Comment.id)
    ).all()
    questions = db.session.scalars(questions_by(user.id)).all()
    marks = db.session.execute(
        select(UsefulMark, CaseStudy.title)
        .join(CaseStudy, CaseStudy.id == UsefulMark.case_study_id)
        .where(UsefulMark.user_id == user.id)
        .order_by(UsefulMark.id)
    ).all()
    tried = db.session.execute(
        select(TriedToo, CaseStudy.title)
        .join(CaseStudy, CaseStudy.id == TriedToo.case_study_id)
        .where(TriedToo.user_id == user.id)
        .order_by(TriedToo.id)
    ).all()
    reports = db.session.scalars(
        select(Report).where(Report.reporter_id == user.id).order_by(Report.id)
    ).all()
    council_requests = db.session.scalars(
        select(CouncilRequest)
        .where(CouncilRequest.requester_id == user.id)
        .order_by(CouncilRequest.id)
    ).all()
    notifications = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()
    signed_in = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.created_at)
    ).all()
    log = db.session.scalars(
        select(ModerationLog)
        .where(
            or_(
                ModerationLog.actor_id == user.id,
                (ModerationLog.target_type == "user") & (ModerationLog.target_id == user.id),
            )
        )
        .order_by(ModerationLog.id)
    ).all()
    follows = db.session.scalars(
        select(Follow).where(Follow.user_id == user.id).order_by(Follow.id)
    ).all()
    updates = db.session.scalars(
        select(StudyUpdate).where(StudyUpdate.author_id == user.id).order_by(StudyUpdate.id)
    ).all()
    mail = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_address == user.email)
        .order_by(OutboxMessage.id)
    ).all()
    return {
        # The one sentence for its reader, in their language; the names stay as they are.
        "about": _(
            "Everything Case Board holds about you. The privacy notice says why each part is "
            "kept and for how long."
        ),
        "format_version": FORMAT_VERSION,
        "produced_at": _value(utcnow()),
        "account": {
            **_fields(
                user,
                (
                    "id",
                    "name",
                    "email",
                    "job_title",
                    "show_job_title",
                    "council_role",
                    "role",
                    "created_at",
                    "email_confirmed_at",
                    "verified_at",
                    "active",
                ),
            ),
            "council": {"id": council.id, "name": council.name} if council else None,
        },
        "preferences": {
            "email_on_comments": user.email_on_comments,
            "digest_frequency": _value(user.digest_frequency),
            "language": user.language,
        },
        "studies_written": [
            {
                **_fields(study, STUDY_FIELDS),
                "council": study.council.name,
                "topics": [topic.name for topic in study.topics],
            }
            for study in studies
        ],
        "study_edits": [
            {**_fields(revision, REVISION_FIELDS), "study_title": revision.study.title}
            for revision in revisions
        ],
        "study_updates": [
            _fields(
                update,
                (
                    "id",
                    "study_id",
                    "happened_on",
                    "body",
                    "new_outcome",
                    "status",
                    "created_at",
                    "published_at",
                ),
            )
            for update in updates
        ],
        "comments": [
            {
                **_fields(
                    comment,
                    (
                        "id",
                        "case_study_id",
                        "parent_id",
                        "body",
                        "created_at",
                        "edited_at",
                        "hidden_at",
                        "hidden_reason",
                        "deleted_at",
                    ),
                ),
                "study_title": comment.case_study.title,
            }
            for comment in comments
        ],
        "questions": [
            {
                **_fields(
                    question,
                    (
                        "id",
                        "title",
                        "details",
                        "visibility",
                        "created_at",
                        "edited_at",
                        "answered_at",
                        "hidden_at",
                        "hidden_reason",
                    ),
                ),
                "council_id": question.council_id,
                "topics": [topic.name for topic in question.topics],
            }
            for question in questions
        ],
        "useful_marks": [
            {
                "case_study_id": mark.case_study_id,
                "study_title": title,
                **_fields(mark, ("created_at",)),
            }
            for mark, title in marks
        ],
        "tried_this_too": [
            {
                "case_study_id": entry.case_study_id,
                "study_title": title,
                "council": entry.council.name,
                "own_study_id": entry.own_study_id,
                **_fields(entry, ("created_at",)),
            }
            for entry, title in tried
        ],
        "reports_made": [
            _fields(
                report,
                (
                    "id",
                    "target_type",
                    "target_id",
                    "reason",
                    "details",
                    "created_at",
                    "resolved_at",
                    "resolution",
                ),
            )
            for report in reports
        ],
        "council_requests": [
            _fields(
                request,
                (
                    "id",
                    "council_name",
                    "website",
                    "requester_role",
                    "email_domain",
                    "status",
                    "decline_reason",
                    "created_at",
                    "decided_at",
                ),
            )
            for request in council_requests
        ],
        "following": _followed(follows, user),
        "notifications": [
            _fields(note, ("id", "subject", "body", "link", "created_at", "read_at"))
            for note in notifications
        ],
        "signed_in_devices": [
            {
                "device": devices.describe(row.user_agent),
                "user_agent": row.user_agent,
                "signed_in_at": _value(row.created_at),
                "last_used_at": _value(row.last_seen_at),
            }
            for row in signed_in
        ],
        "moderation_log": [
            {
                **_fields(
                    entry, ("id", "action", "target_type", "target_id", "reason", "created_at")
                ),
                "what": label_for(entry.action),
                "by_you": entry.actor_id == user.id,
            }
            for entry in log
        ],
        "emails_sent_to_you": [
            _fields(message, ("subject", "created_at", "sent_at")) for message in mail
        ],
        **_answers(user),
    }


def as_json(user: User) -> str:
    return json.dumps(personal_data(user), ensure_ascii=False, indent=2)
