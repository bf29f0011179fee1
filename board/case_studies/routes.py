from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from board.case_studies import bp
from board.case_studies.queries import can_view_study
from board.extensions import db
from board.models import CaseStudy


@bp.get("/studies/<int:study_id>")
@bp.get("/studies/<int:study_id>/<slug>")
def show(study_id: int, slug: str | None = None):
    study = db.session.scalar(
        db.select(CaseStudy)
        .where(CaseStudy.id == study_id)
        .options(
            joinedload(CaseStudy.council),
            joinedload(CaseStudy.author),
            selectinload(CaseStudy.topics),
        )
    )
    # 404 rather than 403 for studies this person may not see: their existence stays private.
    if study is None or not can_view_study(study, current_user):
        abort(404)
    if slug != study.slug:
        return redirect(url_for(".show", study_id=study.id, slug=study.slug, **request.args), 301)
    return render_template("case_studies/show.html", study=study)
