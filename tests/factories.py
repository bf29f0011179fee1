"""Small helpers that make rows for tests. Call them inside an app context."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

from board.auth.passwords import hash_password
from board.extensions import db
from board.models import (
    Answer,
    CaseStudy,
    Comment,
    Council,
    CouncilDomain,
    CouncilRole,
    CouncilType,
    Nation,
    Outcome,
    Question,
    Report,
    ReportReason,
    ReportTarget,
    Role,
    Status,
    Topic,
    User,
    Visibility,
)
from board.models.base import utcnow

# The roles every permission test runs through (see the world fixture in conftest.py).
ROLES = ["visitor", "unverified", "author", "colleague", "outsider", "moderator", "admin"]

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: Argon2 is slow on purpose
_sequence = itertools.count(1)


def make_council(name: str | None = None, domain: str | None = None, **fields) -> Council:
    number = next(_sequence)
    name = name or f"Testshire Council {number}"
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    council = Council(
        slug=fields.pop("slug", slug),
        name=name,
        nation=fields.pop("nation", Nation.ENGLAND),
        region=fields.pop("region", "South East"),
        council_type=fields.pop("council_type", CouncilType.DISTRICT),
        domains=[CouncilDomain(domain=domain or f"{slug}.gov.uk")],
        **fields,
    )
    db.session.add(council)
    db.session.flush()
    return council


def make_user(
    council: Council | None = None,
    role: Role = Role.MEMBER,
    verified: bool = True,
    email: str | None = None,
    **fields,
) -> User:
    number = next(_sequence)
    now = utcnow()
    user = User(
        email=email or f"person{number}@example.org",
        name=fields.pop("name", f"Person {number}"),
        password_hash=_PASSWORD_HASH,
        council_role=fields.pop("council_role", CouncilRole.OFFICER),
        job_title=fields.pop("job_title", "Digital officer"),
        role=role,
        council=council,
        email_confirmed_at=now if verified else None,
        verified_at=now if verified and council is not None else None,
        **fields,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_study(
    council: Council,
    author: User | None = None,
    status: Status = Status.PUBLISHED,
    visibility: Visibility = Visibility.PUBLIC,
    topics: list[str] | None = None,
    **fields,
) -> CaseStudy:
    number = next(_sequence)
    author = author or make_user(council)
    published_at = fields.pop("published_at", utcnow() - timedelta(minutes=number))
    study = CaseStudy(
        title=fields.pop("title", f"Experiment number {number}"),
        summary=fields.pop("summary", "What we tried and what happened."),
        council=council,
        author=author,
        outcome=fields.pop("outcome", Outcome.DID_NOT_WORK),
        what_we_learned=fields.pop("what_we_learned", "Start small and measure."),
        status=status,
        visibility=visibility,
        published_at=published_at if status is Status.PUBLISHED else None,
        submitted_at=fields.pop("submitted_at", None if status is Status.DRAFT else utcnow()),
        topics=list(
            db.session.scalars(
                db.select(Topic).where(Topic.slug.in_(topics or ["data-and-research"]))
            )
        ),
        **fields,
    )
    db.session.add(study)
    db.session.flush()
    return study


def make_comment(study_id: int, author: User, body: str = "A comment") -> Comment:
    comment = Comment(case_study_id=study_id, author_id=author.id, body=body)
    db.session.add(comment)
    db.session.flush()
    return comment


def make_report(
    reporter: User,
    target: CaseStudy | Comment,
    reason: ReportReason = ReportReason.SPAM,
    details: str = "",
) -> Report:
    """A report of ``target`` (a study or a comment), as the report form files it."""
    target_type = ReportTarget.COMMENT if isinstance(target, Comment) else ReportTarget.STUDY
    report = Report(
        reporter_id=reporter.id,
        target_type=target_type,
        target_id=target.id,
        reason=reason,
        details=details,
    )
    db.session.add(report)
    db.session.flush()
    return report


def make_question(
    author: User,
    title: str | None = None,
    topics: list[str] | None = None,
    visibility: Visibility = Visibility.PUBLIC,
    **fields,
) -> Question:
    """A question asked by ``author`` for their council (board/questions)."""
    number = next(_sequence)
    question = Question(
        author_id=author.id,
        council_id=author.council_id,
        title=title or f"Has any council tried experiment {number}?",
        details=fields.pop("details", "We want to know what happened."),
        visibility=visibility,
        created_at=fields.pop("created_at", utcnow() - timedelta(minutes=number)),
        topics=list(
            db.session.scalars(
                db.select(Topic).where(Topic.slug.in_(topics or ["data-and-research"]))
            )
        ),
        **fields,
    )
    db.session.add(question)
    db.session.flush()
    return question


def make_answer(question: Question, author: User, body: str = "We tried this.", **fields):
    """An answer to ``question`` from ``author``'s council."""
    answer = Answer(
        question_id=question.id,
        author_id=author.id,
        council_id=author.council_id,
        body=body,
        **fields,
    )
    db.session.add(answer)
    db.session.flush()
    return answer
