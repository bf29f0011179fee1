"""Administration (admins only): councils and the requests to add one, people and their roles,
and the seven topics' descriptions. Every change is written to the moderation log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from board.admin import council_requests, councils, overview, people, topics  # noqa: E402, F401
