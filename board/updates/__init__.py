"""Updates to published studies ("six months on"): written by the study's council at
/studies/<id>/updates/new, reviewed by moderators like a revision, shown as a timeline."""

from flask import Blueprint

bp = Blueprint("updates", __name__)

from board.updates import routes  # noqa: E402, F401
