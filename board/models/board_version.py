"""A counter of changes to what the board shows, kept by database triggers.

Migration 0003 adds triggers that add one to ``version`` whenever a statement changes case
studies, their topics, councils or topics, whatever code (or hand-written SQL) made the change.
Migration 0008 narrows the case_studies update trigger: a statement that sets only
``useful_count`` and ``updated_at`` (a "Useful" mark) leaves the counter alone; setting any
other column still moves it. The board's results cache keys every entry by it
(board/browse/cache.py), so a cached page is never older than the data it shows, apart from
useful counts, which may lag by BOARD_CACHE_MAX_AGE: every worker process reads the counter from
the same database.
"""

from __future__ import annotations

from sqlalchemy.orm import Mapped, mapped_column

from board.models.base import Base

# The counter's only row.
BOARD_VERSION_ID = 1


class BoardVersion(Base):
    __tablename__ = "board_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
