"""Requests from people whose council is not on the board yet, for an admin to decide."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.models.base import Base, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from board.models.council import Council
    from board.models.user import User


class CouncilRequestStatus(StrEnum):
    WAITING = "waiting"
    APPROVED = "approved"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return {
            CouncilRequestStatus.WAITING: _("Waiting"),
            CouncilRequestStatus.APPROVED: _("Approved"),
            CouncilRequestStatus.DECLINED: _("Declined"),
        }[self]


class CouncilRequest(Base):
    __tablename__ = "council_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept when the person deletes their account: what was decided stays, not who asked.
    requester_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    council_name: Mapped[str] = mapped_column(String(160))
    website: Mapped[str] = mapped_column(String(255))
    # The requester's own words for their role there, e.g. "Digital officer".
    requester_role: Mapped[str] = mapped_column(String(120))
    # From the requester's address when they asked: the domain the new council would own.
    email_domain: Mapped[str] = mapped_column(String(253))
    status: Mapped[CouncilRequestStatus] = mapped_column(
        enum_column(CouncilRequestStatus, "council_request_status"),
        default=CouncilRequestStatus.WAITING,
        index=True,
    )
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The council the requester joined on approval (made for them, or one that existed).
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id", ondelete="SET NULL"))

    requester: Mapped[User | None] = relationship(foreign_keys=[requester_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    council: Mapped[Council | None] = relationship()

    @property
    def is_waiting(self) -> bool:
        return self.status is CouncilRequestStatus.WAITING

    def __repr__(self) -> str:
        return f"<CouncilRequest {self.id} {self.status}>"
