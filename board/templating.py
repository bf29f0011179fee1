"""Template filters and globals shared by every page."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from board.sanitize import render_markdown


def format_date(value: date | datetime | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def format_month(value: date | None) -> str:
    return f"{value:%B %Y}" if value else ""


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["month"] = format_month
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
