"""Reports of a study, a comment, a question or an answer, for moderators to look at."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.models.base import Base, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from board.models.user import User


class ReportReason(StrEnum):
    SPAM = "spam"
    PERSONAL_DATA = "personal-data"
    SECURITY_DETAIL = "security-detail"
    OFFENSIVE = "offensive"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            ReportReason.SPAM: _("Spam or advertising"),
            ReportReason.PERSONAL_DATA: _("Personal data about someone"),
            ReportReason.SECURITY_DETAIL: _("A security detail that should not be public"),
            ReportReason.OFFENSIVE: _("Offensive or abusive"),
            ReportReason.OTHER: _("Something else"),
        }[self]


class ReportTarget(StrEnum):
    STUDY = "study"
    COMMENT = "comment"
    QUESTION = "question"
    ANSWER = "answer"


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[ReportTarget] = mapped_column(enum_column(ReportTarget, "report_target"))
    target_id: Mapped[int]
    reason: Mapped[ReportReason] = mapped_column(enum_column(ReportReason, "report_reason"))
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution: Mapped[str] = mapped_column(String(500), default="")

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
