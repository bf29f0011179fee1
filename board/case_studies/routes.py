from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from board.case_studies import bp
from board.case_studies.queries import can_view_study, published_studies_query
from board.extensions import db
from board.htmx import render_page_or_block
from board.models import CaseStudy


@bp.get("/")
def board():
    page = db.paginate(
        published_studies_query(current_user),
        per_page=current_app.config["PER_PAGE"],
        max_per_page=100,
        error_out=False,
    )
    return render_page_or_block("case_studies/board.html", "results", page=page)


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
