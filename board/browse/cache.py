"""The board's results cache.

Finding and rendering a page of results (its queries and twenty cards) costs several times
what the rest of the page does, and most people ask for the same few views. Each rendered block
is kept under a key made of the board's change counter (board/models/board_version.py), who may
see it (everyone, or signed-in members, who also see members-only studies), and exactly what was
asked. Any change to a study, its topics, a council or a topic moves the counter on, in the same
transaction, so an entry is never served once the data it shows has changed; old entries are
never read again and expire by themselves.

CACHE_TYPE chooses where entries live: SimpleCache (each process its own, the default),
RedisCache (shared by every worker, with CACHE_REDIS_URL) or NullCache (no caching).
"""

from __future__ import annotations

import hashlib
import json

from flask import Flask, request
from flask_caching import Cache
from sqlalchemy import select

from board.extensions import db
from board.models import BOARD_VERSION_ID, BoardVersion, User
from board.permissions import can_see_members_only

results_cache = Cache()
# Part of every key: bumped when what an entry holds changes shape (it is now the block's HTML,
# the URL to push and the page title), so that a shared cache never hands new code an old entry.
ENTRY_FORMAT = 2


def init_app(app: Flask) -> None:
    app.config.setdefault("CACHE_KEY_PREFIX", "caseboard:")
    results_cache.init_app(app)


def board_version() -> int | None:
    return db.session.scalar(
        select(BoardVersion.version).where(BoardVersion.id == BOARD_VERSION_ID)
    )


def entry_key(viewer: User | None, block: str, *flags) -> str | None:
    """The key for ``block`` of this request's listing as ``viewer`` sees it; None when the
    counter cannot be read (then nothing is cached)."""
    version = board_version()
    if version is None:
        return None
    audience = "members" if can_see_members_only(viewer) else "public"
    asked = sorted(request.args.items(multi=True))
    raw = json.dumps(
        [ENTRY_FORMAT, version, audience, block, request.endpoint, request.view_args, asked, flags]
    )
    return "board:" + hashlib.sha256(raw.encode()).hexdigest()


def get(key: str | None):
    return results_cache.get(key) if key else None


def put(key: str | None, value) -> None:
    if key:
        results_cache.set(key, value)
