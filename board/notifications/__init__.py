"""Notifications: what happened to a person's studies, in-app and by email."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from board.notifications import routes  # noqa: E402, F401
