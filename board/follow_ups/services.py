"""Follow-up prompts: which are due, sending them once, and answering them."""

from __future__ import annotations

from board.models import CaseStudy, User


def answer_open_prompts(study: CaseStudy, user: User, answer: str) -> None:
    """Mark the study's sent, unanswered prompts answered (``answer`` is "updated" when an
    update was submitted, "no-change" when snoozed). Called by board/updates when an update is
    submitted."""
