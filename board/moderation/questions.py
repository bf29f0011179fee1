"""Hiding or restoring a question or an answer, with a reason its writer is told. Only
moderators reach these routes (see moderators_only in routes.py); a moderator does not decide
on their own council's question or answer."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from board import permissions
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db
from board.models import Answer, Question
from board.moderation import bp
from board.moderation.forms import CommentVisibilityForm
from board.questions import services
from board.questions.links import question_link
from board.security import is_safe_redirect

DONE = {
    ("question", "hide"): _l("Question hidden; its asker has been told why."),
    ("question", "restore"): _l("Question restored; its asker has been told."),
    ("answer", "hide"): _l("Answer hidden; its author has been told why."),
    ("answer", "restore"): _l("Answer restored; its author has been told."),
}


def _change_visibility(kind: str, target, action: str):
    form = CommentVisibilityForm(action=action)
    if form.validate_on_submit():
        try:
            if action == "hide":
                hide = services.hide_question if kind == "question" else services.hide_answer
                hide(target, current_user, form.reason.data, not form.keep_report_open.data)
            else:
                restore = (
                    services.restore_question if kind == "question" else services.restore_answer
                )
                restore(target, current_user, form.reason.data)
        except services.QuestionError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(str(DONE[(kind, action)]), "success")
        next_url = request.form.get("next")
        question = target if kind == "question" else target.question
        return redirect(next_url if is_safe_redirect(next_url) else question_link(question))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "moderation/question_visibility.html",
        kind=kind,
        target=target,
        action=action,
        form=form,
        next=request.values.get("next", ""),
    ), status


@bp.route("/questions/<int:question_id>/<any(hide, restore):action>", methods=["GET", "POST"])
@keeps_input_on_csrf_failure
def question_visibility(question_id: int, action: str):
    """Hide a question, or restore it, with a reason its asker is told."""
    question = db.get_or_404(Question, question_id)
    if not permissions.can_moderate_question(question, current_user):
        abort(403)  # their own council's question: a moderator from elsewhere decides
    return _change_visibility("question", question, action)


@bp.route("/answers/<int:answer_id>/<any(hide, restore):action>", methods=["GET", "POST"])
@keeps_input_on_csrf_failure
def answer_visibility(answer_id: int, action: str):
    """Hide an answer, or restore it, with a reason its author is told."""
    answer = db.get_or_404(Answer, answer_id)
    if not permissions.can_moderate_answer(answer, current_user):
        abort(403)
    return _change_visibility("answer", answer, action)
