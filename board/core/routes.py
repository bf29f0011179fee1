from datetime import date

from flask import current_app, jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from board.core import bp, readiness
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


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """Readiness: may this process take traffic? The database answers SELECT 1, and every
    Redis server the app is configured to use (rate limits, the results cache) answers a
    ping. 503 names the check that failed; never kept by any cache."""
    checks = {"database": readiness.database_check()}
    redis_urls = readiness.configured_redis_urls(current_app.config)
    if redis_urls:
        checks["redis"] = readiness.redis_check(redis_urls)
    ready = all(result == "ok" for result in checks.values())
    response = jsonify(status="ready" if ready else "unavailable", checks=checks)
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response


# The statement and notices every UK public-sector service publishes, linked from every page's
# footer. Plain pages for everyone, signed in or not. Their dates are written in the reader's
# language (the |date filter), so they are given here rather than in the text.
STATEMENT_PREPARED = date(2026, 11, 26)
STATEMENT_REVIEWED = date(2026, 11, 27)
PRIVACY_UPDATED = date(2026, 11, 27)


@bp.get("/accessibility")
def accessibility():
    return render_template(
        "core/accessibility.html", prepared=STATEMENT_PREPARED, reviewed=STATEMENT_REVIEWED
    )


@bp.get("/privacy")
def privacy():
    return render_template("core/privacy.html", updated=PRIVACY_UPDATED)


@bp.get("/cookies")
def cookies():
    return render_template("core/cookies.html")


@bp.get("/contact")
def contact():
    return render_template("core/contact.html")
