"""Who may enter /admin, and its front page."""

from flask import abort, render_template
from flask_login import current_user

from board import permissions
from board.admin import bp
from board.extensions import login_manager


@bp.before_request
def admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not permissions.can_administer(current_user):
        abort(403)
    return None


@bp.get("")
def index():
    return render_template("admin/index.html")
