from flask import current_app
from flask_login import current_user

from board.browse import bp
from board.browse.queries import published_studies_query
from board.extensions import db
from board.htmx import render_page_or_block


@bp.get("/")
def board():
    page = db.paginate(
        published_studies_query(current_user),
        per_page=current_app.config["PER_PAGE"],
        max_per_page=100,
        error_out=False,
    )
    return render_page_or_block("browse/board.html", "results", page=page)
