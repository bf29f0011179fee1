"""All models, imported here so that Alembic and the app see the whole schema."""

from board.models.base import Base
from board.models.case_study import (
    CaseStudy,
    CostBand,
    Outcome,
    Status,
    Visibility,
    case_study_topics,
)
from board.models.comment import Comment
from board.models.council import Council, CouncilDomain, CouncilType, Nation
from board.models.moderation import AppendOnlyError, ModerationLog
from board.models.topic import Topic
from board.models.user import CouncilRole, Role, User

__all__ = [
    "AppendOnlyError",
    "Base",
    "CaseStudy",
    "Comment",
    "CostBand",
    "Council",
    "CouncilDomain",
    "CouncilRole",
    "CouncilType",
    "ModerationLog",
    "Nation",
    "Outcome",
    "Role",
    "Status",
    "Topic",
    "User",
    "Visibility",
    "case_study_topics",
]
