"""Asking, listing and showing questions."""

from board.questions import bp  # noqa: F401
