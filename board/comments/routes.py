"""Comments, reactions and reports: every route works as a plain form post and, with htmx,
swaps only the part of the page that changed, and says where focus goes and what is announced
after the swap (``after_swap``)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from board import permissions
from board.case_studies.pages import render_study_page
from board.case_studies.queries import load_study
from board.comments import bp, services
from board.comments.discussion import count_for, load_reactions, tried_too_form
from board.comments.forms import EditCommentForm, ReportForm, TriedTooForm, comment_form
from board.converters import parse_id
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db, limiter, login_manager
from board.htmx import after_swap, is_htmx_request
from board.models import Answer, CaseStudy, Comment, Question, ReportReason
from board.questions.links import answer_link, question_link
from board.questions.queries import load_question
from board.rate_limits import per_person


def _comment_limit() -> str:
    return current_app.config["COMMENT_RATE_LIMIT"]


def _report_limit() -> str:
    return current_app.config["REPORT_RATE_LIMIT"]


def _study_url(study: CaseStudy, anchor: str = "") -> str:
    url = url_for("case_studies.show", study_id=study.id, slug=study.slug)
    return url + (f"#{anchor}" if anchor else "")


@bp.app_template_global()
def useful_words(count: int, marked: bool) -> str:
    """The count under the "Useful" button (templates/comments/_useful.html), also said after
    a change."""
    if marked:
        return ngettext(
            "%(num)d member found this useful, including you.",
            "%(num)d members found this useful, including you.",
            count,
        )
    return ngettext(
        "%(num)d member found this useful.", "%(num)d members found this useful.", count
    )


def _load_comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    load_study(comment.case_study_id)  # 404 unless the person may see the study
    return comment


def _require_participant():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not permissions.can_take_part(current_user):
        abort(403)
    return None


@bp.post("/studies/<int:study_id>/comments")
@limiter.limit(_comment_limit, key_func=per_person)
@keeps_input_on_csrf_failure
def add_comment(study_id: int):
    study = load_study(study_id)
    parent = None
    reply_to = request.form.get("reply_to", "")
    if reply_to:
        parent_id = parse_id(reply_to)
        if parent_id is None:
            abort(400)
        parent = db.session.get(Comment, parent_id)
        if parent is None or parent.case_study_id != study.id:
            abort(404)
    form = comment_form(parent)
    if not current_user.is_authenticated:
        # The session ended while they wrote: keep the text and say how to carry on.
        return _comment_form_response(study, form, parent, 401, session_expired=True)
    if not permissions.can_discuss(study, current_user):
        abort(403)
    if not form.validate_on_submit():
        return _comment_form_response(study, form, parent, 422)
    try:
        comment = services.post_comment(study, current_user, form.body.data, parent)
    except services.DiscussionError as error:
        db.session.rollback()
        form.body.errors = [str(error)]
        return _comment_form_response(study, form, parent, 422)
    db.session.commit()
    if is_htmx_request():
        body = render_template(
            "comments/_posted.html",
            study=study,
            can_discuss=True,
            comment=comment,
            parent=parent,
            form=comment_form(formdata=None),
            count=count_for(study, current_user),
        )
        said = _("Reply posted") if parent is not None else _("Comment posted")
        return after_swap(body, focus=f"#comment-{comment.id}", announce=said)
    if parent is not None:
        flash(_("Your reply has been posted."), "success")
    else:
        flash(_("Your comment has been posted."), "success")
    return redirect(_study_url(study, f"comment-{comment.id}"))


def _comment_form_response(study, form, parent, status: int, **context):
    """The form again, with what was typed and why it was not posted."""
    if is_htmx_request():
        template = "comments/_comment_form.html"
        return render_template(template, study=study, form=form, parent=parent, **context), status
    if parent is not None:
        page = "comments/reply.html"
        return render_template(page, study=study, form=form, parent=parent, **context), status
    return render_study_page(study, comment_form=form, **context), status


@bp.get("/comments/<int:comment_id>/reply")
def reply(comment_id: int):
    """The reply form: a page without JavaScript, or the form alone for htmx to put in place."""
    parent = _load_comment(comment_id)
    refused = _require_participant()
    if refused:
        return refused
    study = parent.case_study
    if not permissions.can_discuss(study, current_user) or parent.parent_id is not None:
        abort(403)
    form = comment_form(parent, formdata=None)
    if is_htmx_request():
        # The form opens under the comment; the person carries on typing in it.
        body = render_template("comments/_comment_form.html", study=study, form=form, parent=parent)
        return after_swap(body, focus=f"#{form.body.id}")
    return render_template("comments/reply.html", study=study, form=form, parent=parent)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@keeps_input_on_csrf_failure
def edit_comment(comment_id: int):
    comment = _load_comment(comment_id)
    refused = _require_participant()
    if refused:
        return refused
    study = comment.case_study
    if not permissions.can_edit_comment(comment, current_user):
        return render_template("comments/cannot_edit.html", study=study, comment=comment), 403
    form = EditCommentForm(obj=comment) if request.method == "GET" else EditCommentForm()
    if form.validate_on_submit():
        services.edit_comment(comment, form.body.data)
        db.session.commit()
        flash(_("Your comment has been updated."), "success")
        return redirect(_study_url(study, f"comment-{comment.id}"))
    status = 422 if request.method == "POST" else 200
    return render_template("comments/edit.html", study=study, comment=comment, form=form), status


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
def delete_comment(comment_id: int):
    """GET asks "are you sure?"; the page's form POSTs here and the comment is deleted."""
    comment = _load_comment(comment_id)
    refused = _require_participant()
    if refused:
        return refused
    if not permissions.can_delete_comment(comment, current_user):
        abort(403)
    if request.method == "GET":
        has_replies = db.session.scalar(
            db.select(Comment.id).where(Comment.parent_id == comment.id).limit(1)
        )
        return render_template(
            "comments/delete.html",
            study=comment.case_study,
            comment=comment,
            has_replies=has_replies is not None,
        )
    services.delete_comment(comment)
    db.session.commit()
    flash(_("Your comment has been deleted."), "success")
    return redirect(_study_url(comment.case_study, "discussion"))


def _study_to_react_to(study_id: int) -> CaseStudy:
    study = load_study(study_id)
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not permissions.can_react(study, current_user):
        abort(403)
    return study


@bp.post("/studies/<int:study_id>/useful")
@limiter.limit(_comment_limit, key_func=per_person)
def useful(study_id: int):
    study = _study_to_react_to(study_id)
    marked = services.toggle_useful(study, current_user)
    db.session.commit()
    db.session.refresh(study, ["useful_count"])
    if is_htmx_request():
        body = render_template("comments/_useful.html", study=study, marked=marked)
        said = _("Marked as useful.") if marked else _("No longer marked as useful.")
        words = useful_words(study.useful_count, marked)
        return after_swap(body, focus="#useful-button", announce=f"{said} {words}")
    flash(_("Marked as useful.") if marked else _("No longer marked as useful."), "success")
    return redirect(_study_url(study, "reactions"))


@bp.post("/studies/<int:study_id>/tried-too")
@limiter.limit(_comment_limit, key_func=per_person)
def tried_too(study_id: int):
    study = _study_to_react_to(study_id)
    choices = tried_too_form(study, current_user).own_study.choices
    form = TriedTooForm()
    form.own_study.choices = choices
    own_study_id = form.own_study.data if form.validate_on_submit() else None
    said = services.toggle_tried_too(study, current_user, own_study_id)
    db.session.commit()
    message = (
        _("Thank you: your council is listed as having tried this too.")
        if said
        else _("Your council is no longer listed as having tried this.")
    )
    if is_htmx_request():
        discussion = load_reactions(study, current_user)
        body = render_template("comments/_tried_too.html", study=study, discussion=discussion)
        return after_swap(body, focus="#tried-too-button", announce=message)
    flash(message, "success")
    return redirect(_study_url(study, "reactions"))


def _report_target(value: str):
    """The study, comment, question or answer a report form names ("study:12", "comment:34",
    "question:5", "answer:6"), if the person may see it."""
    kind, _, number = (value or "").partition(":")
    target_id = parse_id(number)
    if target_id is None:
        abort(400)
    if kind == "study":
        return load_study(target_id)
    if kind == "comment":
        comment = _load_comment(target_id)
        if not permissions.can_see_comment_text(comment, current_user):
            abort(404)
        return comment
    if kind == "question":
        return load_question(target_id)
    if kind == "answer":
        answer = db.session.get(Answer, target_id)
        if answer is None:
            abort(404)
        load_question(answer.question_id)  # 404 unless the person may see the question
        if answer.hidden_at is not None and not permissions.can_see_answer_text(
            answer, current_user
        ):
            abort(404)
        return answer
    abort(400)


@bp.get("/reports/new")
def new_report():
    refused = _require_participant()
    if refused:
        return refused
    target_value = request.args.get("target", "")
    target = _report_target(target_value)
    form = ReportForm(formdata=None, target=target_value)
    return render_template("comments/report.html", form=form, target=target)


@bp.post("/reports")
@limiter.limit(_report_limit, key_func=per_person)
@keeps_input_on_csrf_failure
def file_report():
    refused = _require_participant()
    if refused:
        return refused
    form = ReportForm()
    target = _report_target(form.target.data)
    if not form.validate_on_submit():
        return render_template("comments/report.html", form=form, target=target), 422
    services.file_report(current_user, target, ReportReason(form.reason.data), form.details.data)
    db.session.commit()
    flash(_("Thank you. A moderator will look at your report."), "success")
    if isinstance(target, Comment):
        return redirect(_study_url(target.case_study, f"comment-{target.id}"))
    if isinstance(target, Question):
        return redirect(question_link(target))
    if isinstance(target, Answer):
        return redirect(answer_link(target))
    return redirect(_study_url(target))
