"""Follows: what a member wants to hear about in their digest.

A member follows a topic, a council, a single study, or a saved search (the board's own URL
filters, named by the member). ``target`` says what is followed in one string, so that one
unique constraint stops the same follow being made twice whatever its kind:
``topic:<id>``, ``council:<id>``, ``study:<id>`` or ``search:<the board's canonical query string>``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from board.models.base import Base, UTCDateTime, enum_column, utcnow


class FollowKind(StrEnum):
    TOPIC = "topic"
    COUNCIL = "council"
    STUDY = "study"
    SEARCH = "search"

    @property
    def label(self) -> str:
        return {
            FollowKind.TOPIC: _("Topic"),
            FollowKind.COUNCIL: _("Council"),
            FollowKind.STUDY: _("Case study"),
            FollowKind.SEARCH: _("Saved search"),
        }[self]


class Follow(Base):
    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("user_id", "target", name="uq_follows_user_id_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[FollowKind] = mapped_column(enum_column(FollowKind, "follow_kind"))
    target: Mapped[str] = mapped_column(String(600))
    # Exactly one of these is set, by kind; the search's query string is in ``query``.
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), index=True
    )
    council_id: Mapped[int | None] = mapped_column(
        ForeignKey("councils.id", ondelete="CASCADE"), index=True
    )
    study_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_studies.id", ondelete="CASCADE"), index=True
    )
    # A saved search: the board's canonical query string (no leading "?"), and its name.
    query: Mapped[str] = mapped_column(String(500), default="")
    name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Follow {self.id} {self.target} by {self.user_id}>"
