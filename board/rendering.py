"""Markdown rendered once, when it is saved, and read many times.

A model whose columns hold Markdown takes the ``RendersMarkdown`` mixin, names those columns in
``MARKDOWN_FIELDS`` and declares ``<field>_html`` beside each. Whenever the ORM writes such a row
with new text, the sanitised HTML is made (board/sanitize.py) and stored with the
``SANITIZER_VERSION`` it was made under, whatever code wrote it: views, services, demo data,
tests. Pages read ``row.rendered(field)``: the stored HTML while its version is the current one,
otherwise the text rendered afresh, so HTML made under an older allow-list is never served even
before ``flask --app wsgi markdown rerender`` (``rerender_stale``) brings the rows up to date.
Bulk inserts that bypass the ORM leave the HTML empty; ``rerender_stale`` fills it in.
"""

from __future__ import annotations

from typing import ClassVar

from markupsafe import Markup
from sqlalchemy import String, bindparam, event, inspect, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from board import sanitize


class RendersMarkdown:
    """Rows with Markdown columns (``MARKDOWN_FIELDS``), each with its HTML in ``<field>_html``,
    and the ``SANITIZER_VERSION`` that HTML was made under."""

    MARKDOWN_FIELDS: ClassVar[tuple[str, ...]] = ()

    # Null until the row's HTML is first made: a row written by a bulk insert, or before the
    # HTML was stored at all.
    markdown_version: Mapped[str | None] = mapped_column(String(16))

    @property
    def markdown_is_current(self) -> bool:
        return self.markdown_version == sanitize.SANITIZER_VERSION

    def rendered(self, field: str) -> Markup:
        """The sanitised HTML of ``field``: stored if it was made by today's sanitiser, made
        afresh (and not written back: this runs while pages are read) if not."""
        if field not in self.MARKDOWN_FIELDS:
            raise ValueError(f"{type(self).__name__}.{field} is not a Markdown field")
        stored = getattr(self, f"{field}_html")
        if stored is not None and self.markdown_is_current:
            return Markup(stored)  # noqa: S704  (sanitised by board.sanitize when it was saved)
        return sanitize.render_markdown(getattr(self, field))

    def render_markdown_fields(self) -> None:
        """Make and store the HTML of every Markdown field, under today's sanitiser."""
        for field in self.MARKDOWN_FIELDS:
            html = sanitize.render_markdown(getattr(self, field))
            setattr(self, f"{field}_html", str(html))
        self.markdown_version = sanitize.SANITIZER_VERSION


# Mapper events on the mixin reach every mapped model that takes it (propagate=True), so no
# service has to remember to render.
@event.listens_for(RendersMarkdown, "before_insert", propagate=True)
def _render_new_row(mapper, connection, row: RendersMarkdown) -> None:
    row.render_markdown_fields()


@event.listens_for(RendersMarkdown, "before_update", propagate=True)
def _render_changed_row(mapper, connection, row: RendersMarkdown) -> None:
    # A row saved with new text, or saved for any reason while its HTML is out of date,
    # leaves with HTML made by today's sanitiser. Other saves (a status change) cost nothing.
    state = inspect(row)
    text_changed = any(state.attrs[field].history.has_changes() for field in row.MARKDOWN_FIELDS)
    if text_changed or not row.markdown_is_current:
        row.render_markdown_fields()


def markdown_models() -> list[type]:
    """Every mapped model with Markdown fields, in table-name order."""
    from board.models.base import Base

    models = [
        mapper.class_
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, RendersMarkdown) and mapper.class_.MARKDOWN_FIELDS
    ]
    return sorted(models, key=lambda model: model.__tablename__)


def rerender_stale(
    session: Session, batch_size: int = 500, *, everything: bool = False
) -> dict[str, int]:
    """Render again the rows whose HTML is missing or was made by another sanitiser (with
    ``everything``, every row), ``batch_size`` rows at a time, committing after each batch so
    that memory stays flat and a stopped run keeps its work. Returns the rows rendered per
    table; a row whose text is edited while it is being rendered keeps its edit's HTML."""
    return {
        model.__tablename__: _rerender_table(session, model, batch_size, everything)
        for model in markdown_models()
    }


def _rerender_table(session: Session, model: type, batch_size: int, everything: bool) -> int:
    table = model.__table__
    (key,) = table.primary_key.columns
    sources = [table.c[field] for field in model.MARKDOWN_FIELDS]
    version = table.c.markdown_version
    stale = or_(version.is_(None), version != sanitize.SANITIZER_VERSION)
    new_html = {f"{field}_html": bindparam(f"new_{field}_html") for field in model.MARKDOWN_FIELDS}
    # Core applies onupdate defaults (updated_at) to every UPDATE: a new rendering is not an
    # edit, so those columns keep their values.
    unchanged = {column.name: column for column in table.c if column.onupdate is not None}
    # Stored only if the text is still what was rendered: a row edited meanwhile already has
    # the HTML of its new text, which this must not overwrite with that of the old.
    text_unchanged = [
        source.is_not_distinct_from(bindparam(f"old_{source.name}")) for source in sources
    ]
    store = (
        update(table)
        .where(key == bindparam("row_key"), *text_unchanged)
        .values(**new_html, markdown_version=sanitize.SANITIZER_VERSION, **unchanged)
    )
    done = 0
    last_key = None
    while True:
        batch = select(key, *sources).order_by(key).limit(batch_size)
        if last_key is not None:
            batch = batch.where(key > last_key)
        if not everything:
            batch = batch.where(stale)
        rows = session.execute(batch).all()
        if not rows:
            return done
        session.execute(
            store,
            [
                {
                    "row_key": row[0],
                    **{
                        f"new_{field}_html": str(sanitize.render_markdown(text))
                        for field, text in zip(model.MARKDOWN_FIELDS, row[1:], strict=True)
                    },
                    **{
                        f"old_{field}": text
                        for field, text in zip(model.MARKDOWN_FIELDS, row[1:], strict=True)
                    },
                }
                for row in rows
            ],
        )
        session.commit()
        done += len(rows)
        last_key = rows[-1][0]
