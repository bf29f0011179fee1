"""The seven topics a case study can be tagged with (seeded by a migration)."""

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from board.models.base import Base


class Topic(Base):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    resource_pack_url: Mapped[str | None] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(unique=True)

    def __repr__(self) -> str:
        return f"<Topic {self.slug}>"
