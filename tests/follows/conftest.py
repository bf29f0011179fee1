"""Helpers for the follows tests: posting a form as the signed-in person, with or without htmx."""

from __future__ import annotations

import json

import pytest

from board.extensions import db
from board.models import Follow, Topic
from tests.conftest import csrf_token_from

HTMX = {"HX-Request": "true"}


@pytest.fixture
def post(client):
    """POST ``data`` to ``path`` with the session's CSRF token (read from /account)."""

    def send(path: str, data: dict | None = None, htmx: bool = False, token: bool = True):
        form = dict(data or {})
        if token:
            page = client.get("/account")
            if page.status_code != 200:  # a visitor: the sign-in form carries one
                page = client.get("/auth/login")
            form["csrf_token"] = csrf_token_from(page.get_data(as_text=True))
        return client.post(path, data=form, headers=HTMX if htmx else {})

    return send


def swapped(response) -> dict:
    """What an htmx answer says to focus and announce (board/htmx.py after_swap)."""
    return json.loads(response.headers["HX-Trigger-After-Settle"])["app:swapped"]


def follows_of(app, user) -> list[Follow]:
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(Follow).where(Follow.user_id == user.id).order_by(Follow.id)
            )
        )


def topic(app, slug: str = "cyber-security") -> Topic:
    with app.app_context():
        return db.session.scalar(db.select(Topic).where(Topic.slug == slug))
