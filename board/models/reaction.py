"""Reactions to a published study: "Useful" and "We tried this too". There are no downvotes.

One of each per person and study, enforced by unique constraints, so that two requests at once
(a double click, two tabs) can never count twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from board.models.case_study import CaseStudy
    from board.models.council import Council


class UsefulMark(Base):
    __tablename__ = "useful_marks"
    __table_args__ = (UniqueConstraint("case_study_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_study_id: Mapped[int] = mapped_column(ForeignKey("case_studies.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TriedToo(Base):
    """A member says their council tried something similar, optionally pointing at their own
    published write-up."""

    __tablename__ = "tried_too"
    __table_args__ = (UniqueConstraint("case_study_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_study_id: Mapped[int] = mapped_column(ForeignKey("case_studies.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"))
    own_study_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_studies.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    council: Mapped[Council] = relationship()
    own_study: Mapped[CaseStudy | None] = relationship(foreign_keys=[own_study_id])
