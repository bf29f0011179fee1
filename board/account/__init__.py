"""A person's own account: the devices signed in as them, and their password."""

from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")

from board.account import council_request, routes  # noqa: E402, F401
