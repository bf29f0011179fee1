"""Case studies: what a council tried, what happened and what it learned."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Column, Date, Enum, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.models.base import Base, UTCDateTime, enum_column, utcnow
from board.rendering import RendersMarkdown

if TYPE_CHECKING:
    from board.models.council import Council
    from board.models.topic import Topic
    from board.models.user import User


class Outcome(StrEnum):
    WORKED = "worked"
    PARTLY_WORKED = "partly-worked"
    DID_NOT_WORK = "did-not-work"
    ONGOING = "ongoing"

    @property
    def label(self) -> str:
        return {
            Outcome.WORKED: _("Worked"),
            Outcome.PARTLY_WORKED: _("Partly worked"),
            Outcome.DID_NOT_WORK: _("Did not work"),
            Outcome.ONGOING: _("Ongoing"),
        }[self]


class CostBand(StrEnum):
    UNDER_10K = "under-10k"
    FROM_10K_TO_50K = "10k-50k"
    FROM_50K_TO_250K = "50k-250k"
    OVER_250K = "over-250k"
    NOT_DISCLOSED = "not-disclosed"

    @property
    def label(self) -> str:
        return {
            CostBand.UNDER_10K: _("Under £10,000"),
            CostBand.FROM_10K_TO_50K: _("£10,000 to £50,000"),
            CostBand.FROM_50K_TO_250K: _("£50,000 to £250,000"),
            CostBand.OVER_250K: _("Over £250,000"),
            CostBand.NOT_DISCLOSED: _("Not disclosed"),
        }[self]


class Visibility(StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"

    @property
    def label(self) -> str:
        return _("Public") if self is Visibility.PUBLIC else _("Members only")


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    CHANGES_REQUESTED = "changes-requested"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.value])


# Shared by studies and revisions, whose states have the same names. Each is said in the
# interface's language when read (``label`` gives it as a plain string).
STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Waiting for review"),
    "published": _l("Published"),
    "changes-requested": _l("Changes requested"),
    "rejected": _l("Not accepted"),
    "withdrawn": _l("Withdrawn"),
    "approved": _l("Approved"),
}


def _copied_enum(enum_class: type[StrEnum], name: str) -> Enum:
    """The type of enum_column without its CHECK constraint, for a copy of a checked column."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=False,
        length=max(len(member.value) for member in enum_class),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


case_study_topics = Table(
    "case_study_topics",
    Base.metadata,
    Column("case_study_id", ForeignKey("case_studies.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True, index=True),
    # The study's status and visibility, copied by the database's triggers (migration 0019)
    # whenever a topic is given to a study or the study's status or visibility changes, so
    # that a topic's published studies are counted from one index (board/browse/queries.py).
    # Nullable: the ORM writes only the two keys, and SQLite fills the copies just after the
    # row is written (its triggers cannot set a row's values before), within the same
    # statement. No code writes them.
    Column("study_status", _copied_enum(Status, "study_status")),
    Column("study_visibility", _copied_enum(Visibility, "study_visibility")),
)


class StudyContent(RendersMarkdown):
    """The fields an author writes: the same on a study and on a pending revision of it."""

    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300), default="")
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome, "outcome"), index=True)

    # The five sections, stored as the Markdown the author wrote.
    challenge: Mapped[str] = mapped_column(Text, default="")
    what_we_tried: Mapped[str] = mapped_column(Text, default="")
    what_happened: Mapped[str] = mapped_column(Text, default="")
    what_we_learned: Mapped[str] = mapped_column(Text, default="")
    what_we_would_do_differently: Mapped[str] = mapped_column(Text, default="")
    # Their sanitised HTML, made when they are saved (board/rendering.py).
    challenge_html: Mapped[str | None] = mapped_column(Text)
    what_we_tried_html: Mapped[str | None] = mapped_column(Text)
    what_happened_html: Mapped[str | None] = mapped_column(Text)
    what_we_learned_html: Mapped[str | None] = mapped_column(Text)
    what_we_would_do_differently_html: Mapped[str | None] = mapped_column(Text)

    # Month precision: stored as the first day of the month.
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    cost_band: Mapped[CostBand] = mapped_column(
        enum_column(CostBand, "cost_band"), default=CostBand.NOT_DISCLOSED
    )
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "visibility"), default=Visibility.PUBLIC
    )
    # The language it is written in, "en" or "cy" (board/i18n.py): pages mark its text with it
    # (lang), the board filters by it, and Welsh text is indexed without English stemming.
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")

    # Each section's field and its heading, said in the interface's language when shown.
    SECTIONS = (
        ("challenge", _l("The challenge")),
        ("what_we_tried", _l("What we tried")),
        ("what_happened", _l("What happened")),
        ("what_we_learned", _l("What we learned")),
        ("what_we_would_do_differently", _l("What we would do differently")),
    )
    MARKDOWN_FIELDS = tuple(field for field, _heading in SECTIONS)
    # Every field copied when a revision is approved, in the order a reviewer reads them.
    CONTENT_FIELDS = (
        "title",
        "summary",
        "outcome",
        "challenge",
        "what_we_tried",
        "what_happened",
        "what_we_learned",
        "what_we_would_do_differently",
        "started_on",
        "ended_on",
        "cost_band",
        "visibility",
    )

    @property
    def slug(self) -> str:
        return title_slug(self.title)


def title_slug(title: str) -> str:
    """The readable part of a study's URL: ``/studies/12/chatbot-for-council-tax``."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80] or "study"


class CaseStudy(StudyContent, Base):
    __tablename__ = "case_studies"
    __table_args__ = (
        # The board lists published studies newest first, filtered by visibility.
        Index("ix_case_studies_status_published_at", "status", "published_at"),
        # ... and, sorted by "recently updated", by its latest update.
        Index("ix_case_studies_status_last_update_at", "status", "last_update_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[Status] = mapped_column(enum_column(Status, "status"), default=Status.DRAFT)
    # The last moderator's note or reason, shown to the author.
    decision_note: Mapped[str] = mapped_column(Text, default="")
    # Kept in step with the reactions table so the board can sort by it without a join.
    useful_count: Mapped[int] = mapped_column(default=0)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When its latest update was approved (board/updates): the board marks recently updated
    # studies and can sort by it.
    last_update_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    council: Mapped[Council] = relationship()
    author: Mapped[User] = relationship()
    topics: Mapped[list[Topic]] = relationship(
        secondary=case_study_topics, order_by="Topic.position"
    )
    revisions: Mapped[list[StudyRevision]] = relationship(
        back_populates="study", cascade="all, delete-orphan", order_by="StudyRevision.id"
    )

    @property
    def is_published(self) -> bool:
        return self.status is Status.PUBLISHED

    @property
    def open_revision(self) -> StudyRevision | None:
        """The edit of this published study that is being written or reviewed, if any."""
        return next((rev for rev in self.revisions if rev.status in OPEN_REVISION_STATES), None)

    @property
    def topic_ids(self) -> list[int]:
        return [topic.id for topic in self.topics]

    def __repr__(self) -> str:
        return f"<CaseStudy {self.id} {self.status}>"


class RevisionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes-requested"
    REJECTED = "rejected"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.value])


OPEN_REVISION_STATES = frozenset(
    {RevisionStatus.DRAFT, RevisionStatus.SUBMITTED, RevisionStatus.CHANGES_REQUESTED}
)


class StudyRevision(StudyContent, Base):
    """An edit of a published study. The published version stays live while this is reviewed;
    approval copies it onto the study."""

    __tablename__ = "study_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("case_studies.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[RevisionStatus] = mapped_column(
        enum_column(RevisionStatus, "revision_status"), default=RevisionStatus.DRAFT, index=True
    )
    # Topic ids as a list: a revision's topics are copied onto the study when approved.
    topic_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    study: Mapped[CaseStudy] = relationship(back_populates="revisions")
    author: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<StudyRevision {self.id} of {self.study_id} {self.status}>"
