"""Updates: "six months on, what happened next?", added to a published study by its council.

An update is a dated Markdown entry, with an optional change of outcome, reviewed by moderators
like a revision (board/updates). Approved updates make the study's timeline; those that change
the outcome make its outcome history (``previous_outcome`` is recorded when one is approved).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.models.base import Base, UTCDateTime, enum_column, utcnow
from board.models.case_study import Outcome, RevisionStatus
from board.rendering import RendersMarkdown

if TYPE_CHECKING:
    from board.models.case_study import CaseStudy
    from board.models.user import User


OPEN_CONDITION = "status IN ('submitted', 'changes-requested')"


class StudyUpdate(RendersMarkdown, Base):
    __tablename__ = "study_updates"
    __table_args__ = (
        Index("ix_study_updates_status_published_at", "status", "published_at"),
        # One open update a study (waiting for review, or sent back for changes), however many
        # of its council press "Submit" at the same moment.
        Index(
            "uq_study_updates_one_open",
            "study_id",
            unique=True,
            sqlite_where=text(OPEN_CONDITION),
            postgresql_where=text(OPEN_CONDITION),
        ),
    )

    MARKDOWN_FIELDS = ("body",)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("case_studies.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The month the update is about ("March 2027"), stored as its first day.
    happened_on: Mapped[date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str | None] = mapped_column(Text)
    # The outcome the study moves to when this is approved; None leaves it as it is.
    new_outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "update_new_outcome"))
    # The study's outcome just before this was approved (for the outcome history).
    previous_outcome: Mapped[Outcome | None] = mapped_column(
        enum_column(Outcome, "update_previous_outcome")
    )
    # draft is not used: an update is written and submitted in one step.
    status: Mapped[RevisionStatus] = mapped_column(
        enum_column(RevisionStatus, "update_status"), default=RevisionStatus.SUBMITTED
    )
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When a moderator approved it: it is on the study's timeline from then.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    study: Mapped[CaseStudy] = relationship()
    author: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<StudyUpdate {self.id} of {self.study_id} {self.status}>"
