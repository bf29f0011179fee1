"""Atom feeds of the board: /feeds/latest.atom takes the board's filters."""

from flask import Blueprint

bp = Blueprint("feeds", __name__)

from board.feeds import atom, links, routes  # noqa: E402, F401
