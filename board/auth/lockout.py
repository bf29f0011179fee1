"""Failed sign-ins counted per account, on the rate limiter's storage (memory, or Redis when
RATELIMIT_STORAGE_URI says so, shared by every worker).

Two counts, so that nobody can be locked out for good by someone else:
- per account and client address (LOCKOUT_PER_CLIENT, default 5 per 15 minutes): guessing from
  one place stops quickly, and locks out only that place;
- per account from anywhere (LOCKOUT_PER_ACCOUNT, default 50 per hour): slows a spread-out
  attack on one account. It ends by itself, and resetting the password ends it at once.
Addresses that have no account are counted the same way, so the answer says nothing about who
has an account.
"""

from __future__ import annotations

import time

from flask import current_app, request
from limits import parse

from board.extensions import limiter


def _limits():
    config = current_app.config
    return [
        (parse(config["LOCKOUT_PER_CLIENT"]), ("login-client", request.remote_addr or "-")),
        (parse(config["LOCKOUT_PER_ACCOUNT"]), ("login-account",)),
    ]


def locked_for(email: str) -> int:
    """0 when ``email`` may try to sign in; otherwise about how many seconds until it may."""
    waits = []
    for limit, scope in _limits():
        if not limiter.limiter.test(limit, *scope, email):
            reset_at, _ = limiter.limiter.get_window_stats(limit, *scope, email)
            waits.append(max(1, int(reset_at - time.time())))
    return max(waits, default=0)


def record_failure(email: str) -> None:
    for limit, scope in _limits():
        limiter.limiter.hit(limit, *scope, email)


def clear(email: str) -> None:
    """After a password reset: every count for this account starts again."""
    for limit, scope in _limits():
        limiter.limiter.clear(limit, *scope, email)
