"""Which questions and answers may be shown to whom, as conditions on the query.

A question is open data (the API, the feed, anyone's eyes) when it is public and not hidden.
A members-only question is for those who may read members-only studies
(board.permissions.can_see_members_only); a hidden question is for nobody. An answer shows
while it is not hidden; the study attached to it shows only to those who may read that study.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from board.models import Answer, CaseStudy, Question, Status, Visibility


def open_conditions() -> list[ColumnElement[bool]]:
    """Public and not hidden: what a visitor, the API and the feed may show."""
    return [Question.visibility == Visibility.PUBLIC, Question.hidden_at.is_(None)]


def visible_answer_conditions() -> list[ColumnElement[bool]]:
    return [Answer.hidden_at.is_(None)]


def open_study_conditions() -> list[ColumnElement[bool]]:
    """An attached study a visitor may read: published and public."""
    return [CaseStudy.status == Status.PUBLISHED, CaseStudy.visibility == Visibility.PUBLIC]
