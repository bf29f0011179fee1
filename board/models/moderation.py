"""The moderation log: an append-only record of every decision.

Rows are never edited or deleted. The ORM refuses both here, and the migration adds database
triggers that refuse them too, so not even a hand-written SQL statement can rewrite history.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from board.models.user import User


class AppendOnlyError(RuntimeError):
    pass


class ModerationLog(Base):
    __tablename__ = "moderation_log"
    __table_args__ = (Index("ix_moderation_log_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Null when the system acted (for example an automatic verification by email domain).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()


@event.listens_for(ModerationLog, "before_update")
def _refuse_update(mapper, connection, target):
    raise AppendOnlyError("moderation log rows are never edited")


@event.listens_for(ModerationLog, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise AppendOnlyError("moderation log rows are never deleted")
