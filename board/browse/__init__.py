"""Browsing: the board at /, topic pages and council pages."""

from flask import Blueprint

bp = Blueprint("browse", __name__)


@bp.record_once
def _start_the_cache(state) -> None:
    from board.browse import cache

    cache.init_app(state.app)


from board.browse import routes  # noqa: E402, F401
