"""Councils that tried something similar: up to five published studies related to a study or
a question, by text similarity and shared topics, that the viewer may read."""

from __future__ import annotations

RELATED_LIMIT = 5


def related_studies(
    text: str, topic_ids: list[int], viewer, exclude_study_id: int | None = None
) -> list:
    """Up to RELATED_LIMIT published studies like ``text`` (a study's or a question's words)
    and sharing ``topic_ids``, that ``viewer`` may read, never ``exclude_study_id``."""
    return []
