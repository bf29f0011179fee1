"""Email digests: who is due, what their digest says, and sending them once a period.

Every function takes the clock as ``now`` (an aware UTC datetime), so tests choose the moment.

- A period is a UTC day ("2026-11-26") for daily digests, an ISO week starting Monday
  ("2026-W48") for weekly ones. A member gets at most one digest a period: ``digest_period``
  records the period the last one was for, and is claimed with a conditional UPDATE in the same
  transaction that writes the email to the outbox, so however often (and on however many hosts)
  ``flask --app wsgi digests send`` runs, a member is sent one.
- A digest covers (since, until]: since is where the last one stopped
  (``digest_covered_until``), or for a first digest the start of the previous period (not
  before the account was made); until is ``now``. It lists the studies newly published that
  match the member's follows (a topic, a council, a saved search meaning exactly what the board
  shows for it), approved updates to studies they follow or that their council said "we tried
  this too" about, and new visible comments by others on their council's studies. Only
  published studies ever appear, members-only ones only to those who may read them.
- Questions to the network (board/models/question.py) reach members twice. A question asked in
  the window is listed for members who follow any of its topics ("New questions on topics you
  follow"), never to its asker. A question whose seventh day since it was asked falls in the
  window, and which still has no visible answer, is listed for the verified members of every
  other council that has published a study on any of its topics ("Can your council help?"),
  under the first such topic. A member's windows follow one another without gap or overlap, so
  each question reaches each member once by either route, whether their digest is daily or
  weekly, with nothing recorded per member; ``Question.unanswered_digest_at`` records when a
  question was first sent out this way. Hidden questions never appear; members-only ones only
  to those who may read members-only studies.
- A digest with nothing to say is not sent, but the period is still recorded as done.
- Each digest is written in its reader's language (``users.language``, else English): subject,
  headings, dates and topic names, whatever the language of the others in the same run.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from types import SimpleNamespace
from urllib.parse import parse_qsl

from flask import current_app
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import ColumnElement, and_, bindparam, func, or_, select, update
from werkzeug.datastructures import MultiDict

from board import search
from board.browse import queries as browse_queries
from board.browse.forms import BoardFilters, parse_filters
from board.browse.results import find_councils
from board.extensions import db
from board.i18n import in_language_of
from board.mail import send_email
from board.models import (
    Answer,
    CaseStudy,
    Comment,
    Council,
    Outcome,
    Question,
    Status,
    Topic,
    User,
    Visibility,
    case_study_topics,
    question_topics,
)
from board.models.case_study import RevisionStatus, title_slug
from board.models.follow import Follow, FollowKind
from board.models.reaction import TriedToo
from board.models.study_update import StudyUpdate
from board.models.user import DigestFrequency
from board.outbox import single_address
from board.permissions import can_see_members_only
from board.questions.addresses import QUESTIONS_PATH, question_url
from board.urls import public_url

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "digest-unsubscribe"
# The most items of each kind a digest lists; the rest are counted ("and 12 more").
MAX_ITEMS = 10
DEFAULT_BATCH_SIZE = 200
# Saved searches parsed once a run; past this many distinct ones the cache starts again.
SEARCH_CACHE_LIMIT = 2000
# A saved search with words looks among the window's studies by id, up to this many.
AMONG_LIMIT = 5000
# A question with no answer this long after it was asked goes to the councils that could help.
UNANSWERED_AFTER = timedelta(days=7)


# Who a saved search's studies are found for: someone who may read members-only studies; the
# digest then leaves those out for members who may not.
MEMBERS_VIEWER = SimpleNamespace(is_authenticated=True, is_verified=True, is_moderator=True)


# --- Periods ---------------------------------------------------------------------------------


def period_key(frequency: DigestFrequency, now: datetime) -> str:
    """The period ``now`` falls in: "2026-11-26" (UTC day) or "2026-W48" (ISO week)."""
    day = now.astimezone(UTC).date()
    if frequency is DigestFrequency.DAILY:
        return day.isoformat()
    if frequency is DigestFrequency.WEEKLY:
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    raise ValueError(f"no digest period for {frequency!r}")


def period_start(frequency: DigestFrequency, now: datetime) -> datetime:
    """When the period ``now`` falls in began: midnight UTC, on a Monday for a week."""
    day = now.astimezone(UTC).date()
    if frequency is DigestFrequency.WEEKLY:
        day -= timedelta(days=day.weekday())
    elif frequency is not DigestFrequency.DAILY:
        raise ValueError(f"no digest period for {frequency!r}")
    return datetime.combine(day, clock_time(), tzinfo=UTC)


def previous_period_start(frequency: DigestFrequency, now: datetime) -> datetime:
    length = timedelta(days=7 if frequency is DigestFrequency.WEEKLY else 1)
    return period_start(frequency, now) - length


def window_start(member: User, now: datetime) -> datetime:
    """Where ``member``'s next digest starts: where the last one stopped, or for a first one
    the start of the previous period, but never before the account was made."""
    if member.digest_covered_until is not None:
        return member.digest_covered_until
    start = previous_period_start(member.digest_frequency, now)
    if member.created_at is not None and member.created_at > start:
        return member.created_at
    return start


def _not_this_period(frequency: DigestFrequency, now: datetime) -> ColumnElement[bool]:
    # The last digest must also have stopped before this period began: a member who switches
    # weekly -> daily -> weekly has a daily period recorded, but had this week's weekly one.
    return and_(
        User.digest_frequency == frequency,
        or_(User.digest_period.is_(None), User.digest_period != period_key(frequency, now)),
        or_(
            User.digest_covered_until.is_(None),
            User.digest_covered_until < period_start(frequency, now),
        ),
    )


def due_conditions(now: datetime) -> list[ColumnElement[bool]]:
    """Members due a digest at ``now``: active, address confirmed, not deleted, wanting
    digests, not yet sent one for the current period, and whose last digest stopped before the
    current period began (so a run as at an earlier moment cannot record an earlier period as
    the one done, making the current one due again)."""
    return [
        User.active.is_(True),
        User.email_confirmed_at.is_not(None),
        User.deleted_at.is_(None),
        or_(
            _not_this_period(DigestFrequency.DAILY, now),
            _not_this_period(DigestFrequency.WEEKLY, now),
        ),
    ]


def due_members_query(now: datetime, after_id: int = 0, limit: int = DEFAULT_BATCH_SIZE):
    """The next ``limit`` due members after ``after_id``, in id order. On PostgreSQL the rows
    are locked, skipping those another sender holds (SQLite renders no FOR UPDATE)."""
    return (
        select(User)
        .where(*due_conditions(now), User.id > after_id)
        .order_by(User.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


# --- What a digest says ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StudyItem:
    id: int
    title: str
    council_name: str
    outcome: Outcome

    @property
    def link(self) -> str:
        return study_link(self.id, self.title)


@dataclass(frozen=True, slots=True)
class UpdateItem:
    study: StudyItem
    happened_on: date
    new_outcome: Outcome | None
    previous_outcome: Outcome | None


@dataclass(frozen=True, slots=True)
class CommentsItem:
    study: StudyItem
    count: int


@dataclass(frozen=True, slots=True)
class QuestionItem:
    id: int
    title: str
    council_name: str
    asked_at: datetime

    @property
    def asked_on(self) -> str:
        """The day it was asked (UTC), as "19 November 2026" or "19 Tachwedd 2026": in the
        language of the moment (the digest is rendered in its reader's)."""
        return format_date(self.asked_at.astimezone(UTC).date(), "d MMMM y")

    @property
    def link(self) -> str:
        return question_url(self.id, self.title)


@dataclass(frozen=True, slots=True)
class UnansweredGroup:
    """Unanswered questions on one topic the member's council has published studies on."""

    topic_name: str
    questions: list[QuestionItem]


@dataclass
class Digest:
    since: datetime
    until: datetime
    studies: list[StudyItem] = field(default_factory=list)
    more_studies: int = 0
    updates: list[UpdateItem] = field(default_factory=list)
    more_updates: int = 0
    comments: list[CommentsItem] = field(default_factory=list)
    more_comments: int = 0
    questions: list[QuestionItem] = field(default_factory=list)
    more_questions: int = 0
    unanswered: list[UnansweredGroup] = field(default_factory=list)
    more_unanswered: int = 0

    @property
    def unanswered_count(self) -> int:
        return sum(len(group.questions) for group in self.unanswered) + self.more_unanswered

    @property
    def unanswered_ids(self) -> list[int]:
        return [item.id for group in self.unanswered for item in group.questions]

    @property
    def comment_count(self) -> int:
        return sum(item.count for item in self.comments)

    @property
    def is_empty(self) -> bool:
        return not (
            self.studies or self.updates or self.comments or self.questions or self.unanswered
        )

    @property
    def subject(self) -> str:
        """ "Case Board: 2 new case studies and 1 update you follow", in the language of the
        moment (the digest is composed in its reader's)."""
        parts = []
        studies = len(self.studies) + self.more_studies
        updates = len(self.updates) + self.more_updates
        comments = self.comment_count
        if studies:
            parts.append(ngettext("%(num)d new case study", "%(num)d new case studies", studies))
        if updates:
            parts.append(
                ngettext("%(num)d update you follow", "%(num)d updates you follow", updates)
            )
        if comments:
            parts.append(
                ngettext(
                    "%(num)d new comment on your council's case studies",
                    "%(num)d new comments on your council's case studies",
                    comments,
                )
            )
        questions = len(self.questions) + self.more_questions
        if questions:
            parts.append(
                ngettext(
                    "%(num)d new question on topics you follow",
                    "%(num)d new questions on topics you follow",
                    questions,
                )
            )
        unanswered = self.unanswered_count
        if unanswered:
            parts.append(
                ngettext(
                    "%(num)d unanswered question your council could help with",
                    "%(num)d unanswered questions your council could help with",
                    unanswered,
                )
            )
        return _("Case Board: %(news)s", news=all_of(parts))


def all_of(parts: list[str]) -> str:
    """ "A, B and C", in the language of the moment. (Welsh lists them with commas: "a" or "ac"
    before the last depends on how its number is said.)"""
    if len(parts) < 2:
        return "".join(parts)
    return _("%(items)s and %(last)s", items=", ".join(parts[:-1]), last=parts[-1])


def study_link(study_id: int, title: str) -> str:
    # /studies/<id>/<slug> is the study page's address in the URL contract (PRODUCT.md).
    return public_url(f"/studies/{study_id}/{title_slug(title)}")


class SearchCache:
    """Saved searches' query strings parsed once a run, with the board's own parsing."""

    def __init__(self, topics: list[Topic]):
        self.topics = topics
        self.parsed: dict[str, BoardFilters] = {}

    def filters(self, query: str) -> BoardFilters:
        found = self.parsed.get(query)
        if found is None:
            if len(self.parsed) >= SEARCH_CACHE_LIMIT:
                self.parsed.clear()
            args = MultiDict(parse_qsl(query, keep_blank_values=False))
            found = self.parsed[query] = parse_filters(args, self.topics, find_councils)
        return found


@dataclass(frozen=True, slots=True)
class _Published:
    """A study published in the window."""

    item: StudyItem
    council_id: int
    members_only: bool
    published_at: datetime


@dataclass(frozen=True, slots=True)
class _Update:
    item: UpdateItem
    members_only: bool


@dataclass(frozen=True, slots=True)
class _Asked:
    """A question asked in the window, or reaching its seventh day unanswered in it."""

    item: QuestionItem
    author_id: int
    council_id: int
    members_only: bool
    created_at: datetime
    topic_ids: tuple[int, ...]  # in the topics' order


@dataclass(frozen=True, slots=True)
class _Comments:
    study: StudyItem
    members_only: bool
    author_id: int
    count: int
    newest: datetime


def _in_window(column, since: datetime, until: datetime) -> list[ColumnElement[bool]]:
    return [column > since, column <= until]


def _item(row) -> StudyItem:
    return StudyItem(id=row.id, title=row.title, council_name=row.council_name, outcome=row.outcome)


class Window:
    """What happened in (since, until], read once and shared by every member whose digest
    covers the same window (after the first run, everyone sent in one run shares one): the
    studies published, the updates approved and the comments written, with what each member's
    digest needs to choose among them. A handful of queries a window, whatever the number of
    members; each member's digest is then chosen from these without a query, but for a saved
    search seen for the first time in this window (one query each, shared by all who saved it).
    """

    def __init__(self, since: datetime, until: datetime, searches: SearchCache):
        self.since, self.until, self.searches = since, until, searches
        published_in_window = [
            CaseStudy.status == Status.PUBLISHED,
            *_in_window(CaseStudy.published_at, since, until),
        ]
        self.studies: dict[int, _Published] = {}
        for row in db.session.execute(
            select(
                CaseStudy.id,
                CaseStudy.title,
                CaseStudy.outcome,
                CaseStudy.council_id,
                CaseStudy.visibility,
                CaseStudy.published_at,
                Council.name.label("council_name"),
            )
            .join(Council, Council.id == CaseStudy.council_id)
            .where(*published_in_window)
        ):
            self.studies[row.id] = _Published(
                item=_item(row),
                council_id=row.council_id,
                members_only=row.visibility is not Visibility.PUBLIC,
                published_at=row.published_at,
            )
        self.by_council: dict[int, set[int]] = defaultdict(set)  # council id -> study ids
        for study_id, study in self.studies.items():
            self.by_council[study.council_id].add(study_id)
        self.topics: dict[int, set[int]] = defaultdict(set)  # topic id -> study ids
        if self.studies:
            for study_id, topic_id in db.session.execute(
                select(case_study_topics.c.case_study_id, case_study_topics.c.topic_id).where(
                    case_study_topics.c.case_study_id.in_(
                        select(CaseStudy.id).where(*published_in_window)
                    )
                )
            ):
                self.topics[topic_id].add(study_id)
        self.search_ids: dict[str, set[int]] = {}

        self.updates: list[_Update] = []
        for row in db.session.execute(
            select(
                CaseStudy.id,
                CaseStudy.title,
                CaseStudy.outcome,
                CaseStudy.visibility,
                Council.name.label("council_name"),
                StudyUpdate.happened_on,
                StudyUpdate.new_outcome,
                StudyUpdate.previous_outcome,
            )
            .join(CaseStudy, CaseStudy.id == StudyUpdate.study_id)
            .join(Council, Council.id == CaseStudy.council_id)
            .where(
                StudyUpdate.status == RevisionStatus.APPROVED,
                *_in_window(StudyUpdate.published_at, since, until),
                CaseStudy.status == Status.PUBLISHED,
            )
            .order_by(StudyUpdate.published_at.desc(), StudyUpdate.id.desc())
        ):
            update_item = UpdateItem(
                study=_item(row),
                happened_on=row.happened_on,
                new_outcome=row.new_outcome,
                previous_outcome=row.previous_outcome,
            )
            self.updates.append(_Update(update_item, row.visibility is not Visibility.PUBLIC))
        # The councils that said "we tried this too" about each updated study.
        self.tried_by_council: dict[int, set[int]] = defaultdict(set)  # council -> study ids
        updated = sorted({update.item.study.id for update in self.updates})
        for start in range(0, len(updated), 500):
            for study_id, council_id in db.session.execute(
                select(TriedToo.case_study_id, TriedToo.council_id).where(
                    TriedToo.case_study_id.in_(updated[start : start + 500])
                )
            ):
                self.tried_by_council[council_id].add(study_id)
        # Where each study's updates are in the list (newest first).
        self.updates_of: dict[int, list[int]] = defaultdict(list)
        for position, approved in enumerate(self.updates):
            self.updates_of[approved.item.study.id].append(position)

        # Visible comments, counted by study and author, under their study's council.
        self.comments: dict[int, list[_Comments]] = defaultdict(list)
        for row in db.session.execute(
            select(
                CaseStudy.id,
                CaseStudy.title,
                CaseStudy.outcome,
                CaseStudy.visibility,
                CaseStudy.council_id,
                Council.name.label("council_name"),
                Comment.author_id,
                func.count(Comment.id).label("count"),
                func.max(Comment.created_at).label("newest"),
            )
            .join(CaseStudy, CaseStudy.id == Comment.case_study_id)
            .join(Council, Council.id == CaseStudy.council_id)
            .where(
                *_in_window(Comment.created_at, since, until),
                Comment.hidden_at.is_(None),
                Comment.deleted_at.is_(None),
                CaseStudy.status == Status.PUBLISHED,
            )
            .group_by(
                CaseStudy.id,
                CaseStudy.title,
                CaseStudy.outcome,
                CaseStudy.visibility,
                CaseStudy.council_id,
                Council.name,
                Comment.author_id,
            )
        ):
            self.comments[row.council_id].append(
                _Comments(
                    study=_item(row),
                    members_only=row.visibility is not Visibility.PUBLIC,
                    author_id=row.author_id,
                    count=row.count,
                    newest=_aware(row.newest),
                )
            )

        self._read_questions()

    def _read_questions(self) -> None:
        """The questions of the window, in one query (a row per question and topic): those
        asked in it, and those whose seventh day falls in it with no visible answer yet. Then,
        if any are unanswered, which councils have published studies on their topics."""
        since, until = self.since, self.until
        position = {topic.id: topic.position for topic in self.searches.topics}
        # Topics themselves, not their names: members read their digests in different languages.
        self.topics_by_id = {topic.id: topic for topic in self.searches.topics}
        asked_in_window = and_(*_in_window(Question.created_at, since, until))
        seventh_day_in_window = and_(
            *_in_window(Question.created_at, since - UNANSWERED_AFTER, until - UNANSWERED_AFTER)
        )
        has_answer = (
            select(Answer.id)
            .where(Answer.question_id == Question.id, Answer.hidden_at.is_(None))
            .exists()
        )
        rows: dict[int, dict] = {}
        for row in db.session.execute(
            select(
                Question.id,
                Question.title,
                Question.author_id,
                Question.council_id,
                Question.visibility,
                Question.created_at,
                Council.name.label("council_name"),
                question_topics.c.topic_id,
                asked_in_window.label("new"),
                has_answer.label("answered"),
            )
            .join(Council, Council.id == Question.council_id)
            .join(question_topics, question_topics.c.question_id == Question.id)
            .where(Question.hidden_at.is_(None), or_(asked_in_window, seventh_day_in_window))
        ):
            found = rows.setdefault(row.id, {"row": row, "topics": []})
            found["topics"].append(row.topic_id)
        self.questions: dict[int, _Asked] = {}  # asked in the window
        self.unanswered: dict[int, _Asked] = {}  # seven days old in the window, no answer
        self.question_topics: dict[int, set[int]] = defaultdict(set)  # topic -> asked in window
        for question_id, found in rows.items():
            row = found["row"]
            asked = _Asked(
                item=QuestionItem(
                    id=row.id,
                    title=row.title,
                    council_name=row.council_name,
                    asked_at=_aware(row.created_at),
                ),
                author_id=row.author_id,
                council_id=row.council_id,
                members_only=row.visibility is not Visibility.PUBLIC,
                created_at=_aware(row.created_at),
                topic_ids=tuple(sorted(found["topics"], key=lambda id: position.get(id, 99))),
            )
            if row.new:
                self.questions[question_id] = asked
                for topic_id in asked.topic_ids:
                    self.question_topics[topic_id].add(question_id)
            seventh_day = asked.created_at + UNANSWERED_AFTER
            if not row.answered and since < seventh_day <= until:
                self.unanswered[question_id] = asked
        # Which councils have published studies on the unanswered questions' topics.
        self.council_topics: dict[int, set[int]] = defaultdict(set)
        wanted = {topic_id for asked in self.unanswered.values() for topic_id in asked.topic_ids}
        if wanted:
            for council_id, topic_id in db.session.execute(
                select(CaseStudy.council_id, case_study_topics.c.topic_id)
                .join(case_study_topics, case_study_topics.c.case_study_id == CaseStudy.id)
                .where(
                    CaseStudy.status == Status.PUBLISHED,
                    case_study_topics.c.topic_id.in_(sorted(wanted)),
                )
                .distinct()
            ):
                self.council_topics[council_id].add(topic_id)
        # Chosen once per council (and audience), then shared by its members.
        self._help_wanted: dict[tuple[int, bool], list[tuple[int, list[_Asked]]]] = {}
        self._followed_questions: dict[tuple[frozenset[int], bool], list[_Asked]] = {}

    def help_wanted(self, council_id: int, members_ok: bool) -> list[tuple[int, list[_Asked]]]:
        """The unanswered questions a council could help with, as (topic id, questions) in the
        topics' order: each question once, under the first of its topics the council has
        published on, oldest first; never the council's own questions."""
        key = (council_id, members_ok)
        found = self._help_wanted.get(key)
        if found is not None:
            return found
        published_on = self.council_topics.get(council_id, set())
        groups: dict[int, list[_Asked]] = defaultdict(list)
        if published_on:
            for asked in self.unanswered.values():
                if asked.council_id == council_id or (asked.members_only and not members_ok):
                    continue
                topic_id = next((t for t in asked.topic_ids if t in published_on), None)
                if topic_id is not None:
                    groups[topic_id].append(asked)
        order = {topic.id: topic.position for topic in self.searches.topics}
        found = self._help_wanted[key] = [
            (topic_id, sorted(groups[topic_id], key=lambda a: (a.created_at, a.item.id)))
            for topic_id in sorted(groups, key=lambda id: order.get(id, 99))
        ]
        return found

    def followed_questions(self, topic_ids: frozenset[int], members_ok: bool) -> list[_Asked]:
        """The questions asked in the window on any of ``topic_ids``, newest first."""
        key = (topic_ids, members_ok)
        found = self._followed_questions.get(key)
        if found is None:
            ids: set[int] = set()
            for topic_id in topic_ids:
                ids |= self.question_topics.get(topic_id, set())
            found = self._followed_questions[key] = sorted(
                (
                    self.questions[id]
                    for id in ids
                    if members_ok or not self.questions[id].members_only
                ),
                key=lambda asked: (asked.created_at, asked.item.id),
                reverse=True,
            )
        return found

    def searched(self, query: str) -> set[int]:
        """The studies published in the window that the board shows for a saved search, to
        someone who may read members-only studies (the digest leaves those out for others):
        the board's own parsing, conditions and search, among the window's studies."""
        found = self.search_ids.get(query)
        if found is not None:
            return found
        if not self.studies:
            found = self.search_ids[query] = set()
            return found
        filters = self.searches.filters(query)
        conditions = [
            *_in_window(CaseStudy.published_at, self.since, self.until),
            *browse_queries.filter_conditions(filters),
        ]
        if filters.searching:
            dialect = db.session.get_bind().dialect.name
            # Ranking does not matter here, only which studies match: roughly on SQLite.
            matches = search.matching_studies_query(
                filters.q,
                MEMBERS_VIEWER,
                dialect,
                conditions,
                limit=len(self.studies),
                roughly=True,
                among=self.studies if len(self.studies) <= AMONG_LIMIT else None,
            )
            ids = db.session.scalars(select(matches.subquery().c.id))
        else:
            ids = db.session.scalars(
                select(CaseStudy.id).where(CaseStudy.status == Status.PUBLISHED, *conditions)
            )
        found = self.search_ids[query] = set(ids)
        return found

    def digest_for(self, viewer: User, follows: list[Follow]) -> Digest:
        digest = Digest(since=self.since, until=self.until)
        members_ok = can_see_members_only(viewer)

        # New studies that match any follow, each once, newest first.
        chosen: set[int] = set()
        councils = {f.council_id for f in follows if f.kind is FollowKind.COUNCIL}
        for f in follows:
            if f.kind is FollowKind.TOPIC:
                chosen |= self.topics.get(f.topic_id, set())
            elif f.kind is FollowKind.SEARCH:
                chosen |= self.searched(f.query)
        for council_id in councils:
            chosen |= self.by_council.get(council_id, set())
        studies = sorted(
            (
                self.studies[id]
                for id in chosen
                if id in self.studies and (members_ok or not self.studies[id].members_only)
            ),
            key=lambda study: (study.published_at, study.item.id),
            reverse=True,
        )
        digest.studies = [study.item for study in studies[:MAX_ITEMS]]
        digest.more_studies = max(len(studies) - MAX_ITEMS, 0)

        # Updates to studies they follow, or that their council tried too.
        about = {f.study_id for f in follows if f.kind is FollowKind.STUDY}
        about |= self.tried_by_council.get(viewer.council_id, set())
        positions = sorted(
            position for study_id in about for position in self.updates_of.get(study_id, ())
        )
        updates = [
            self.updates[position].item
            for position in positions
            if members_ok or not self.updates[position].members_only
        ]
        digest.updates = updates[:MAX_ITEMS]
        digest.more_updates = max(len(updates) - MAX_ITEMS, 0)

        # Comments by others on their council's studies, the most recently discussed first.
        if viewer.council_id is not None:
            counts: dict[int, list] = {}
            for row in self.comments.get(viewer.council_id, ()):
                if row.author_id == viewer.id or (row.members_only and not members_ok):
                    continue
                entry = counts.setdefault(row.study.id, [row.study, 0, row.newest])
                entry[1] += row.count
                entry[2] = max(entry[2], row.newest)
            discussed = sorted(counts.values(), key=lambda e: (e[2], e[0].id), reverse=True)
            digest.comments = [CommentsItem(study, count) for study, count, _newest in discussed]
            digest.comments, digest.more_comments = (
                digest.comments[:MAX_ITEMS],
                max(len(digest.comments) - MAX_ITEMS, 0),
            )
        self._add_questions(digest, viewer, follows, members_ok)
        return digest

    def _topic_name(self, topic_id: int) -> str:
        """A topic's name in the language of the moment (the digest's reader's)."""
        topic = self.topics_by_id.get(topic_id)
        return topic.name if topic is not None else ""

    def _add_questions(
        self, digest: Digest, viewer: User, follows: list[Follow], members_ok: bool
    ) -> None:
        """Unanswered questions the member's council could help with (verified members of a
        council only), then new questions on topics they follow, none of their own and none
        twice."""
        listed: set[int] = set()
        if self.unanswered and viewer.council_id is not None and viewer.is_verified:
            room = MAX_ITEMS
            for topic_id, questions in self.help_wanted(viewer.council_id, members_ok):
                shown = [asked.item for asked in questions if asked.author_id != viewer.id]
                listed.update(item.id for item in shown)
                if room > 0 and shown:
                    digest.unanswered.append(
                        UnansweredGroup(self._topic_name(topic_id), shown[:room])
                    )
                digest.more_unanswered += max(len(shown) - max(room, 0), 0)
                room -= len(shown)
        if self.questions:
            topic_ids = frozenset(
                f.topic_id for f in follows if f.kind is FollowKind.TOPIC and f.topic_id
            )
            if topic_ids:
                questions = [
                    asked.item
                    for asked in self.followed_questions(topic_ids, members_ok)
                    if asked.author_id != viewer.id and asked.item.id not in listed
                ]
                digest.questions = questions[:MAX_ITEMS]
                digest.more_questions = max(len(questions) - MAX_ITEMS, 0)


def _aware(value):
    """SQLite gives max() of a datetime column back as text; PostgreSQL as a datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


class Windows:
    """The windows read this run, the most recent few kept (most members share one)."""

    def __init__(self, searches: SearchCache | None = None, keep: int = 4):
        if searches is None:
            searches = SearchCache(list(db.session.scalars(browse_queries.topics_query())))
        self.searches = searches
        self.keep = keep
        self.windows: dict[tuple[datetime, datetime], Window] = {}
        # Unanswered questions sent to councils in this batch, to record once it commits.
        self.sent_for_help: set[int] = set()

    def get(self, since: datetime, until: datetime) -> Window:
        key = (since, until)
        window = self.windows.pop(key, None)
        if window is None:
            window = Window(since, until, self.searches)
            while len(self.windows) >= self.keep:
                self.windows.pop(next(iter(self.windows)))
        self.windows[key] = window  # the most recently used last
        return window


def build_digest(
    member: User, follows: list[Follow], now: datetime, windows: Windows | None = None
) -> Digest:
    """``member``'s digest for the window ending at ``now``."""
    since = window_start(member, now)
    if since >= now:
        return Digest(since=since, until=now)
    if windows is None:
        windows = Windows()
    return windows.get(since, now).digest_for(member, follows)


def follows_by_member(member_ids: list[int]) -> dict[int, list[Follow]]:
    """The follows of these members, in one query."""
    found: dict[int, list[Follow]] = defaultdict(list)
    if member_ids:
        for follow in db.session.scalars(
            select(Follow).where(Follow.user_id.in_(member_ids)).order_by(Follow.id)
        ):
            found[follow.user_id].append(follow)
    return found


# --- Unsubscribing ---------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def _address_fingerprint(user: User) -> str:
    """Carried in the link, so that a link mailed to an old address stops working. Keyed with
    the secret: the link is signed, not encrypted, and a plain hash would let whoever holds it
    confirm a guessed address."""
    key = f"{UNSUBSCRIBE_SALT}:{current_app.config['SECRET_KEY']}".encode()
    return hmac.new(key, user.email.encode(), hashlib.sha256).hexdigest()[:16]


def unsubscribe_token(user: User) -> str:
    """A link's token that needs no expiry: the signature is the authority."""
    return _serializer().dumps({"user": user.id, "address": _address_fingerprint(user)})


def user_for_unsubscribe(token: str) -> User | None:
    """The member ``token`` was made for, or None if it is not ours, was tampered with, or
    their address (or account) has gone since."""
    try:
        data = _serializer().loads(token)
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return None
    user = db.session.get(User, data["user"])
    if user is None or user.deleted_at is not None:
        return None
    if data.get("address") != _address_fingerprint(user):
        return None
    return user


def unsubscribe(user: User) -> None:
    user.digest_frequency = DigestFrequency.NONE
    db.session.flush()


def unsubscribe_link(user: User) -> str:
    # /unsubscribe/<token> is in the URL contract (PRODUCT.md).
    return public_url(f"/unsubscribe/{unsubscribe_token(user)}")


# --- Sending ---------------------------------------------------------------------------------


def render_email(member: User, digest: Digest, unsubscribe: str) -> str:
    """The digest's text, in the language of the moment: ``send_one`` renders it inside
    ``in_language_of(member)``."""
    # Straight from the environment: no request, so none of the pages' context processors.
    return current_app.jinja_env.get_template("digests/email.txt").render(
        user=member,
        digest=digest,
        following_link=public_url("/account/following"),
        unsubscribe_link=unsubscribe,
        board_link=public_url("/"),
        questions_link=public_url(QUESTIONS_PATH),
    )


# Claiming a member's period: made once, run for every member with its values.
CLAIM = (
    update(User.__table__)
    .where(
        User.id == bindparam("member_id"),
        User.digest_frequency == bindparam("frequency"),
        or_(User.digest_period.is_(None), User.digest_period != bindparam("period")),
    )
    .values(digest_period=bindparam("claimed"), digest_covered_until=bindparam("covered"))
)


def claim(member: User, period: str, now: datetime) -> bool:
    """Record ``period`` as sent for ``member`` unless it already is (by another run, on this
    host or another); True when this run claimed it. Runs in the caller's transaction, which
    also writes the email: both commit or neither."""
    # On the session's connection, as Core: no ORM bookkeeping for 10,000 members.
    result = db.session.connection().execute(
        CLAIM,
        {
            "member_id": member.id,
            "frequency": member.digest_frequency,
            "period": period,
            "claimed": period,
            "covered": now,
        },
    )
    return result.rowcount == 1


@dataclass
class SendReport:
    checked: int = 0
    sent: int = 0
    empty: int = 0
    # Due when read, but another run sent theirs first.
    taken: int = 0
    failed: int = 0
    elapsed: float = 0.0

    def summary(self) -> str:
        return (
            f"Digests: {self.checked} members checked, {self.sent} sent, "
            f"{self.empty} skipped as empty, {self.taken} already sent by another run, "
            f"{self.failed} failed, in {self.elapsed:.1f} s"
        )


def send_one(member: User, follows: list[Follow], now: datetime, windows: Windows) -> str:
    """Claim ``member``'s period and write their digest to the outbox, in the current
    transaction; return "sent", "empty" or "taken". Whatever can fail is done before the
    claim, so a failure leaves the member due and the batch's transaction untouched."""
    period = period_key(member.digest_frequency, now)
    message = None
    # All of it in the member's language (their account's, else English), subject and dates
    # too, whoever else is in the same batch.
    with in_language_of(member):
        digest = build_digest(member, follows, now, windows)
        if not digest.is_empty:
            link = unsubscribe_link(member)
            message = (
                single_address(member.email),
                digest.subject,
                render_email(member, digest, link),
                {
                    "List-Unsubscribe": f"<{link}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
    # Never moves back, even when run with an earlier --now than the last run.
    covered = max(now, member.digest_covered_until or now)
    if not claim(member, period, covered):
        return "taken"
    if message is None:
        return "empty"
    to, subject, body, headers = message
    send_email(to, subject, body, headers=headers)
    windows.sent_for_help.update(digest.unanswered_ids)
    return "sent"


def record_sent_for_help(question_ids: set[int], now: datetime) -> None:
    """Record when each question was first sent to councils as unanswered: one statement,
    in the batch's transaction. Nothing depends on it to send a question once (the windows
    do that); it says on the question that councils were asked."""
    if question_ids:
        db.session.execute(
            update(Question)
            .where(Question.id.in_(sorted(question_ids)), Question.unanswered_digest_at.is_(None))
            .values(unanswered_digest_at=now),
            execution_options={"synchronize_session": False},
        )
        question_ids.clear()


def send_digests(now: datetime, batch_size: int = DEFAULT_BATCH_SIZE) -> SendReport:
    """Send every due member their digest for the period at ``now``, a batch of members per
    transaction. Memory stays flat: each batch's rows leave the session once it commits."""
    started = time.monotonic()
    report = SendReport()
    windows = Windows()
    after_id = 0
    while True:
        members = db.session.scalars(due_members_query(now, after_id, batch_size)).all()
        if not members:
            db.session.rollback()
            break
        after_id = members[-1].id
        follows = follows_by_member([member.id for member in members])
        for member in members:
            report.checked += 1
            try:
                outcome = send_one(member, follows.get(member.id, []), now, windows)
            except Exception:
                log.exception("Digest for member %s not sent", member.id)
                report.failed += 1
                continue
            if outcome == "sent":
                report.sent += 1
            elif outcome == "empty":
                report.empty += 1
            else:
                report.taken += 1
        record_sent_for_help(windows.sent_for_help, now)
        db.session.commit()
        db.session.expunge_all()
    report.elapsed = time.monotonic() - started
    return report
