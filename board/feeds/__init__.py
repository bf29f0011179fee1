"""Atom feeds of the board: /feeds/latest.atom takes the board's filters; /feeds/questions.atom
has the newest public questions, by topic."""

from flask import Blueprint

from board import http_cache

bp = Blueprint("feeds", __name__)


@bp.record_once
def _open_data(state) -> None:
    """The same for everyone who asks: no session, shareable by caches (board/http_cache.py)."""
    http_cache.open_data(state.app, "/feeds/")


from board.feeds import atom, links, questions, routes  # noqa: E402, F401
