"""Questions ("Has any council tried...?") and the answers councils give them.

A verified member asks a question, tagged by one or more of the seven topics and public or
members-only like a study. It appears at once (its asker is verified council staff) and, like a
comment, can be reported and hidden by a moderator with a reason the asker is told.

Members answer in Markdown and may attach one published study ("we tried this: ..."). The
asker, or any member of the asker's council, marks answers "This helped"; a question with such
an answer is answered (``answered_at``). An answer's author may write it up as a case study:
the draft made from it is recorded on the answer (``write_up_id``), so that when that study is
published the asker is told.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.models.base import Base, UTCDateTime, enum_column, utcnow
from board.models.case_study import Visibility
from board.rendering import RendersMarkdown

if TYPE_CHECKING:
    from board.models.case_study import CaseStudy
    from board.models.council import Council
    from board.models.topic import Topic
    from board.models.user import User


question_topics = Table(
    "question_topics",
    Base.metadata,
    Column("question_id", ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Question(RendersMarkdown, Base):
    __tablename__ = "questions"
    __table_args__ = (
        # The list: newest first, and "not yet answered" first.
        Index("ix_questions_answered_at_created_at", "answered_at", "created_at"),
    )
    MARKDOWN_FIELDS = ("details",)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The asker's council when they asked: its members may mark answers "This helped".
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text, default="")
    details_html: Mapped[str | None] = mapped_column(Text)
    # The language it is written in, "en" or "cy" (the interface's when it was written): pages
    # mark its text with it (lang).
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "visibility"), default=Visibility.PUBLIC
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when an answer is first marked "This helped"; cleared if no helpful answer is left.
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer_count: Mapped[int] = mapped_column(default=0)
    # When a question still unanswered after 7 days went into councils' digests.
    unanswered_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_reason: Mapped[str] = mapped_column(Text, default="")

    author: Mapped[User] = relationship()
    council: Mapped[Council] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=question_topics, order_by="Topic.position")

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.title!r}>"


class Answer(RendersMarkdown, Base):
    __tablename__ = "answers"
    MARKDOWN_FIELDS = ("body",)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # The language it is written in, "en" or "cy" (the interface's when it was written): pages
    # mark its text with it (lang).
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    # "We tried this": one published study, shown only to those who may read it.
    study_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_studies.id", ondelete="SET NULL"), index=True
    )
    # The draft study written up from this answer ("Write this up as a case study").
    write_up_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_studies.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    helpful_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    helpful_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_reason: Mapped[str] = mapped_column(Text, default="")

    question: Mapped[Question] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    council: Mapped[Council] = relationship()
    study: Mapped[CaseStudy | None] = relationship(foreign_keys=[study_id])
    write_up: Mapped[CaseStudy | None] = relationship(foreign_keys=[write_up_id])

    def __repr__(self) -> str:
        return f"<Answer {self.id} to question {self.question_id}>"
