"""Who may see which case study."""

from __future__ import annotations

from board.models import CaseStudy, Status, User, Visibility


def can_see_members_only(viewer: User | None) -> bool:
    if viewer is None or not viewer.is_authenticated:
        return False
    return viewer.is_verified or viewer.is_moderator


def can_view_study(study: CaseStudy, viewer: User | None) -> bool:
    """Who may open a study page: anyone for a published public study; verified members for a
    members-only one; its council's members and moderators before it is published."""
    signed_in = viewer is not None and viewer.is_authenticated
    if study.status is Status.PUBLISHED:
        return study.visibility is Visibility.PUBLIC or can_see_members_only(viewer)
    if not signed_in:
        return False
    return viewer.is_moderator or (viewer.is_verified and viewer.council_id == study.council_id)
