"""Questions: "Has any council tried...?" asked at /questions, answered by councils with their
experience (and a study when they have one), marked "This helped" by the asker's council."""

from flask import Blueprint

bp = Blueprint("questions", __name__)

from board.questions import answers, routes  # noqa: E402, F401
