"""Telling people what happened: an in-app notification and an email."""

from __future__ import annotations

from flask import render_template

from board.extensions import db
from board.mail import send_email
from board.models import Notification, User
from board.urls import public_url


def notify(user: User, subject: str, body: str, link: str, email: bool = True) -> Notification:
    """Add a notification to ``user``'s list and, unless ``email`` is false, email them the
    same news."""
    notification = Notification(user_id=user.id, subject=subject[:200], body=body, link=link)
    db.session.add(notification)
    if not email:
        return notification
    send_email(
        user.email,
        subject,
        render_template(
            "notifications/email.txt",
            user=user,
            subject=subject,
            body=body,
            link=public_url(link),
        ),
    )
    return notification


def unread_count(user: User) -> int:
    return db.session.scalar(
        db.select(db.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )
