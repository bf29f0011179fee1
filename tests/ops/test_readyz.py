"""/readyz: the database and the configured Redis servers, checked; 503 names what failed."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy.exc import OperationalError

from board.core import readiness
from board.extensions import db, limiter

# The machine's Redis (see .ci/run: the services are running before the tests start).
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def closed_port() -> int:
    """A port nothing listens on: bound, then closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_ready_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    # No Redis configured (the tests' rate limits are kept in memory): nothing to ping.
    assert response.json == {"status": "ready", "checks": {"database": "ok"}}


def test_never_cached(client, as_role):
    assert client.get("/readyz").headers["Cache-Control"] == "no-store"
    as_role("author")
    signed_in = client.get("/readyz")
    assert signed_in.status_code == 200
    assert "no-store" in signed_in.headers["Cache-Control"]
    assert "public" not in signed_in.headers["Cache-Control"]


def test_unavailable_when_the_database_fails(app, client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "checks": {"database": "unreachable"}}
    assert response.headers["Cache-Control"] == "no-store"


def test_ready_with_a_reachable_redis(app_with):
    app = app_with(
        RATELIMIT_STORAGE_URI=LOCAL_REDIS,
        CACHE_TYPE="RedisCache",
        CACHE_REDIS_URL="redis://127.0.0.1:6379/1",
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready", "checks": {"database": "ok", "redis": "ok"}}


@pytest.mark.parametrize("setting", ["RATELIMIT_STORAGE_URI", "CACHE_REDIS_URL"])
def test_unavailable_when_a_configured_redis_is_unreachable(app_with, setting):
    down = f"redis://127.0.0.1:{closed_port()}/0"
    config = {"CACHE_TYPE": "RedisCache", "RATELIMIT_STORAGE_URI": LOCAL_REDIS}
    config |= {"CACHE_REDIS_URL": LOCAL_REDIS, setting: down}
    app = app_with(**config)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "unreachable"},
    }


def test_the_redis_servers_checked_are_the_ones_configured():
    assert readiness.configured_redis_urls({"RATELIMIT_STORAGE_URI": "memory://"}) == []
    assert readiness.configured_redis_urls(
        {"RATELIMIT_STORAGE_URI": "redis://a:6379", "CACHE_TYPE": "SimpleCache"}
    ) == ["redis://a:6379"]
    # A Redis URL left over for a cache that is not Redis is not checked.
    assert (
        readiness.configured_redis_urls(
            {"CACHE_TYPE": "NullCache", "CACHE_REDIS_URL": "redis://b:6379"}
        )
        == []
    )
    # The same server once.
    assert readiness.configured_redis_urls(
        {
            "RATELIMIT_STORAGE_URI": "redis://a:6379",
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": "redis://a:6379",
        }
    ) == ["redis://a:6379"]


def test_not_rate_limited(app_with, monkeypatch):
    # A default limit for every route. The limiter is shared by every app the tests make and
    # keeps the first default it is given: this one is put back when the test ends.
    monkeypatch.setattr(limiter.limit_manager, "_default_limits", [])
    app = app_with(RATELIMIT_DEFAULT="2 per minute")
    client = app.test_client()
    # The default limit applies elsewhere (so the test can fail)...
    assert [client.get("/accessibility").status_code for _ in range(3)] == [200, 200, 429]
    # ...but never to the probe.
    assert {client.get("/readyz").status_code for _ in range(5)} == {200}
