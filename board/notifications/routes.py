from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from board.extensions import db
from board.models import Notification
from board.models.base import utcnow
from board.notifications import bp


@bp.get("")
@login_required
def index():
    notifications = db.session.scalars(
        db.select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(100)
    ).all()
    return render_template("notifications/index.html", notifications=notifications)


@bp.post("/preferences")
@login_required
def preferences():
    """In-app notifications always; email about comments only for those who ask."""
    current_user.email_on_comments = request.form.get("email_on_comments") == "yes"
    db.session.commit()
    flash(
        _("We will email you about comments on your case studies.")
        if current_user.email_on_comments
        else _("We will no longer email you about comments."),
        "success",
    )
    return redirect(url_for(".index"))


@bp.post("/read")
@login_required
def mark_all_read():
    db.session.execute(
        db.update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for(".index"))
