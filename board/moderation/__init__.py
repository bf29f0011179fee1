"""Moderation: the review queue, decisions and the moderation log."""

from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

from board.moderation import members, questions, reports, routes, updates  # noqa: E402, F401
