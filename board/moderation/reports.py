"""Reports of studies, comments, questions and answers: the moderators' side
(/moderation/reports), and hiding or restoring a comment with a reason its author is told (a
question or an answer: board/moderation/questions.py). Only moderators reach these routes (see
moderators_only in routes.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from board import permissions
from board.comments import services
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db
from board.models import Answer, CaseStudy, Comment, Question, Report, ReportTarget
from board.moderation import bp
from board.moderation.forms import CommentVisibilityForm, ResolveReportForm
from board.moderation.queries import stored_reason
from board.security import is_safe_redirect

RECENTLY_RESOLVED = 20


def _targets(reports: list[Report]) -> dict[tuple[ReportTarget, int], object]:
    """The reported studies, comments, questions and answers: one query for each kind, for any
    number of reports."""
    study_ids = {r.target_id for r in reports if r.target_type is ReportTarget.STUDY}
    comment_ids = {r.target_id for r in reports if r.target_type is ReportTarget.COMMENT}
    targets: dict = {}
    if comment_ids:
        for comment in db.session.scalars(
            select(Comment)
            .where(Comment.id.in_(comment_ids))
            .options(joinedload(Comment.author), joinedload(Comment.case_study))
        ):
            targets[(ReportTarget.COMMENT, comment.id)] = comment
    if study_ids:
        for study in db.session.scalars(select(CaseStudy).where(CaseStudy.id.in_(study_ids))):
            targets[(ReportTarget.STUDY, study.id)] = study
    question_ids = {r.target_id for r in reports if r.target_type is ReportTarget.QUESTION}
    if question_ids:
        for question in db.session.scalars(
            select(Question)
            .where(Question.id.in_(question_ids))
            .options(joinedload(Question.author), joinedload(Question.council))
        ):
            targets[(ReportTarget.QUESTION, question.id)] = question
    answer_ids = {r.target_id for r in reports if r.target_type is ReportTarget.ANSWER}
    if answer_ids:
        for answer in db.session.scalars(
            select(Answer)
            .where(Answer.id.in_(answer_ids))
            .options(joinedload(Answer.author), joinedload(Answer.question))
        ):
            targets[(ReportTarget.ANSWER, answer.id)] = answer
    return targets


def _reports_page(bound_form=None, bound_report_id: int | None = None, status: int = 200):
    """The reports page; ``bound_form``, when given, is the resolve form of report
    ``bound_report_id`` as it was sent, shown again with its problem and what was typed."""

    def reports_where(*conditions, order, limit=None):
        query = (
            select(Report)
            .where(*conditions)
            .options(joinedload(Report.reporter))
            .order_by(order)
            .limit(limit)
        )
        return db.session.scalars(query).all()

    open_reports = reports_where(Report.resolved_at.is_(None), order=Report.created_at)
    resolved = reports_where(
        Report.resolved_at.is_not(None), order=Report.resolved_at.desc(), limit=RECENTLY_RESOLVED
    )
    resolve_forms = {
        report.id: (
            bound_form if report.id == bound_report_id else ResolveReportForm(formdata=None)
        )
        for report in open_reports
    }
    return render_template(
        "moderation/reports.html",
        open_reports=open_reports,
        resolved=resolved,
        targets=_targets([*open_reports, *resolved]),
        resolve_forms=resolve_forms,
        visibility_form=CommentVisibilityForm(formdata=None),
        bound_form=bound_form,
        stored_reason=stored_reason,
        bound_report_id=bound_report_id,
    ), status


@bp.get("/reports")
def reports():
    return _reports_page()


def _back(default: str):
    next_url = request.form.get("next")
    return redirect(next_url if is_safe_redirect(next_url) else default)


@bp.post("/reports/<int:report_id>/resolve")
@keeps_input_on_csrf_failure
def resolve_report(report_id: int):
    report = db.get_or_404(Report, report_id)
    target = _targets([report]).get((report.target_type, report.target_id))
    if not permissions.can_handle_report(report, target, current_user):
        abort(403)  # about their own council's work: a moderator from elsewhere handles it
    form = ResolveReportForm()
    if not form.validate_on_submit():
        return _reports_page(form, report.id, 422)
    try:
        services.resolve_report(report, current_user, form.note.data)
    except services.DiscussionError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Report resolved."), "success")
    return redirect(url_for(".reports"))


@bp.route("/comments/<int:comment_id>/<any(hide, restore):action>", methods=["GET", "POST"])
@keeps_input_on_csrf_failure
def comment_visibility(comment_id: int, action: str):
    """Hide a comment, or restore it, with a reason its author is told."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.deleted_at is not None:
        abort(404)
    if not permissions.can_moderate_comment(comment, current_user):
        abort(403)  # their own council's people or study: a moderator from elsewhere decides
    form = CommentVisibilityForm(action=action)
    if form.validate_on_submit():
        try:
            if action == "hide":
                services.hide_comment(
                    comment,
                    current_user,
                    form.reason.data,
                    resolve_reports=not form.keep_report_open.data,
                )
            else:
                services.restore_comment(comment, current_user, form.reason.data)
        except services.DiscussionError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                _("Comment hidden; its author has been told why.")
                if action == "hide"
                else _("Comment restored; its author has been told."),
                "success",
            )
        return _back(url_for(".reports"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "moderation/comment_visibility.html",
        comment=comment,
        action=action,
        form=form,
        next=request.values.get("next", ""),
    ), status
