"""Comments on published case studies, with one level of replies."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.models.base import Base, UTCDateTime, utcnow
from board.rendering import RendersMarkdown

if TYPE_CHECKING:
    from board.models.case_study import CaseStudy
    from board.models.user import User


class Comment(RendersMarkdown, Base):
    __tablename__ = "comments"
    MARKDOWN_FIELDS = ("body",)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_study_id: Mapped[int] = mapped_column(
        ForeignKey("case_studies.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    # The language it is written in, "en" or "cy": its text is marked with it (lang).
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    # The body's sanitised HTML, made when it is saved (board/rendering.py).
    body_html: Mapped[str | None] = mapped_column(Text)
    # Indexed for the digests, which read the comments made in a window.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    case_study: Mapped[CaseStudy] = relationship()
    author: Mapped[User] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])
