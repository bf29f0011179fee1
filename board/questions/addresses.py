"""A question's address, built in one place: the API, the feed and the digest link to it.

``/questions/<id>`` is the question page's address in the URL contract (PRODUCT.md). It is
written here as a path rather than through ``url_for``, as the digest writes a study's link:
the digest runs with no request, and one function is the only place to change.
"""

from __future__ import annotations

from board.models.case_study import title_slug
from board.urls import public_url

# The question list (GET /questions in the URL contract).
QUESTIONS_PATH = "/questions"


def question_path(question_id: int, title: str | None = None) -> str:
    """The question page's path; with its title, the canonical one (the slug after the id),
    which the page serves without a redirect."""
    path = f"{QUESTIONS_PATH}/{question_id}"
    return f"{path}/{title_slug(title)}" if title else path


def question_url(question_id: int, title: str | None = None) -> str:
    """The question page on the service's public address (for the API, feeds and email)."""
    return public_url(question_path(question_id, title))
