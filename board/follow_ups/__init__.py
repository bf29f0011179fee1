"""Follow-up prompts: "What happened next?", asked of a study's council six months after
publication and when its planned end passes while it is still ongoing."""

from flask import Blueprint

bp = Blueprint("follow_ups", __name__)

from board.follow_ups import cli, routes  # noqa: E402, F401
