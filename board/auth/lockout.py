"""Counts that views check themselves, on the rate limiter's storage (memory, or Redis when
RATELIMIT_STORAGE_URI says so, shared by every worker), so that the page can keep what was
typed and say how long to wait: failed sign-ins per account, and registrations per address.

Failed sign-ins are counted twice, so that nobody can be locked out for good by someone else:
- per account and client address (LOCKOUT_PER_CLIENT, default 5 per 15 minutes): guessing from
  one place stops quickly, and locks out only that place;
- per account from anywhere (LOCKOUT_PER_ACCOUNT, default 50 per hour): slows a spread-out
  attack on one account. It ends by itself, and resetting the password ends it at once.
Addresses that have no account are counted the same way, so the answer says nothing about who
has an account.

Registrations are counted per client address, successes and failures apart: a council office
behind one address registers a whole team (REGISTER_RATE_LIMIT, default 20 per hour and 100 per
day, limits how many accounts and emails one address makes), and typing mistakes never use up
that budget (REGISTER_ATTEMPT_LIMIT, default 60 failed forms per hour, only stops a script
hammering the form). Registering an address that already has an account counts as a success:
the page must not differ, so neither may the limit. Confirmation links sent again are counted
per account (REGISTER_RESEND_LIMIT, default 5 per hour).

Time comes from ``now()``, which tests replace (together with the storage's clock) to move time
on instead of sleeping.
"""

from __future__ import annotations

import math
import time

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import ngettext
from limits import RateLimitItem, parse, parse_many

from board.extensions import limiter


def now() -> float:
    """Seconds since the epoch; the one clock this module reads."""
    return time.time()


def _client() -> str:
    return request.remote_addr or "-"


def _wait(counts: list[tuple[RateLimitItem, tuple[str, ...]]]) -> int:
    """0 when every count has room; otherwise the seconds until all of them have."""
    waits = []
    for limit, scope in counts:
        if not limiter.limiter.test(limit, *scope):
            reset_at, _ = limiter.limiter.get_window_stats(limit, *scope)
            waits.append(max(1, math.ceil(reset_at - now())))
    return max(waits, default=0)


def _hit(counts: list[tuple[RateLimitItem, tuple[str, ...]]]) -> None:
    for limit, scope in counts:
        limiter.limiter.hit(limit, *scope)


def wait_in_words(seconds: int) -> str:
    """ "47 minutes", "1 hour", "2 hours and 5 minutes" (in the interface's language): rounded
    up, never sooner than true."""
    minutes = max(1, math.ceil(seconds / 60))
    hours, minutes = divmod(minutes, 60)
    in_minutes = ngettext("%(num)d minute", "%(num)d minutes", minutes)
    in_hours = ngettext("%(num)d hour", "%(num)d hours", hours)
    if not hours:
        return in_minutes
    if not minutes:
        return in_hours
    return _("%(hours)s and %(minutes)s", hours=in_hours, minutes=in_minutes)


# -- failed sign-ins ----------------------------------------------------------------------------


def _sign_in_counts(email: str):
    config = current_app.config
    return [
        (parse(config["LOCKOUT_PER_CLIENT"]), ("login-client", _client(), email)),
        (parse(config["LOCKOUT_PER_ACCOUNT"]), ("login-account", email)),
    ]


def locked_for(email: str) -> int:
    """0 when ``email`` may try to sign in; otherwise about how many seconds until it may."""
    return _wait(_sign_in_counts(email))


def record_failure(email: str) -> None:
    _hit(_sign_in_counts(email))


def clear(email: str) -> None:
    """After a password reset: every count for this account starts again."""
    for limit, scope in _sign_in_counts(email):
        limiter.limiter.clear(limit, *scope)


# -- registrations ------------------------------------------------------------------------------


def _per_client(setting: str, name: str):
    return [(limit, (name, _client())) for limit in parse_many(current_app.config[setting])]


def registrations_wait() -> int:
    """0 while this address may register another account; otherwise seconds until it may."""
    return _wait(_per_client("REGISTER_RATE_LIMIT", "register"))


def record_registration() -> None:
    _hit(_per_client("REGISTER_RATE_LIMIT", "register"))


def failed_registrations_wait() -> int:
    """0 while this address may send the form again; otherwise seconds until it may."""
    return _wait(_per_client("REGISTER_ATTEMPT_LIMIT", "register-failed"))


def record_failed_registration() -> None:
    _hit(_per_client("REGISTER_ATTEMPT_LIMIT", "register-failed"))


def _resends(user_id: int):
    # Per account, not per address: the person is signed in.
    config = current_app.config["REGISTER_RESEND_LIMIT"]
    return [(limit, ("confirm-resend", str(user_id))) for limit in parse_many(config)]


def resends_wait(user_id: int) -> int:
    """0 while this account may be sent another confirmation link; otherwise seconds to wait."""
    return _wait(_resends(user_id))


def record_resend(user_id: int) -> None:
    _hit(_resends(user_id))
