"""Councils and the email domains that prove membership of one."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.models.base import Base, UTCDateTime, enum_column

if TYPE_CHECKING:
    from board.models.user import User


class Nation(StrEnum):
    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"

    @property
    def label(self) -> str:
        return {
            Nation.ENGLAND: _("England"),
            Nation.WALES: _("Wales"),
            Nation.SCOTLAND: _("Scotland"),
            Nation.NORTHERN_IRELAND: _("Northern Ireland"),
        }[self]


class CouncilType(StrEnum):
    COUNTY = "county"
    DISTRICT = "district"
    UNITARY = "unitary"
    METROPOLITAN_BOROUGH = "metropolitan-borough"
    LONDON_BOROUGH = "london-borough"
    WELSH_PRINCIPAL_AREA = "welsh-principal-area"
    SCOTTISH_COUNCIL_AREA = "scottish-council-area"
    NI_DISTRICT = "ni-district"

    @property
    def label(self) -> str:
        return {
            CouncilType.COUNTY: _("County council"),
            CouncilType.DISTRICT: _("District council"),
            CouncilType.UNITARY: _("Unitary authority"),
            CouncilType.METROPOLITAN_BOROUGH: _("Metropolitan borough"),
            CouncilType.LONDON_BOROUGH: _("London borough"),
            CouncilType.WELSH_PRINCIPAL_AREA: _("Welsh principal council"),
            CouncilType.SCOTTISH_COUNCIL_AREA: _("Scottish council"),
            CouncilType.NI_DISTRICT: _("Northern Ireland district council"),
        }[self]


class Council(Base):
    __tablename__ = "councils"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    nation: Mapped[Nation] = mapped_column(enum_column(Nation, "nation"), index=True)
    region: Mapped[str] = mapped_column(String(80), default="")
    council_type: Mapped[CouncilType] = mapped_column(
        enum_column(CouncilType, "council_type"), index=True
    )
    website: Mapped[str] = mapped_column(String(255), default="")
    # A retired council (merged or abolished) takes no new members; its studies stay, marked as
    # from a former council.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    domains: Mapped[list[CouncilDomain]] = relationship(
        back_populates="council", cascade="all, delete-orphan", order_by="CouncilDomain.domain"
    )
    members: Mapped[list[User]] = relationship(back_populates="council")

    def __repr__(self) -> str:
        return f"<Council {self.slug}>"


class CouncilDomain(Base):
    """An email domain owned by a council: a confirmed address on it joins that council."""

    __tablename__ = "council_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"))
    domain: Mapped[str] = mapped_column(String(253), unique=True)

    council: Mapped[Council] = relationship(back_populates="domains")
