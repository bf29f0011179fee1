"""Pages that belong to no feature: liveness check, and the accessibility statement, privacy
notice, cookies page and contact page linked from every page's footer."""

from flask import Blueprint

bp = Blueprint("core", __name__)

from board.core import routes  # noqa: E402, F401
