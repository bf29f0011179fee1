"""The council's side of updates: write one, correct it after a moderator asked for changes,
withdraw it. Moderators decide on them in board/moderation/updates.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from board import permissions
from board.case_studies.queries import load_study
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db, limiter, login_manager
from board.models import CaseStudy, RevisionStatus, StudyUpdate
from board.rate_limits import per_person, posting_limit
from board.updates import bp, services
from board.updates.forms import UpdateForm
from board.updates.queries import load_update


def _render_form(form, study, update=None, status: int = 200, **context):
    return (
        render_template("updates/form.html", form=form, study=study, update=update, **context),
        status,
    )


def _published_study(study_id: int) -> CaseStudy:
    """The study, or 404 when the person may not see it or it is not on the board."""
    study = load_study(study_id)
    if not study.is_published:
        abort(404)
    return study


def _refuse(study: CaseStudy, form: UpdateForm, update: StudyUpdate | None = None):
    """None when the current person may write an update of ``study``, otherwise the answer.

    A POST from someone whose session ended shows the form again with what they typed."""
    if not current_user.is_authenticated:
        if request.method == "POST":
            return _render_form(form, study, update, 401, session_expired=True)
        return login_manager.unauthorized()
    if not permissions.can_write_update(study, current_user):
        abort(403)
    return None


def _refuse_other_councils(study: CaseStudy) -> None:
    """403 for a signed-in person who may not write updates of ``study``, before any update is
    looked up: whether one exists is its council's business."""
    if current_user.is_authenticated and not permissions.can_write_update(study, current_user):
        abort(403)


@bp.route("/studies/<int:study_id>/updates/new", methods=["GET", "POST"])
@limiter.limit(posting_limit, key_func=per_person, methods=["POST"])
@keeps_input_on_csrf_failure
def new(study_id: int):
    study = _published_study(study_id)
    form = UpdateForm(current_outcome=study.outcome)
    refused = _refuse(study, form)
    if refused:
        return refused
    waiting = services.open_update_of(study.id)
    if waiting is not None:
        # One update at a time: say which one is open, and what can be done with it.
        return _render_form(
            form, study, waiting=waiting, status=409 if request.method == "POST" else 200
        )
    if request.method == "GET" or not form.validate():
        return _render_form(form, study, status=200 if request.method == "GET" else 422)
    try:
        services.submit(study, current_user, form.happened_on, form.body.data, form.outcome)
    except services.UpdateError as error:
        db.session.rollback()
        waiting = services.open_update_of(study.id)
        if waiting is not None:
            # A colleague's went in first: show theirs, and keep what this person typed.
            return _render_form(form, study, waiting=waiting, status=409)
        flash(str(error), "error")
        return redirect(url_for("case_studies.show", study_id=study.id, slug=study.slug))
    db.session.commit()
    flash(_("Your update is submitted. A moderator will look at it soon."), "success")
    return redirect(url_for("case_studies.show", study_id=study.id, slug=study.slug))


@bp.route("/studies/<int:study_id>/updates/<int:update_id>/edit", methods=["GET", "POST"])
@limiter.limit(posting_limit, key_func=per_person, methods=["POST"])
@keeps_input_on_csrf_failure
def edit(study_id: int, update_id: int):
    """Correct an update a moderator sent back, and submit it again."""
    study = _published_study(study_id)
    _refuse_other_councils(study)
    update = load_update(study.id, update_id)
    form = UpdateForm(current_outcome=study.outcome)
    refused = _refuse(study, form, update)
    if refused:
        return refused
    if update.status is not RevisionStatus.CHANGES_REQUESTED:
        waiting = services.open_update_of(study.id) if request.method == "POST" else None
        if waiting is not None:
            # A colleague sent it (or another) first: show it, and keep what this person typed.
            return _render_form(form, study, update, waiting=waiting, status=409)
        flash(
            _(
                "Only an update a moderator sent back for changes can be changed. "
                "Withdraw a waiting update to write it again."
            ),
            "error",
        )
        return redirect(url_for("case_studies.show", study_id=study.id, slug=study.slug))
    if request.method == "GET":
        form.fill_from(update)
        return _render_form(form, study, update)
    if not form.validate():
        return _render_form(form, study, update, 422)
    try:
        services.resubmit(update, current_user, form.happened_on, form.body.data, form.outcome)
    except services.UpdateError as error:
        db.session.rollback()
        waiting = services.open_update_of(study.id)
        if waiting is not None:
            return _render_form(form, study, update, waiting=waiting, status=409)
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Your update is submitted again. A moderator will look at it soon."), "success")
    return redirect(url_for("case_studies.show", study_id=study.id, slug=study.slug))


@bp.post("/studies/<int:study_id>/updates/<int:update_id>/withdraw")
def withdraw(study_id: int, update_id: int):
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    study = _published_study(study_id)
    _refuse_other_councils(study)
    update = load_update(study.id, update_id)
    try:
        services.withdraw(update, current_user)
    except services.UpdateError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Your update was withdrawn."), "success")
    return redirect(url_for("case_studies.show", study_id=study.id, slug=study.slug))
