"""A clock the tests move by hand, so that no test waits for a window to pass."""

from __future__ import annotations

import time

import limits.storage.memory
import pytest

from board.auth import lockout


class Clock:
    def __init__(self, start: float = 2_000_000_000.0) -> None:
        self.now = start

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    """Stop time for the lockout and for the limiter's memory storage (which both count and
    expire windows with ``time.time()``); ``clock.advance(seconds)`` moves it on."""
    # If the library ever stops reading the module's ``time``, say so rather than sleep.
    assert limits.storage.memory.time is time, "limits' memory storage no longer uses time.time"
    clock = Clock()
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    monkeypatch.setattr(lockout, "now", clock.time)
    return clock
