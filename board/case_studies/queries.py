"""Who may see which case study, and queries for a council's own studies."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from board.models import CaseStudy, Status, User, Visibility


def can_see_members_only(viewer: User | None) -> bool:
    if viewer is None or not viewer.is_authenticated:
        return False
    return viewer.is_verified or viewer.is_moderator


def can_view_study(study: CaseStudy, viewer: User | None) -> bool:
    """Who may open a study page: anyone for a published public study; verified members for a
    members-only one. Before it is published, its council's members see it, and moderators once
    it has been submitted (a draft stays private to the council)."""
    if study.status is Status.PUBLISHED:
        return study.visibility is Visibility.PUBLIC or can_see_members_only(viewer)
    if viewer is None or not viewer.is_authenticated:
        return False
    if viewer.is_verified and viewer.council_id == study.council_id:
        return True
    return viewer.is_moderator and study.status is not Status.DRAFT


def council_studies_query(council_id: int) -> Select[tuple[CaseStudy]]:
    """Every study of one council, in any state, most recently changed first."""
    return (
        select(CaseStudy)
        .where(CaseStudy.council_id == council_id)
        .options(selectinload(CaseStudy.revisions))
        .order_by(CaseStudy.updated_at.desc(), CaseStudy.id.desc())
    )
