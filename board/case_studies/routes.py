from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from board import permissions
from board.case_studies import bp, services
from board.case_studies.forms import StudyForm
from board.case_studies.pages import render_study_page
from board.case_studies.queries import council_studies_query, load_study
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db, limiter, login_manager
from board.models import CaseStudy, Topic
from board.rate_limits import per_person, posting_limit


def all_topics() -> list[Topic]:
    return list(db.session.scalars(db.select(Topic).order_by(Topic.position)))


@bp.get("/studies/<int:study_id>")
@bp.get("/studies/<int:study_id>/<slug>")
def show(study_id: int, slug: str | None = None):
    from urllib.parse import quote

    study = load_study(study_id)
    if slug != study.slug:
        # The query string is kept as it came, never passed to url_for: its keywords (_anchor,
        # _external, _scheme, study_id, slug) would reshape the address. Bytes a browser would
        # have escaped ("#", spaces, non-ASCII) are escaped, so it stays the query string.
        canonical = url_for(".show", study_id=study.id, slug=study.slug)
        query = quote(request.query_string, safe="!$&'()*+,/:;=?@[]~%")
        return redirect(f"{canonical}?{query}" if query else canonical, 301)
    return render_study_page(study)


@bp.get("/studies/mine")
def mine():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not permissions.can_write_studies(current_user):
        abort(403)
    studies = db.session.scalars(council_studies_query(current_user.council_id)).all()
    return render_template("case_studies/mine.html", studies=studies)


def _render_form(form: StudyForm, study: CaseStudy | None, status: int = 200, **context):
    return (
        render_template("case_studies/form.html", form=form, study=study, **context),
        status,
    )


def _refuse_writer(form: StudyForm, study: CaseStudy | None):
    """None when the current person may write; otherwise the response that says why not.

    A POST from someone whose session expired re-renders the form with everything they typed,
    so a long write-up is never lost: they sign in in another tab and submit again."""
    if not current_user.is_authenticated:
        if request.method == "POST":
            return _render_form(form, study, 401, session_expired=True)
        return login_manager.unauthorized()
    if not permissions.can_write_studies(current_user):
        return render_template("case_studies/cannot_write.html"), 403
    return None


def _save(form: StudyForm, study: CaseStudy | None):
    """Save the form as a draft, or save and submit it; re-render it when something is wrong."""
    action = request.form.get("action", "save")
    # One round: submitting checks what review needs together with everything else.
    if not form.validate(for_submission=action == "submit"):
        return _render_form(form, study, 422)
    if action == "preview":
        council = study.council if study else current_user.council
        return _render_form(form, study, preview=form.preview(council, current_user))
    study = study or services.create_study(current_user)
    content = services.working_copy(study, current_user)
    form.fill_content(content)
    services.set_topics(content, form.topics.data or [])
    db.session.flush()
    if action == "submit":
        services.submit_for_review(study, current_user)
        flash(_("Submitted for review. A moderator will look at it soon."), "success")
    else:
        flash(_("Your draft is saved."), "success")
    db.session.commit()
    return redirect(url_for(".show", study_id=study.id, slug=study.slug))


@bp.route("/studies/new", methods=["GET", "POST"])
@limiter.limit(posting_limit, key_func=per_person, methods=["POST"])
@keeps_input_on_csrf_failure
def new():
    form = StudyForm(topic_choices=all_topics())
    refused = _refuse_writer(form, None)
    if refused:
        return refused
    if request.method == "GET":
        return _render_form(form, None)
    return _save(form, None)


@bp.route("/studies/<int:study_id>/edit", methods=["GET", "POST"])
@limiter.limit(posting_limit, key_func=per_person, methods=["POST"])
@keeps_input_on_csrf_failure
def edit(study_id: int):
    form = StudyForm(topic_choices=all_topics())
    if not current_user.is_authenticated:
        return _refuse_writer(form, None)
    study = load_study(study_id)
    refused = _refuse_writer(form, study)
    if refused:
        return refused
    if not permissions.can_edit(study, current_user):
        abort(403)
    if request.method == "GET":
        form.fill_from(study.open_revision or study)
        return _render_form(form, study)
    return _save(form, study)


@bp.post("/studies/preview")
def preview():
    """The write-up as it would be published, for the htmx Preview button. Errors are for
    saving, not previewing: validate only works out the dates, and what is not understood
    is shown as not given."""
    if not permissions.can_write_studies(current_user):
        abort(403)
    form = StudyForm(topic_choices=all_topics())
    form.validate()
    preview = form.preview(current_user.council, current_user)
    return render_template("case_studies/_preview.html", preview=preview)


def _lifecycle_action(study_id: int, allowed, change):
    study = load_study(study_id)
    if not allowed(study, current_user):
        abort(403)
    try:
        message = change(study)
    except services.LifecycleError as error:
        flash(str(error), "error")
        return redirect(url_for(".show", study_id=study.id, slug=study.slug))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".show", study_id=study.id, slug=study.slug))


@bp.post("/studies/<int:study_id>/submit")
def submit(study_id: int):
    def change(study):
        services.submit_for_review(study, current_user)
        return _("Submitted for review. A moderator will look at it soon.")

    return _lifecycle_action(study_id, permissions.can_submit, change)


@bp.post("/studies/<int:study_id>/withdraw")
def withdraw(study_id: int):
    return _lifecycle_action(
        study_id, permissions.can_withdraw, lambda study: services.withdraw(study, current_user)
    )
