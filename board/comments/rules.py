"""Who may do what in a study's discussion. Views call these before calling a service."""

from __future__ import annotations

from datetime import timedelta

from board.case_studies.queries import can_view_study
from board.models import CaseStudy, Comment, User
from board.models.base import utcnow

# Authors may correct a comment for this long after posting it.
EDIT_WINDOW = timedelta(minutes=15)


def can_take_part(user: User | None) -> bool:
    """Verified members of a council, and moderators, comment and report."""
    return user is not None and user.is_authenticated and (user.is_verified or user.is_moderator)


def can_discuss(study: CaseStudy, user: User | None) -> bool:
    """Discussion happens on published studies the person may see (members-only studies have
    members-only discussions, as the study page itself is members-only)."""
    return study.is_published and can_take_part(user) and can_view_study(study, user)


def can_react(study: CaseStudy, user: User | None) -> bool:
    """ "Useful" and "We tried this too" speak for a council: verified members only."""
    return can_discuss(study, user) and user.is_verified


def can_edit_comment(comment: Comment, user: User | None) -> bool:
    return (
        can_take_part(user)
        and comment.author_id == user.id
        and comment.deleted_at is None
        and comment.hidden_at is None
        and utcnow() - comment.created_at <= EDIT_WINDOW
    )


def can_delete_comment(comment: Comment, user: User | None) -> bool:
    return can_take_part(user) and comment.author_id == user.id and comment.deleted_at is None


def can_see_comment_text(comment: Comment, user: User | None) -> bool:
    """Hidden comments stay readable to moderators and to their author (who is told why)."""
    if comment.deleted_at is not None:
        return False
    if comment.hidden_at is None:
        return True
    if user is None or not user.is_authenticated:
        return False
    return user.is_moderator or comment.author_id == user.id


def can_moderate(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_moderator
