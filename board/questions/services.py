"""Changes to questions: asking one, and a moderator hiding or restoring a question or an
answer with a reason its writer is told. Each changes state, writes the moderation log where a
moderator acts, tells the person concerned, and flushes; the request commits once."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from board import audit
from board.audit import LogAction
from board.comments.services import resolve_report
from board.extensions import db
from board.i18n import current_language, in_language_of
from board.models import Answer, Question, Report, ReportTarget, Topic, User, Visibility
from board.models.base import utcnow
from board.notifications.services import notify
from board.questions.links import answer_link, question_link


class QuestionError(ValueError):
    """A change that cannot be made, with a message for the person who asked."""


def ask_question(
    author: User, title: str, details: str, topic_ids: list[int], visibility: Visibility
) -> Question:
    """A verified member's question, for their council, shown at once."""
    topics = list(db.session.scalars(select(Topic).where(Topic.id.in_(topic_ids or []))))
    question = Question(
        author_id=author.id,
        council_id=author.council_id,
        title=title,
        details=details or "",
        visibility=visibility,
        topics=topics,
        language=current_language(),
    )
    db.session.add(question)
    db.session.flush()
    return question


def _resolve_open_reports(kind: ReportTarget, target_id: int, moderator: User, note: str):
    for report in db.session.scalars(
        select(Report).where(
            Report.target_type == kind,
            Report.target_id == target_id,
            Report.resolved_at.is_(None),
        )
    ):
        resolve_report(report, moderator, note[:500])


def hide_question(
    question: Question, moderator: User, reason: str, resolve_reports: bool = True
) -> None:
    """Hide a question from every list and from everyone but its asker and moderators; its
    open reports are resolved (hiding is what they asked for) unless the moderator keeps them
    open. The asker is told why."""
    if question.hidden_at is not None:
        raise QuestionError(_("This question is already hidden."))
    question.hidden_at = utcnow()
    question.hidden_reason = reason
    audit.record(moderator, LogAction.QUESTION_HIDDEN, question.id, reason)
    if resolve_reports:
        _resolve_open_reports(
            ReportTarget.QUESTION, question.id, moderator, f"Question hidden: {reason}"
        )
    with in_language_of(question.author):
        notify(question.author, _("A moderator hid your question"), reason, question_link(question))


def restore_question(question: Question, moderator: User, reason: str) -> None:
    if question.hidden_at is None:
        raise QuestionError(_("This question is not hidden."))
    question.hidden_at = None
    question.hidden_reason = ""
    audit.record(moderator, LogAction.QUESTION_RESTORED, question.id, reason)
    with in_language_of(question.author):
        notify(
            question.author,
            _("A moderator restored your question"),
            reason,
            question_link(question),
        )


def hide_answer(answer: Answer, moderator: User, reason: str, resolve_reports: bool = True) -> None:
    if answer.hidden_at is not None:
        raise QuestionError(_("This answer is already hidden."))
    _lock_question(answer)
    answer.hidden_at = utcnow()
    answer.hidden_reason = reason
    _answers_changed(answer)
    audit.record(moderator, LogAction.ANSWER_HIDDEN, answer.id, reason)
    if resolve_reports:
        _resolve_open_reports(ReportTarget.ANSWER, answer.id, moderator, f"Answer hidden: {reason}")
    with in_language_of(answer.author):
        notify(answer.author, _("A moderator hid your answer"), reason, answer_link(answer))


def restore_answer(answer: Answer, moderator: User, reason: str) -> None:
    if answer.hidden_at is None:
        raise QuestionError(_("This answer is not hidden."))
    _lock_question(answer)
    answer.hidden_at = None
    answer.hidden_reason = ""
    _answers_changed(answer)
    audit.record(moderator, LogAction.ANSWER_RESTORED, answer.id, reason)
    with in_language_of(answer.author):
        notify(answer.author, _("A moderator restored your answer"), reason, answer_link(answer))


def _lock_question(answer: Answer) -> None:
    """Hold the question's row first, so that the counts below see what others committed."""
    from board.questions.answer_services import lock_question

    lock_question(answer.question_id)


def _answers_changed(answer: Answer) -> None:
    """A hidden answer neither counts nor answers its question: the question's count of
    answers is made again from the answers not hidden, and it is answered only while a helpful
    answer is not hidden (one UPDATE each, whatever else changed meanwhile)."""
    from board.questions.answer_services import refresh_answered

    db.session.flush()
    visible = (
        select(func.count(Answer.id))
        .where(Answer.question_id == answer.question_id, Answer.hidden_at.is_(None))
        .scalar_subquery()
    )
    db.session.execute(
        update(Question)
        .where(Question.id == answer.question_id)
        .values(answer_count=visible)
        .execution_options(synchronize_session=False)
    )
    refresh_answered(answer.question_id)
    db.session.expire(answer.question, ["answer_count", "answered_at"])
