"""The follow-up page, "What happened next?", and its "No change yet" answer."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from board import permissions
from board.case_studies.queries import load_study
from board.extensions import db, login_manager
from board.follow_ups import bp, services
from board.models import CaseStudy
from board.models.base import utcnow


def _load_for_council(study_id: int) -> CaseStudy:
    """The published study a follow-up is about, for its council's verified members: 404 when
    the person may not see it (or it is not published: there is nothing to follow up), 403 when
    they may see it but are not of its council."""
    study = load_study(study_id)
    if not study.is_published:
        abort(404)
    if not permissions.can_answer_follow_up(study, current_user):
        abort(403)
    return study


@bp.get("/studies/<int:study_id>/follow-up")
def show(study_id: int):
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    study = _load_for_council(study_id)
    open_prompts = db.session.scalars(services.open_prompts_query(study.id)).all()
    now = utcnow()
    return render_template(
        "follow_ups/show.html",
        study=study,
        open_prompts=open_prompts,
        reasons=[services.prompt_reason(prompt, study) for prompt in open_prompts],
        waiting=services.pending_snooze(study.id),
        next_question_at=services.next_question_at(study, now),
        snooze_due=services.snoozed_due(now),
        update_in_review=services.has_update_in_review(study.id),
        update_path=url_for("updates.new", study_id=study.id),
    )


@bp.post("/studies/<int:study_id>/follow-up/no-change")
def no_change(study_id: int):
    if not current_user.is_authenticated:
        # Signed in again, they come back to the page, not to this form's address.
        return redirect(url_for("auth.login", next=url_for(".show", study_id=study_id)))
    study = _load_for_council(study_id)
    asked_again_at = services.snooze(study, current_user)
    db.session.commit()
    if asked_again_at is not None:
        flash(
            _(
                "Thank you. We will ask your council again on %(day)s.",
                day=_day(asked_again_at),
            ),
            "success",
        )
    else:
        # Pressed twice, or after a colleague answered: nothing was waiting, nothing changes.
        next_at = services.next_question_at(study, utcnow())
        flash(
            _(
                "No question about this case study was waiting for an answer. "
                "We will ask your council again on %(day)s.",
                day=_day(next_at),
            )
            if next_at
            else _("No question about this case study was waiting for an answer."),
            "success",
        )
    return redirect(url_for("case_studies.show", study_id=study.id, slug=study.slug))


def _day(moment) -> str:
    """ "5 March 2027" / "5 Mawrth 2027": the day in the interface's language."""
    return format_date(moment.date(), "d MMMM y")
