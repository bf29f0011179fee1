from board.digests import bp  # noqa: F401
