"""Conversations on published studies: comments with one level of replies, reactions
("Useful", "We tried this too") and reports to moderators."""

from flask import Blueprint

bp = Blueprint("comments", __name__)


@bp.app_context_processor
def _comment_rules() -> dict:
    from board.comments import rules

    # The study page and its fragments ask these who may do what to each comment.
    return {"comment_rules": rules}


from board.comments import routes  # noqa: E402, F401
