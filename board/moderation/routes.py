from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from board import permissions
from board.audit import label_for
from board.case_studies import services
from board.case_studies.queries import load_study
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db, login_manager
from board.forms import without_control_characters
from board.lifecycle import awaiting_review
from board.moderation import bp, queries
from board.moderation.forms import DecisionForm, UnpublishForm
from board.security import is_safe_redirect


@bp.before_request
def moderators_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not permissions.can_moderate(current_user):
        abort(403)
    return None


@bp.get("")
def queue():
    return render_template("moderation/queue.html", items=queries.review_queue())


@bp.get("/log")
def log():
    page = db.paginate(
        queries.moderation_log_query(),
        per_page=current_app.config.get("LOG_PER_PAGE", 50),
        error_out=False,
    )
    return render_template(
        "moderation/log.html",
        page=page,
        targets=queries.log_targets(page.items, current_user),
        label_for=label_for,
        logged_at=logged_at,
        target_kinds=target_kinds(),
        stored_reason=queries.stored_reason,
    )


def target_kinds() -> dict[str, str]:
    """What a log entry's target is called, where it no longer exists to be named."""
    return {
        "case_study": _("Case study"),
        "user": _("User"),
        "report": _("Report"),
        "comment": _("Comment"),
        "council": _("Council"),
        "council_request": _("Council request"),
        "topic": _("Topic"),
        "question": _("Question"),
        "answer": _("Answer"),
    }


def logged_at(moment) -> str:
    """A log entry's date and time, in the page's language: "5 Mar 2026 14:30"."""
    return format_datetime(moment, "d MMM y HH:mm")


# What each decision does, and what the moderator is told it did (about which study, and that
# the author knows). ``study`` is the case study, ``note`` what the author is told, ``title``
# the title under review and ``edit`` whether that is an edit of a published study.
DECISIONS = {
    "approve": (
        lambda study, note: services.approve(study, current_user),
        lambda title, edit: (
            _("You approved the changes to “%(title)s”. They are now published.", title=title)
            if edit
            else _("You approved “%(title)s”. It is now published on the board.", title=title)
        ),
    ),
    "request-changes": (
        lambda study, note: services.request_changes(study, current_user, note),
        lambda title, edit: _(
            "You asked for changes to “%(title)s”. The author has been told what to change.",
            title=title,
        ),
    ),
    "reject": (
        lambda study, note: services.reject(study, current_user, note),
        lambda title, edit: (
            _("You rejected the changes to “%(title)s”. The author has been told why.", title=title)
            if edit
            else _("You rejected “%(title)s”. The author has been told why.", title=title)
        ),
    ),
    "unpublish": (
        lambda study, note: services.unpublish(study, current_user, note),
        lambda title, edit: _(
            "You took “%(title)s” off the board. The author has been told why.", title=title
        ),
    ),
}


def _may_not_decide(study) -> str | None:
    """Why the signed-in moderator may not decide on this study, if they may not."""
    if permissions.has_conflict_of_interest(current_user, study.council_id):
        return _("This is your council's work, so a moderator from another council decides on it.")
    pending = awaiting_review(study)
    if pending is not None and pending.author_id == current_user.id:
        return _("You wrote this, so another moderator must review it.")
    return None


def _review_page(study, form: DecisionForm, status: int = 200):
    return render_template(
        "moderation/review.html",
        study=study,
        item=queries.queue_item_for(study),
        pending=awaiting_review(study),
        refusal=_may_not_decide(study),
        form=form,
    ), status


@bp.get("/studies/<int:study_id>")
def review(study_id: int):
    """The whole study as it will be published, or what an edit changes, and the decision."""
    return _review_page(load_study(study_id), DecisionForm(formdata=None))


@bp.post("/studies/<int:study_id>/decision")
@keeps_input_on_csrf_failure
def decision(study_id: int):
    study = load_study(study_id)
    if _may_not_decide(study):
        abort(403)  # their own council's work or their own writing: another moderator decides
    form = DecisionForm()
    if not form.validate_on_submit():
        return _review_page(study, form, 422)
    pending = awaiting_review(study) or study
    title, edit = pending.title, pending is not study
    change, done = DECISIONS[form.decision.data]
    try:
        change(study, form.note)
    except services.LifecycleError as failure:
        db.session.rollback()
        flash(_("%(problem)s (%(title)s)", problem=failure, title=title), "error")
    else:
        db.session.commit()
        # Back to the queue, where the success banner takes focus and says what was decided.
        flash(done(title, edit), "success")
    return redirect(url_for(".queue"))


@bp.post("/studies/<int:study_id>/<any(approve, 'request-changes', reject, unpublish):decision>")
@keeps_input_on_csrf_failure
def decide(study_id: int, decision: str):
    study = load_study(study_id)
    if permissions.has_conflict_of_interest(current_user, study.council_id):
        abort(403)  # their own council's work: another council's moderator decides
    if decision == "unpublish":
        return _unpublish(study)
    if g.get("csrf_refusal"):
        abort(400)  # the CSRF check failed, and these carry nothing typed to show again
    change, done = DECISIONS[decision]
    error = None
    try:
        # Read without a form class: the same cleaning every form applies (PostgreSQL refuses NUL).
        change(study, without_control_characters(request.form.get("note", "")).strip())
    except services.LifecycleError as failure:
        db.session.rollback()
        error = str(failure)
    else:
        db.session.commit()

    flash(error or done(study.title, False), "error" if error else "success")
    next_url = request.form.get("next")
    return redirect(next_url if is_safe_redirect(next_url) else url_for(".queue"))


def _unpublish(study):
    """Take a published study off the board, with a reason the author is told. The form sits
    on the study's page; with a problem in it, its own page shows the problem and what was
    typed."""
    form = UnpublishForm()
    if not form.validate_on_submit():
        return render_template("moderation/unpublish.html", study=study, form=form), 422
    try:
        services.unpublish(study, current_user, form.note.data)
    except services.LifecycleError as failure:
        db.session.rollback()
        flash(str(failure), "error")
    else:
        db.session.commit()
        flash(DECISIONS["unpublish"][1](study.title, False), "success")
    return redirect(url_for("case_studies.show", study_id=study.id, slug=study.slug))


@bp.app_template_global()
def unpublish_form() -> UnpublishForm:
    """An empty unpublish form, for the moderation panel on a study's page."""
    return UnpublishForm(formdata=None)
