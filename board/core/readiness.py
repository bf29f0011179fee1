"""The checks behind /readyz: the database, and the Redis servers the app is configured to use.

Each check is bounded in time (a second for Redis; the database's own connect timeout), so a
load balancer's probe gets an answer even when what it asks about is down.
"""

from __future__ import annotations

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from board.extensions import db

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
REDIS_TIMEOUT = 1.0


def database_check() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        current_app.logger.warning("readiness: the database did not answer: %s", error)
        db.session.rollback()
        return "unreachable"
    return "ok"


def configured_redis_urls(config) -> list[str]:
    """The Redis servers the app uses: the rate limits' storage and the results cache."""
    urls = []
    storage = config.get("RATELIMIT_STORAGE_URI") or ""
    if storage.startswith(REDIS_SCHEMES):
        urls.append(storage)
    redis_cache = config.get("CACHE_TYPE") in ("RedisCache", "flask_caching.backends.RedisCache")
    if redis_cache and config.get("CACHE_REDIS_URL"):
        urls.append(config["CACHE_REDIS_URL"])
    return list(dict.fromkeys(urls))


def _client(url: str) -> Redis:
    # One client (and so one connection pool) a server, kept for the process's life.
    clients = current_app.extensions.setdefault("readiness_redis", {})
    if url not in clients:
        clients[url] = Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
        )
    return clients[url]


def redis_check(urls: list[str]) -> str:
    for url in urls:
        try:
            _client(url).ping()
        except (RedisError, OSError) as error:
            current_app.logger.warning("readiness: Redis did not answer: %s", error)
            return "unreachable"
    return "ok"
