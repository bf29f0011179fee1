"""Follows: a member follows a topic, a council, a study or a saved search, and manages them
at /account/following."""

from flask import Blueprint

bp = Blueprint("follows", __name__)

from board.follows import routes  # noqa: E402, F401
