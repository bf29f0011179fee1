from flask import flash, redirect, render_template, url_for
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


@bp.post("/read")
@login_required
def mark_all_read():
    db.session.execute(
        db.update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    flash("All notifications are marked as read.", "success")
    return redirect(url_for(".index"))
