from board.follow_ups import bp  # noqa: F401
