from flask import jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from board.core import bp
from board.extensions import db, limiter


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """Liveness and database check for load balancers and monitoring."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


# The statement and notices every UK public-sector service publishes, linked from every page's
# footer. Plain pages for everyone, signed in or not.
@bp.get("/accessibility")
def accessibility():
    return render_template("core/accessibility.html")


@bp.get("/privacy")
def privacy():
    return render_template("core/privacy.html")


@bp.get("/cookies")
def cookies():
    return render_template("core/cookies.html")


@bp.get("/contact")
def contact():
    return render_template("core/contact.html")
