"""Email digests of what members follow, sent by ``flask --app wsgi digests send``, and the
one-click unsubscribe at /unsubscribe/<token>."""

from flask import Blueprint

bp = Blueprint("digests", __name__)

from board.digests import cli, routes  # noqa: E402, F401
