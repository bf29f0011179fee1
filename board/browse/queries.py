"""Queries for browsing published studies, as functions returning ``Select``."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from board.case_studies.queries import can_see_members_only
from board.models import CaseStudy, Status, User, Visibility


def published_studies_query(viewer: User | None) -> Select[tuple[CaseStudy]]:
    """Published studies this viewer may see, newest first, with what a result card shows."""
    query = (
        select(CaseStudy)
        .where(CaseStudy.status == Status.PUBLISHED)
        .options(joinedload(CaseStudy.council), selectinload(CaseStudy.topics))
        .order_by(CaseStudy.published_at.desc(), CaseStudy.id.desc())
    )
    if not can_see_members_only(viewer):
        query = query.where(CaseStudy.visibility == Visibility.PUBLIC)
    return query
