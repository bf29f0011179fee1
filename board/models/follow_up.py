"""Follow-up prompts: "What happened next?", asked of a study's council when it is due.

Six months after publication (``six-months``), and when a study's planned end month has passed
while it is still ongoing (``end-passed``), its council's members are prompted once. "No change
yet" answers a prompt and makes a ``snoozed`` one due six months later. ``flask --app wsgi
follow-ups send`` (board/follow_ups) creates and sends what is due; ``sent_at`` is claimed with a
conditional UPDATE so that each prompt goes out once however many senders run.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from board.models.base import Base, UTCDateTime, enum_column, utcnow


class FollowUpReason(StrEnum):
    SIX_MONTHS = "six-months"
    END_PASSED = "end-passed"
    SNOOZED = "snoozed"


class FollowUpPrompt(Base):
    __tablename__ = "follow_up_prompts"
    __table_args__ = (
        Index("ix_follow_up_prompts_due", "sent_at", "due_at"),
        # Made once however many senders run at the same moment.
        UniqueConstraint("study_id", "reason", "due_at", name="uq_follow_up_prompts_study_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("case_studies.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[FollowUpReason] = mapped_column(enum_column(FollowUpReason, "follow_up_reason"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # How the council answered: "updated" (wrote an update) or "no-change" (snoozed).
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer: Mapped[str] = mapped_column(String(16), default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<FollowUpPrompt {self.id} {self.reason} of {self.study_id}>"
