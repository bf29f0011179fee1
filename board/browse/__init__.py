"""Browsing: the board at /, topic pages and council pages."""

from flask import Blueprint

bp = Blueprint("browse", __name__)

from board.browse import routes  # noqa: E402, F401
