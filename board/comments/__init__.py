"""Conversations on published studies: comments with one level of replies, reactions
("Useful", "We tried this too") and reports to moderators."""

from flask import Blueprint

bp = Blueprint("comments", __name__)


from board.comments import routes  # noqa: E402, F401
