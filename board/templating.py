"""Template filters and globals shared by every page."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from board import permissions
from board.sanitize import render_markdown
from board.urls import public_url_for


def format_date(value: date | datetime | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def format_month(value: date | None) -> str:
    return f"{value:%B %Y}" if value else ""


def navigation_context() -> dict:
    """What the header needs: the unread notification count for a signed-in person."""
    from flask_login import current_user

    from board.notifications.services import unread_count

    if not current_user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(current_user)}


def init_app(app: Flask) -> None:
    app.context_processor(navigation_context)
    # Templates ask the same questions as the views before offering an action.
    app.jinja_env.globals["permissions"] = permissions
    app.jinja_env.globals["public_url_for"] = public_url_for
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["month"] = format_month
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
