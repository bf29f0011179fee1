"""All models, imported here so that Alembic and the app see the whole schema."""

from board.models.base import Base
from board.models.board_version import BOARD_VERSION_ID, BoardVersion
from board.models.case_study import (
    CaseStudy,
    CostBand,
    Outcome,
    RevisionStatus,
    Status,
    StudyRevision,
    Visibility,
    case_study_topics,
)
from board.models.comment import Comment
from board.models.council import Council, CouncilDomain, CouncilType, Nation
from board.models.council_request import CouncilRequest, CouncilRequestStatus
from board.models.follow import Follow, FollowKind
from board.models.follow_up import FollowUpPrompt, FollowUpReason
from board.models.moderation import AppendOnlyError, ModerationLog
from board.models.notification import Notification
from board.models.outbox import OutboxMessage
from board.models.question import Answer, Question, question_topics
from board.models.reaction import TriedToo, UsefulMark
from board.models.related_choice import RelatedChoice
from board.models.report import Report, ReportReason, ReportTarget
from board.models.session import UserSession
from board.models.study_update import StudyUpdate
from board.models.topic import Topic
from board.models.user import CouncilRole, DigestFrequency, Role, User

__all__ = [
    "BOARD_VERSION_ID",
    "Answer",
    "AppendOnlyError",
    "Base",
    "BoardVersion",
    "CaseStudy",
    "Comment",
    "CostBand",
    "Council",
    "CouncilDomain",
    "CouncilRequest",
    "CouncilRequestStatus",
    "CouncilRole",
    "CouncilType",
    "DigestFrequency",
    "Follow",
    "FollowKind",
    "FollowUpPrompt",
    "FollowUpReason",
    "ModerationLog",
    "Nation",
    "Notification",
    "OutboxMessage",
    "Outcome",
    "Question",
    "RelatedChoice",
    "Report",
    "ReportReason",
    "ReportTarget",
    "RevisionStatus",
    "Role",
    "Status",
    "StudyRevision",
    "StudyUpdate",
    "Topic",
    "TriedToo",
    "UsefulMark",
    "User",
    "UserSession",
    "Visibility",
    "case_study_topics",
    "question_topics",
]
