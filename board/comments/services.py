"""Changes to a study's discussion. Each changes state, writes the moderation log where a
moderator acts, tells the people concerned, and flushes; the request commits once."""

from __future__ import annotations

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from board import audit, permissions
from board.audit import LogAction
from board.extensions import db
from board.i18n import ENGLISH, current_language, in_language_of
from board.models import (
    Answer,
    CaseStudy,
    Comment,
    Question,
    Report,
    ReportReason,
    ReportTarget,
    Role,
    TriedToo,
    UsefulMark,
    User,
)
from board.models.base import utcnow
from board.notifications.services import notify, notify_comment_posted


class DiscussionError(ValueError):
    """A change that cannot be made, with a message for the person who asked."""


def comment_link(comment: Comment) -> str:
    study = comment.case_study
    return url_for("case_studies.show", study_id=study.id, slug=study.slug) + (
        f"#comment-{comment.id}"
    )


def post_comment(study: CaseStudy, author: User, body: str, parent: Comment | None) -> Comment:
    if parent is not None:
        if parent.case_study_id != study.id or parent.parent_id is not None:
            raise DiscussionError(_("You can only reply to a comment on this case study."))
        if parent.deleted_at is not None or parent.hidden_at is not None:
            raise DiscussionError(_("That comment is no longer available to reply to."))
    # Written in the language of the page it was written on: its text is marked with it.
    comment = Comment(
        case_study=study, author=author, body=body, parent=parent, language=current_language()
    )
    db.session.add(comment)
    db.session.flush()
    notify_comment_posted(comment, comment_link(comment))
    return comment


def edit_comment(comment: Comment, body: str) -> None:
    comment.body = body
    comment.edited_at = utcnow()


def delete_comment(comment: Comment) -> None:
    """Deleted comments keep their row, so replies keep their place under a placeholder; the
    text is gone for good."""
    comment.deleted_at = utcnow()
    comment.body = ""


def toggle_useful(study: CaseStudy, user: User) -> bool:
    """Mark or unmark ``study`` as useful for ``user``; return whether it is now marked.

    The unique constraint decides between two requests at once: only one insert succeeds, and
    the counter moves only for an insert or delete that happened."""
    removed = db.session.execute(
        delete(UsefulMark).where(
            UsefulMark.case_study_id == study.id, UsefulMark.user_id == user.id
        )
    ).rowcount
    if removed:
        _move_useful_count(study, -removed)
        return False
    try:
        with db.session.begin_nested():
            db.session.execute(
                insert(UsefulMark).values(
                    case_study_id=study.id, user_id=user.id, created_at=utcnow()
                )
            )
    except IntegrityError:
        return True  # another request marked it a moment ago
    _move_useful_count(study, 1)
    return True


def _move_useful_count(study: CaseStudy, by: int) -> None:
    # Relative, in the database: concurrent marks each add their own one. A mark is not an
    # update to the study: naming updated_at keeps it as it is (Core would otherwise set it to
    # now), and a statement setting only these two leaves the board's change counter alone
    # (migration 0008).
    db.session.execute(
        update(CaseStudy)
        .where(CaseStudy.id == study.id)
        .values(useful_count=CaseStudy.useful_count + by, updated_at=CaseStudy.updated_at)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(study, ["useful_count"])


def toggle_tried_too(study: CaseStudy, user: User, own_study_id: int | None) -> bool:
    """Say (or unsay) that ``user``'s council tried something similar; return whether it is
    now said."""
    removed = db.session.execute(
        delete(TriedToo).where(TriedToo.case_study_id == study.id, TriedToo.user_id == user.id)
    ).rowcount
    if removed:
        return False
    if own_study_id:
        own = db.session.get(CaseStudy, own_study_id)
        if (
            own is None
            or own.council_id != user.council_id
            or not permissions.can_link_as_tried_too(own, study)
        ):
            own_study_id = None  # only the council's own write-ups that every reader may read
    try:
        with db.session.begin_nested():
            db.session.add(
                TriedToo(
                    case_study_id=study.id,
                    user_id=user.id,
                    council_id=user.council_id,
                    own_study_id=own_study_id or None,
                )
            )
    except IntegrityError:
        return True
    return True


# What a report's target is, by its class.
REPORTED = {
    CaseStudy: ReportTarget.STUDY,
    Comment: ReportTarget.COMMENT,
    Question: ReportTarget.QUESTION,
    Answer: ReportTarget.ANSWER,
}


def report_subject(target_type: ReportTarget, reason: ReportReason) -> str:
    """A moderator's notification of a new report, in the language in force."""
    said = reason.label.lower()
    if target_type == ReportTarget.COMMENT:
        return _("New report: a comment (%(reason)s)", reason=said)
    if target_type == ReportTarget.QUESTION:
        return _("New report: a question (%(reason)s)", reason=said)
    if target_type == ReportTarget.ANSWER:
        return _("New report: an answer (%(reason)s)", reason=said)
    return _("New report: a case study (%(reason)s)", reason=said)


def file_report(reporter: User, target, reason: ReportReason, details: str):
    """Report a study, a comment, a question or an answer to the moderators."""
    target_type = REPORTED[type(target)]
    report = Report(
        reporter_id=reporter.id,
        target_type=target_type,
        target_id=target.id,
        reason=reason,
        details=details or "",
    )
    db.session.add(report)
    db.session.flush()
    # The log keeps the reason in English, whoever filed it: the log page shows it in its
    # reader's language (board/moderation/queries.py stored_reason).
    with force_locale(ENGLISH):
        reason_in_english = reason.label
    audit.record(reporter, LogAction.REPORT_FILED, report.id, reason_in_english)
    moderators = db.session.scalars(
        select(User).where(User.role.in_([Role.MODERATOR, Role.ADMIN]), User.active.is_(True))
    )
    for moderator in moderators:
        if moderator.id != reporter.id:
            with in_language_of(moderator):
                notify(
                    moderator,
                    report_subject(target_type, reason),
                    (details or "")[:300],
                    url_for("moderation.reports") + f"#report-{report.id}",
                    email=False,
                )
    return report


def hide_comment(
    comment: Comment, moderator: User, reason: str, resolve_reports: bool = True
) -> None:
    """Hide a comment; hiding is what its open reports asked for, so they are resolved (and
    logged) too, unless the moderator chooses to keep them open."""
    if comment.hidden_at is not None:
        raise DiscussionError(_("This comment is already hidden."))
    comment.hidden_at = utcnow()
    comment.hidden_reason = reason
    audit.record(moderator, LogAction.COMMENT_HIDDEN, comment.id, reason)
    if resolve_reports:
        for report in db.session.scalars(
            select(Report).where(
                Report.target_type == ReportTarget.COMMENT,
                Report.target_id == comment.id,
                Report.resolved_at.is_(None),
            )
        ):
            resolve_report(report, moderator, f"Comment hidden: {reason}"[:500])
    with in_language_of(comment.author):
        notify(comment.author, _("A moderator hid your comment"), reason, comment_link(comment))


def restore_comment(comment: Comment, moderator: User, reason: str) -> None:
    if comment.hidden_at is None:
        raise DiscussionError(_("This comment is not hidden."))
    comment.hidden_at = None
    comment.hidden_reason = ""
    audit.record(moderator, LogAction.COMMENT_RESTORED, comment.id, reason)
    with in_language_of(comment.author):
        notify(
            comment.author, _("A moderator restored your comment"), reason, comment_link(comment)
        )


def resolve_report(report: Report, moderator: User, note: str) -> None:
    if report.resolved_at is not None:
        raise DiscussionError(_("This report is already resolved."))
    report.resolved_at = utcnow()
    report.resolved_by_id = moderator.id
    report.resolution = note or ""
    audit.record(moderator, LogAction.REPORT_RESOLVED, report.id, note)
