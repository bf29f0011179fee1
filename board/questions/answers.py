"""Answers: writing one (with a study attached), "This helped", and writing it up as a study."""

from board.questions import bp  # noqa: F401


def answers_context(question, viewer) -> dict:
    """What templates/questions/_answers.html needs to show ``question``'s answers to
    ``viewer``."""
    return {}
