"""Accounts: register, confirm email, sign in and sign out."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from board.auth import routes  # noqa: E402, F401
