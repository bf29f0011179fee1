"""People who sign in: members, moderators and admins."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.models.base import Base, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from board.models.council import Council


class Role(StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


class CouncilRole(StrEnum):
    COUNCILLOR = "councillor"
    OFFICER = "officer"

    @property
    def label(self) -> str:
        return {CouncilRole.COUNCILLOR: _("Councillor"), CouncilRole.OFFICER: _("Officer")}[self]


class DigestFrequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    NONE = "none"

    @property
    def label(self) -> str:
        return {
            DigestFrequency.DAILY: "Daily",
            DigestFrequency.WEEKLY: "Weekly",
            DigestFrequency.NONE: "No digest",
        }[self]


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased so that sign-in and uniqueness ignore case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    council_role: Mapped[CouncilRole] = mapped_column(enum_column(CouncilRole, "council_role"))
    job_title: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), default=Role.MEMBER)
    council_id: Mapped[int | None] = mapped_column(
        ForeignKey("councils.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when the person is known to belong to their council: by a confirmed council-domain
    # address, or by a moderator. Only verified people may post.
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(default=True)
    # In-app notifications always; email about comments on their studies only if they ask.
    email_on_comments: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Whether other people see the job title beside the person's name.
    show_job_title: Mapped[bool] = mapped_column(default=True, server_default=true())
    # The email digest of what they follow (board/digests): how often, the period the last one
    # was sent for ("2026-11-26" daily, "2026-W48" weekly: one a period), and the moment it
    # covered up to (the next one starts there).
    digest_frequency: Mapped[DigestFrequency] = mapped_column(
        enum_column(DigestFrequency, "digest_frequency"),
        default=DigestFrequency.WEEKLY,
        server_default=DigestFrequency.WEEKLY.value,
    )
    digest_period: Mapped[str | None] = mapped_column(String(16))
    digest_covered_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The language they chose for the interface and for what is sent to them ("en" or "cy";
    # None until they choose: the page's language then comes from the cookie or the browser,
    # and email is in English). See board/i18n.py.
    language: Mapped[str | None] = mapped_column(String(2))
    # Set when the person deleted their account: their personal data has been erased.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    council: Mapped[Council | None] = relationship(back_populates="members")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in to inactive accounts
        return self.active

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None and self.council_id is not None

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
