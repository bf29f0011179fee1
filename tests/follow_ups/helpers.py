"""Shared helpers for the follow-up tests: moments, and running the sender at one of them."""

from __future__ import annotations

from datetime import UTC, datetime

from board.extensions import db
from board.follow_ups import services
from board.models.follow_up import FollowUpPrompt


def at(text: str) -> datetime:
    """A moment in UTC from "2027-02-28" or "2027-02-28 09:30"."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def send(app, now: str, batch_size: int = services.BATCH_SIZE) -> services.Sending:
    with app.app_context():
        return services.send_due_prompts(at(now), batch_size=batch_size)


def prompts(app, study_id: int | None = None) -> list[tuple]:
    """(reason, due date, sent?, answer) of every prompt, oldest first."""
    with app.app_context():
        query = db.select(FollowUpPrompt).order_by(FollowUpPrompt.id)
        if study_id is not None:
            query = query.where(FollowUpPrompt.study_id == study_id)
        return [
            (
                prompt.reason.value,
                prompt.due_at.date().isoformat(),
                prompt.sent_at is not None,
                prompt.answer,
            )
            for prompt in db.session.scalars(query)
        ]
