from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from board import permissions
from board.audit import label_for
from board.case_studies import services
from board.case_studies.queries import load_study
from board.extensions import db, login_manager
from board.forms import without_control_characters
from board.htmx import is_htmx_request
from board.moderation import bp, queries
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
        titles=queries.study_titles(page.items),
        label_for=label_for,
    )


DECISIONS = {
    "approve": (
        lambda study, note: services.approve(study, current_user),
        "Approved and published",
    ),
    "request-changes": (
        lambda study, note: services.request_changes(study, current_user, note),
        "Changes requested; the author has been told",
    ),
    "reject": (
        lambda study, note: services.reject(study, current_user, note),
        "Rejected; the author has been told why",
    ),
    "unpublish": (
        lambda study, note: services.unpublish(study, current_user, note),
        "Unpublished; the author has been told why",
    ),
}


@bp.post("/studies/<int:study_id>/<any(approve, 'request-changes', reject, unpublish):decision>")
def decide(study_id: int, decision: str):
    study = load_study(study_id)
    if permissions.has_conflict_of_interest(current_user, study.council_id):
        abort(403)  # their own council's work: another council's moderator decides
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

    if is_htmx_request():
        item = queries.queue_item_for(study)
        template = "moderation/_queue_item.html" if error else "moderation/_decided_item.html"
        return render_template(template, item=item, error=error, done=done), 422 if error else 200
    flash(error or done, "error" if error else "success")
    next_url = request.form.get("next")
    return redirect(next_url if is_safe_redirect(next_url) else url_for(".queue"))
