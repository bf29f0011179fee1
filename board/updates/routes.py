from board.updates import bp  # noqa: F401
