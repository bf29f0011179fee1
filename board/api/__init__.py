"""Open data: a read-only JSON API of published public studies, its CSV, its OpenAPI
description and the page at /api that explains them.

Every answer under /api/v1 is the one a visitor gets, whoever asks: the request's session is
set aside before anything reads it (board/api/problems.py), so no answer depends on who is
signed in, none carries a cookie, and members-only or unpublished studies can never appear.
"""

import os

from flask import Blueprint

bp = Blueprint("api", __name__)

# Requests per client address to everything under /api/v1, together.
DEFAULT_RATE_LIMIT = "120 per minute;2000 per hour"


@bp.record_once
def _settings(state) -> None:
    state.app.config.setdefault(
        "API_RATE_LIMIT", os.environ.get("API_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    )


from board.api import problems, questions, routes  # noqa: E402, F401
