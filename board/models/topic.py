"""The seven topics a case study can be tagged with (seeded by a migration)."""

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from board.i18n import WELSH, current_language
from board.models.base import Base


class Topic(Base):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    # English and Welsh; ``name`` and ``description`` give the interface's language (Welsh
    # falls back to English where an admin left it empty). In SQL, say which: name_en, name_cy.
    name_en: Mapped[str] = mapped_column("name", String(120))
    name_cy: Mapped[str | None] = mapped_column(String(120))
    description_en: Mapped[str] = mapped_column("description", Text, default="")
    description_cy: Mapped[str | None] = mapped_column(Text)
    resource_pack_url: Mapped[str | None] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(unique=True)

    @property
    def name(self) -> str:
        if self.name_cy and current_language() == WELSH:
            return self.name_cy
        return self.name_en

    @name.setter
    def name(self, value: str) -> None:
        self.name_en = value

    @property
    def description(self) -> str:
        if self.description_cy and current_language() == WELSH:
            return self.description_cy
        return self.description_en

    @description.setter
    def description(self, value: str) -> None:
        self.description_en = value

    def __repr__(self) -> str:
        return f"<Topic {self.slug}>"
