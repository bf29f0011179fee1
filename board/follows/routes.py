from board.follows import bp  # noqa: F401
