"""Signed-in sessions, one row each, so that a session can be ended on the server.

The session cookie carries a random token; only its SHA-256 is stored. Every request looks the
token up: signing out deletes the row, so a copied cookie stops working at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from board.models.base import Base, UTCDateTime, utcnow


class UserSession(Base):
    __tablename__ = "user_sessions"

    # SHA-256 of the token in the cookie, in hex.
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # What the browser said it was, shortened: lets a person recognise their devices.
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    def __repr__(self) -> str:
        return f"<UserSession user={self.user_id}>"
