"""Sending email: ``send_email`` writes the message to the outbox in the current transaction;
board/outbox.py sends it after the commit (SMTP in production, a file outbox in development, a
list in tests)."""

from __future__ import annotations

from board.models import OutboxMessage
from board.outbox import enqueue


def send_email(
    to: str, subject: str, body: str, headers: dict[str, str] | None = None
) -> OutboxMessage:
    """Queue an email to ``to``; nothing is sent until the caller's transaction commits, and
    nothing at all if it rolls back.

    The subject is folded to one line and the body cleaned, so no text a user typed can add a
    header; ``to`` must be one plain address (ValueError otherwise: callers pass stored,
    validated addresses). ``headers`` may carry only List-Unsubscribe and
    List-Unsubscribe-Post (board/outbox.py refuses any other).
    """
    return enqueue(to, subject, body, headers)
