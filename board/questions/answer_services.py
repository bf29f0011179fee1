"""Changes to answers: posting one, "This helped", writing one up as a case study, and telling
the asker when that study is published.

Each function changes state and flushes; the view commits once. Callers check permission first
(board/permissions.py); these functions keep the counts and dates right however many people act
at once.
"""

from __future__ import annotations

import re

from flask import g, request, url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam, case, exists, func, literal, select, update
from sqlalchemy.orm import joinedload

from board import permissions
from board.case_studies import services as study_services
from board.extensions import db
from board.i18n import current_language, in_language_of
from board.models import Answer, CaseStudy, Outcome, Question, Status, User
from board.models.base import UTCDateTime, utcnow
from board.notifications.services import notify


class AnswerError(Exception):
    """The answer cannot be posted as things stand; the message says why, for the person."""


# Reading -------------------------------------------------------------------------------------


def own_published_studies(council_id: int | None) -> list[CaseStudy]:
    """The studies a member may attach from their own list: their council's published ones."""
    if council_id is None:
        return []
    return list(
        db.session.scalars(
            select(CaseStudy)
            .where(CaseStudy.council_id == council_id, CaseStudy.status == Status.PUBLISHED)
            .order_by(CaseStudy.title, CaseStudy.id)
        )
    )


def answers_query(question_id: int):
    """A question's answers, oldest first, with everything the page shows of each, in one
    query: its author, council, attached study (and that study's council) and write-up."""
    return (
        select(Answer)
        .where(Answer.question_id == question_id)
        .options(
            joinedload(Answer.author),
            joinedload(Answer.council),
            joinedload(Answer.study).joinedload(CaseStudy.council),
            joinedload(Answer.write_up),
        )
        .order_by(Answer.created_at, Answer.id)
    )


def readable_study(study_id: int, user: User | None) -> CaseStudy | None:
    """The study ``user`` may attach: one that exists, is published and they may read."""
    study = db.session.get(CaseStudy, study_id)
    if study is None or not study.is_published or not permissions.can_view_study(study, user):
        return None
    return study


def visible_answer_count(question_id: int, viewer: User | None) -> int:
    """How many of the question's answers ``viewer`` sees (hidden ones: their own, or all for a
    moderator)."""
    query = select(func.count()).select_from(Answer).where(Answer.question_id == question_id)
    if not permissions.can_moderate(viewer):
        shown = Answer.hidden_at.is_(None)
        if permissions.is_signed_in(viewer):
            shown = shown | (Answer.author_id == viewer.id)
        query = query.where(shown)
    return db.session.scalar(query)


# Answering -----------------------------------------------------------------------------------


def post_answer(
    question: Question, author: User, body: str, study: CaseStudy | None = None
) -> Answer:
    """Add ``author``'s answer for their council. The question's count goes up in one
    conditional UPDATE, so answers posted at the same moment are all counted, and none is added
    to a question hidden meanwhile."""
    counted = db.session.execute(
        update(Question)
        .where(Question.id == question.id, Question.hidden_at.is_(None))
        .values(answer_count=Question.answer_count + 1)
        .execution_options(synchronize_session=False)
    )
    if counted.rowcount != 1:
        raise AnswerError(
            _("This question has been hidden by a moderator, so it cannot be answered.")
        )
    answer = Answer(
        question_id=question.id,
        author_id=author.id,
        council_id=author.council_id,
        body=body,
        study_id=study.id if study is not None else None,
        language=current_language(),
    )
    db.session.add(answer)
    db.session.flush()
    db.session.expire(question, ["answer_count"])
    return answer


# "This helped" --------------------------------------------------------------------------------


def lock_question(question_id: int) -> None:
    """Hold the question's row until the transaction ends, before changing any of its answers:
    whoever comes second then counts (in a statement started after the first committed) what
    the first changed, and the two never wait on each other's rows (PostgreSQL; SQLite runs
    one writer at a time anyway)."""
    db.session.execute(select(Question.id).where(Question.id == question_id).with_for_update())


def refresh_answered(question_id: int) -> None:
    """Set the question's ``answered_at`` when it has a helpful answer that is not hidden (kept
    if it was already set), clear it when it has none. One UPDATE, so two people marking and
    unmarking at once leave it right. Call it too when an answer is hidden or restored."""
    helpful = exists().where(
        Answer.question_id == question_id,
        Answer.helpful_at.is_not(None),
        Answer.hidden_at.is_(None),
    )
    now = literal(utcnow(), UTCDateTime())
    db.session.execute(
        update(Question)
        .where(Question.id == question_id)
        .values(answered_at=case((helpful, func.coalesce(Question.answered_at, now))))
        .execution_options(synchronize_session=False)
    )


def toggle_helpful(answer: Answer, question: Question, marker: User) -> bool:
    """Mark ``answer`` "This helped", or unmark it if it was; returns whether it is now marked."""
    marked = answer.helpful_at is None
    lock_question(question.id)
    answer.helpful_at = utcnow() if marked else None
    answer.helpful_by_id = marker.id if marked else None
    db.session.flush()
    refresh_answered(question.id)
    db.session.expire(question, ["answered_at"])
    return marked


# "Write this up as a case study" --------------------------------------------------------------

_ASKING = re.compile(
    r"^(?:has|have|did|does)\s+(?:any|another|other)\s+(?:councils?|ones?|body|one)\s+"
    r"(?:(?:ever|already)\s+)?(?:tried|used|done|run|built|introduced)\s+",
    re.IGNORECASE,
)


def write_up_title(question_title: str) -> str:
    """A first title for the draft, from the question: "Has any council tried a chatbot for
    council tax queries?" becomes "A chatbot for council tax queries". The author edits it."""
    title = _ASKING.sub("", question_title.strip()).rstrip(" ?").strip()
    title = title or question_title.strip().rstrip(" ?") or _("Our answer")
    return title[0].upper() + title[1:]


def existing_write_up(answer: Answer) -> CaseStudy | None:
    return db.session.get(CaseStudy, answer.write_up_id) if answer.write_up_id else None


def write_up(answer: Answer, question: Question, author: User) -> tuple[CaseStudy, bool]:
    """The draft case study made from ``answer`` for its author's council, and whether it was
    made now. Asked twice (a double click, two tabs), it makes one: the answer records its
    write-up with a conditional UPDATE, and whoever loses the race uses the winner's draft."""
    current = existing_write_up(answer)
    if current is not None:
        return current, False
    study = study_services.create_study(author)
    study.title = write_up_title(question.title)
    study.outcome = Outcome.ONGOING
    study.visibility = question.visibility
    study.what_we_tried = answer.body
    study.topics = list(question.topics)
    db.session.flush()
    claimed = db.session.execute(
        update(Answer)
        .where(Answer.id == answer.id)
        .where(
            Answer.write_up_id.is_(None)
            if answer.write_up_id is None
            else Answer.write_up_id == answer.write_up_id  # a write-up since deleted
        )
        .values(write_up_id=study.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.delete(study)
        db.session.flush()
        db.session.expire(answer, ["write_up_id", "write_up"])
        winner = existing_write_up(answer)
        if winner is None:  # made and deleted meanwhile: nothing sensible to do but refuse
            raise AnswerError(_("Your answer is being written up already. Try again."))
        return winner, False
    db.session.expire(answer, ["write_up_id", "write_up"])
    return study, True


# Built once, with the study's id as a parameter (the study page asks it).
WRITTEN_IN_ANSWER_TO = (
    select(Question)
    .join(Answer, Answer.question_id == Question.id)
    .where(Answer.write_up_id == bindparam("study_id"))
    .order_by(Answer.id)
    .limit(1)
)


def written_in_answer_to(study: CaseStudy, viewer: User | None) -> Question | None:
    """The question ``study`` was written up to answer, if ``viewer`` may see it. When the
    request loaded the study with board/case_studies/queries.py load_study, that statement
    already said whether there is one: on a GET (which changes nothing in between), a study
    written up from no answer asks nothing more."""
    written_for = g.get("study_written_for") if request.method == "GET" else None
    if written_for == (study.id, None):
        return None
    question = db.session.scalar(WRITTEN_IN_ANSWER_TO, {"study_id": study.id})
    if question is None or not permissions.can_see_question(question, viewer):
        return None
    if question.hidden_at is not None:
        return None
    return question


def tell_asker_of_write_up(study: CaseStudy) -> None:
    """Called as ``study`` is first published: tell each asker whose question it was written
    up from (in the app and by email, in the same transaction as the approval), unless they
    wrote it themselves or may not read it."""
    rows = db.session.execute(
        select(Question, User)
        .join(Answer, Answer.question_id == Question.id)
        .join(User, User.id == Question.author_id)
        .where(Answer.write_up_id == study.id, Question.hidden_at.is_(None))
        .order_by(Answer.id)
    ).all()
    told: set[int] = set()
    for question, asker in rows:
        if asker.id in told or asker.id == study.author_id or not asker.is_active:
            continue
        if not permissions.can_view_study(study, asker):
            continue
        told.add(asker.id)
        with in_language_of(asker):
            if study.council:
                subject = _(
                    "%(council)s wrote up its answer to your question as a case study: %(title)s",
                    council=study.council.name,
                    title=study.title,
                )
            else:
                subject = _(
                    "A council wrote up its answer to your question as a case study: %(title)s",
                    title=study.title,
                )
            notify(
                asker,
                subject,
                _("Your question: %(title)s", title=question.title),
                url_for("case_studies.show", study_id=study.id, slug=study.slug),
            )
