"""Pages that belong to no feature: liveness check and static pages."""

from flask import Blueprint

bp = Blueprint("core", __name__)

from board.core import routes  # noqa: E402, F401
