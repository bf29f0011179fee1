"""Case-study pages: reading, writing and the lifecycle."""

from flask import Blueprint

bp = Blueprint("case_studies", __name__)

from board.case_studies import routes  # noqa: E402, F401
