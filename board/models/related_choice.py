"""The studies like a published study, chosen when it is published (board/related_choices.py).

Choosing them is a full-text search over the board, the dearest part of a study page; reading
them back is a lookup of a few ids. One row per study that has been chosen for, holding two
lists of ids, closest first: what a member sees (every published study) and what a visitor
sees (public ones only). The lists are read with the study and filtered again on reading, so
a study unpublished, hidden from visitors or deleted since never shows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from board.models.base import Base, UTCDateTime, utcnow


class RelatedChoice(Base):
    __tablename__ = "related_choices"

    study_id: Mapped[int] = mapped_column(
        ForeignKey("case_studies.id", ondelete="CASCADE"), primary_key=True
    )
    # Ids separated by commas ("812,77,5"), closest first; "" when nothing is like it.
    for_members: Mapped[str] = mapped_column(String(200))
    for_visitors: Mapped[str] = mapped_column(String(200))
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
