from flask import jsonify
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
