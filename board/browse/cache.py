"""The board's results cache.

Finding and rendering a page of results (its queries and twenty cards) costs several times
what the rest of the page does, and most people ask for the same few views. Each rendered block
is kept under a key made of the board's change counter (board/models/board_version.py), who may
see it (everyone, or signed-in members, who also see members-only studies), and exactly what was
asked, for at most BOARD_CACHE_MAX_AGE seconds.

Why no one is shown a stale study:

- Database triggers move the counter on, in the same transaction, whenever a study is added,
  removed, published, unpublished, withdrawn, edited, made members-only or public, moved to
  another council, or its topics change, and whenever a council or a topic changes: every column
  the board shows, filters or searches on (migrations 0003 and 0008). Whatever code makes the
  change, even SQL typed by hand, the counter moves with it or not at all (a rolled-back change
  leaves it).
- A listing's request reads the counter before its view reads anything (read_the_counter_first)
  and stores its entry under the counter it read. A change and its bump commit together, so every
  read after that sees at least the data that counter stands for: an entry never holds data
  older than its key says. A change committed while a page renders may already be in the entry
  stored under the older counter, which does no harm; it is never missing from an entry stored
  under the newer one.
- Once the counter moves, no request asks for an old key again; old entries expire unread.

Counts that move constantly are the exception, by design. A "Useful" mark changes only
``useful_count`` (and keeps ``updated_at`` as it is), which the triggers ignore, so marking does
not throw away every cached page. Entries expire after BOARD_CACHE_MAX_AGE (60 seconds unless
set), so a card's useful count, and the "most useful" order built from the same counts, are at
most that old. Each entry is internally consistent (its order is the order of the counts it
shows); two pages of "most useful" rendered at different moments within that time may disagree,
so a study whose count just moved can be on both or neither. Comments, "we tried this too",
reports, notifications and sessions are kept in other tables and never move the counter; the
board does not show them.

Why members-only studies never leak: the audience ("members" for signed-in verified members,
"public" for everyone else, from board.permissions.can_see_members_only) is part of every key,
so a visitor's request can only ever find entries rendered for visitors. A study made
members-only (or public) changes ``visibility``, a watched column, so entries rendered before
the change are never read again.

Every listing response says whether its block came from the cache, in a header a load
generator can count from outside: ``Server-Timing: results-cache;desc="hit"`` (or ``"miss"``).

CACHE_TYPE chooses where entries live: SimpleCache (each process its own, the default),
RedisCache (shared by every worker, with CACHE_REDIS_URL) or NullCache (no caching).
"""

from __future__ import annotations

import hashlib
import json

from flask import Flask, Response, current_app, g, request
from flask_caching import Cache
from sqlalchemy import select

from board.extensions import db
from board.i18n import current_language
from board.models import BOARD_VERSION_ID, BoardVersion, Topic, User
from board.permissions import can_see_members_only

results_cache = Cache()
# Part of every key: bumped when what an entry holds changes shape (it is now the block's HTML,
# the URL to push and the page title), so that a shared cache never hands new code an old entry.
ENTRY_FORMAT = 2


# The Server-Timing metric that says whether a listing's block came from the cache.
TIMING_METRIC = "results-cache"


# The blueprint whose views are listings (the board, topic pages and council pages).
LISTINGS = "browse"


def init_app(app: Flask) -> None:
    app.config.setdefault("CACHE_KEY_PREFIX", "caseboard:")
    app.config.setdefault("BOARD_CACHE_MAX_AGE", 60)
    results_cache.init_app(app)
    app.before_request(read_the_counter_first)
    app.after_request(say_whether_cached)


# Built once: SQLAlchemy works out a statement's cache key once per statement object, and
# every listing request reads the counter. A plain statement on the table, run on the session's
# connection (in its transaction): a single number needs none of the ORM's work on results.
_COUNTER = BoardVersion.__table__
BOARD_VERSION = select(_COUNTER.c.version).where(_COUNTER.c.id == BOARD_VERSION_ID)


def board_version() -> int | None:
    return db.session.connection().scalar(BOARD_VERSION)


# Every topic, in order (there are seven), kept for one value of the counter.
TOPICS = select(Topic).order_by(Topic.position)


def topics_at(version: int | None) -> tuple[Topic, ...]:
    """Every topic, in order, read once for each value of the board's change counter, which
    moves whenever a topic changes (a trigger on ``topics``). A page reads the counter before
    anything else it shows, so topics kept under the counter it read are at least as new as the
    counter says, as its cached blocks are. They are kept detached from any session (nothing a
    request commits expires them) and hold no one's data: their names are given in each
    request's language. One counter's topics are kept per app, as one (counter, topics) pair
    replaced whole, so another thread reads one pair or the other; without a counter (it could
    not be read) they are read afresh."""
    if version is None:
        return tuple(db.session.scalars(TOPICS).all())
    kept_version, topics = current_app.extensions.get("board_topics", (None, ()))
    if kept_version != version:
        topics = tuple(db.session.scalars(TOPICS).all())
        for topic in topics:
            db.session.expunge(topic)
        current_app.extensions["board_topics"] = (version, topics)
    return topics


def read_the_counter_first() -> None:
    """Read the counter before a listing's view reads anything it shows (a topic page loads its
    topic first), so that no entry holds data older than the counter it is stored under."""
    if request.blueprint == LISTINGS:
        g.board_version = board_version()


def entry_key(viewer: User | None, block: str, *flags) -> str | None:
    """The key for ``block`` of this request's listing as ``viewer`` sees it; None when the
    counter cannot be read (then nothing is cached)."""
    version = g.board_version if "board_version" in g else board_version()
    if version is None:
        return None
    audience = "members" if can_see_members_only(viewer) else "public"
    asked = sorted(request.args.items(multi=True))
    # The interface's language: a block rendered in Welsh is never shown to an English reader.
    language = current_language()
    raw = json.dumps(
        [
            ENTRY_FORMAT,
            version,
            audience,
            language,
            block,
            request.endpoint,
            request.view_args,
            asked,
            flags,
        ]
    )
    return "board:" + hashlib.sha256(raw.encode()).hexdigest()


def get(key: str | None):
    """The entry under ``key``, or None; recorded for this response's Server-Timing header."""
    entry = results_cache.get(key) if key else None
    g.results_cache = "miss" if entry is None else "hit"
    return entry


def put(key: str | None, value) -> None:
    """Keep ``value`` under ``key`` for BOARD_CACHE_MAX_AGE seconds: how old a useful count
    shown from the cache may be."""
    max_age = current_app.config["BOARD_CACHE_MAX_AGE"]
    # The cache reads a timeout of 0 as "never expires": here it means "do not keep".
    if key and max_age > 0:
        results_cache.set(key, value, timeout=max_age)


def say_whether_cached(response: Response) -> Response:
    """Add ``Server-Timing: results-cache;desc="hit"`` (or "miss") to a listing's response."""
    outcome = g.get("results_cache")
    if outcome is not None:
        metric = f'{TIMING_METRIC};desc="{outcome}"'
        earlier = response.headers.get("Server-Timing")
        response.headers["Server-Timing"] = f"{earlier}, {metric}" if earlier else metric
    return response
