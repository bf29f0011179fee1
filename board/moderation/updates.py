"""Moderators' review of updates to published studies ("six months on"): a page with the
study, its outcome now, the update as it will be shown, and the decision, like a revision's."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from board import permissions
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db
from board.models import RevisionStatus
from board.moderation import bp
from board.moderation.forms import APPROVE, REJECT, REQUEST_CHANGES, DecisionForm
from board.updates import services
from board.updates.queries import load_update

DONE = {
    APPROVE: _l("You approved the update to “%(title)s”. It is on the case study's timeline."),
    REQUEST_CHANGES: _l(
        "You asked for changes to the update to “%(title)s”. Its author has been told."
    ),
    REJECT: _l("You rejected the update to “%(title)s”. Its author has been told why."),
}


def _may_not_decide(update) -> str | None:
    if permissions.has_conflict_of_interest(current_user, update.study.council_id):
        return _("This is your council's work, so a moderator from another council decides on it.")
    if update.author_id == current_user.id:
        return _("You wrote this, so another moderator must review it.")
    return None


def _review_page(update, form: DecisionForm, status: int = 200):
    return render_template(
        "moderation/review_update.html",
        update=update,
        study=update.study,
        waiting=update.status is RevisionStatus.SUBMITTED,
        refusal=_may_not_decide(update),
        form=form,
    ), status


@bp.get("/updates/<int:update_id>")
def review_update(update_id: int):
    return _review_page(load_update(None, update_id), DecisionForm(formdata=None))


@bp.post("/updates/<int:update_id>/decision")
@keeps_input_on_csrf_failure
def decide_update(update_id: int):
    update = load_update(None, update_id)
    if _may_not_decide(update):
        abort(403)  # their own council's work or their own writing: another moderator decides
    form = DecisionForm()
    if not form.validate_on_submit():
        return _review_page(update, form, 422)
    title = update.study.title
    decision = form.decision.data
    try:
        if decision == APPROVE:
            services.approve(update, current_user)
        elif decision == REQUEST_CHANGES:
            services.request_changes(update, current_user, form.note)
        else:
            services.reject(update, current_user, form.note)
    except services.UpdateError as failure:
        db.session.rollback()
        flash(_("%(problem)s (“%(title)s”)", problem=failure, title=title), "error")
    else:
        db.session.commit()
        flash(DONE[decision] % {"title": title}, "success")
    return redirect(url_for(".queue"))
