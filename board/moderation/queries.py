"""What moderators look at: the review queue, what changed in an edit, and the log."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from board.extensions import db
from board.models import (
    Answer,
    CaseStudy,
    Council,
    CouncilRequest,
    ModerationLog,
    Question,
    ReportReason,
    RevisionStatus,
    Status,
    StudyRevision,
    StudyUpdate,
    Topic,
    User,
)
from board.models.base import utcnow

FIELD_LABELS = {
    "title": _l("Title"),
    "summary": _l("Summary"),
    "outcome": _l("Outcome"),
    "challenge": _l("The challenge"),
    "what_we_tried": _l("What we tried"),
    "what_happened": _l("What happened"),
    "what_we_learned": _l("What we learned"),
    "what_we_would_do_differently": _l("What we would do differently"),
    "started_on": _l("Started"),
    "ended_on": _l("Ended"),
    "cost_band": _l("Cost"),
    "visibility": _l("Who can read it"),
    "topics": _l("Topics"),
}


@dataclass
class Change:
    label: str
    # (kind, text) pieces: kind is "same", "removed" or "added".
    pieces: list[tuple[str, str]]


@dataclass
class QueueItem:
    study: CaseStudy
    revision: StudyRevision | None
    submitted_at: datetime
    changes: list[Change] = field(default_factory=list)
    # The topics of what is under review (an edit may change them), by name.
    topics: list[str] = field(default_factory=list)
    # An update of a published study ("six months on"), reviewed on its own page.
    update: StudyUpdate | None = None

    @property
    def content(self) -> CaseStudy | StudyRevision:
        return self.revision or self.study

    @property
    def waited(self) -> str:
        return time_waited(self.submitted_at)


def time_waited(since: datetime, now: datetime | None = None) -> str:
    """How long something has waited, in the largest whole unit: "3 days", "1 hour"."""
    seconds = ((now or utcnow()) - since).total_seconds()
    days, hours, minutes = int(seconds // 86400), int(seconds // 3600), int(seconds // 60)
    if days >= 1:
        return ngettext("%(num)d day", "%(num)d days", days)
    if hours >= 1:
        return ngettext("%(num)d hour", "%(num)d hours", hours)
    if minutes >= 1:
        return ngettext("%(num)d minute", "%(num)d minutes", minutes)
    return _("less than a minute")


def _topic_names(content: CaseStudy | StudyRevision, topics: dict[int, str]) -> list[str]:
    return sorted(topics[i] for i in content.topic_ids if i in topics)


def _words(text: str) -> list[str]:
    # Each word keeps the space after it, so a changed phrase reads as one change.
    return re.findall(r"\s+|\S+\s*", text)


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """The words removed and added between two texts, with the unchanged words between."""
    old, new = _words(before), _words(after)
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            pieces.append(("same", "".join(old[old_start:old_end])))
            continue
        if old_end > old_start:
            pieces.append(("removed", "".join(old[old_start:old_end])))
        if new_end > new_start:
            pieces.append(("added", "".join(new[new_start:new_end])))
    return pieces


def _display(value) -> str:
    if value is None:
        return ""
    label = getattr(value, "label", None)
    if label is not None:
        return str(label)
    if hasattr(value, "strftime"):
        return format_date(value, "LLLL y")
    return str(value)


def revision_changes(study: CaseStudy, revision: StudyRevision, topics: dict[int, str]):
    """What an edit would change on the published study, field by field."""
    changes = []
    for name in CaseStudy.CONTENT_FIELDS:
        before, after = getattr(study, name), getattr(revision, name)
        if before != after:
            changes.append(
                Change(str(FIELD_LABELS[name]), word_diff(_display(before), _display(after)))
            )
    before_topics = ", ".join(topics[i] for i in sorted(study.topic_ids))
    after_topics = ", ".join(topics[i] for i in sorted(revision.topic_ids) if i in topics)
    if before_topics != after_topics:
        changes.append(Change(str(FIELD_LABELS["topics"]), word_diff(before_topics, after_topics)))
    return changes


def review_queue() -> list[QueueItem]:
    """New studies, edits of published ones and updates awaiting review, oldest first."""
    studies = db.session.scalars(
        select(CaseStudy)
        .where(CaseStudy.status == Status.SUBMITTED)
        .options(
            joinedload(CaseStudy.council),
            joinedload(CaseStudy.author),
            selectinload(CaseStudy.topics),
        )
    )
    revisions = db.session.scalars(
        select(StudyRevision)
        .where(StudyRevision.status == RevisionStatus.SUBMITTED)
        .options(
            joinedload(StudyRevision.author),
            joinedload(StudyRevision.study).joinedload(CaseStudy.council),
            joinedload(StudyRevision.study).selectinload(CaseStudy.topics),
        )
    )
    topics = {topic.id: topic.name for topic in db.session.scalars(select(Topic))}
    items = [
        QueueItem(study, None, study.submitted_at, topics=_topic_names(study, topics))
        for study in studies
    ]
    items += [
        QueueItem(
            revision.study,
            revision,
            revision.submitted_at,
            topics=_topic_names(revision, topics),
        )
        for revision in revisions
    ]
    from board.updates.queries import waiting_updates_query

    items += [
        QueueItem(update.study, None, update.submitted_at, update=update)
        for update in db.session.scalars(waiting_updates_query())
    ]
    return sorted(items, key=lambda item: (item.submitted_at, item.study.id))


def queue_item_for(study: CaseStudy) -> QueueItem:
    """What the review page shows for one study: the study, or its open edit and what the edit
    would change."""
    revision = study.open_revision if study.is_published else None
    topics = {topic.id: topic.name for topic in db.session.scalars(select(Topic))}
    changes = revision_changes(study, revision, topics) if revision is not None else []
    submitted_at = (revision or study).submitted_at or study.updated_at
    return QueueItem(
        study, revision, submitted_at, changes, _topic_names(revision or study, topics)
    )


def moderation_log_query() -> Select[tuple[ModerationLog]]:
    return (
        select(ModerationLog)
        .options(joinedload(ModerationLog.actor))
        .order_by(ModerationLog.created_at.desc(), ModerationLog.id.desc())
    )


@dataclass(frozen=True)
class LogTarget:
    """What a log entry points at, as the log page shows it: words, and a page if it has one."""

    text: str
    endpoint: str | None = None
    values: dict | None = None
    # The language of ``text`` when someone wrote it (a study's title), for its lang attribute.
    language: str | None = None


def log_targets(entries: list[ModerationLog], viewer: User) -> dict[tuple[str, int], LogTarget]:
    """What the entries on one page point at (a study's title, a person's name, a council's or
    topic's name, the council a request asked for), one query per kind of target present, by
    (target type, id). Administration pages are linked for admins only."""
    ids: dict[str, set[int]] = {}
    for entry in entries:
        ids.setdefault(entry.target_type, set()).add(entry.target_id)
    admin = viewer.is_admin
    targets: dict[tuple[str, int], LogTarget] = {}

    def named(kind: str, query, make) -> None:
        if ids.get(kind):
            for row in db.session.execute(query.where(query.selected_columns[0].in_(ids[kind]))):
                targets[(kind, row[0])] = make(row)

    named(
        "case_study",
        select(CaseStudy.id, CaseStudy.title, CaseStudy.language),
        lambda row: LogTarget(
            row.title, "case_studies.show", {"study_id": row.id}, language=row.language
        ),
    )
    named(
        "user",
        select(User.id, User.name),
        lambda row: LogTarget(
            row.name, "admin.person" if admin else None, {"user_id": row.id} if admin else None
        ),
    )
    named(
        "council",
        select(Council.id, Council.name, Council.slug),
        lambda row: LogTarget(row.name, "browse.council", {"slug": row.slug}),
    )
    named(
        "topic",
        select(Topic.id, Topic.name_en, Topic.name_cy, Topic.slug),
        lambda row: LogTarget(
            Topic(name_en=row.name_en, name_cy=row.name_cy).name,
            "browse.topic",
            {"slug": row.slug},
        ),
    )
    named(
        "council_request",
        select(CouncilRequest.id, CouncilRequest.council_name),
        lambda row: LogTarget(
            _("Request for %(council)s", council=row.council_name),
            "admin.council_request" if admin else None,
            {"request_id": row.id} if admin else None,
        ),
    )
    named(
        "question",
        select(Question.id, Question.title),
        lambda row: LogTarget(row.title, "questions.show", {"question_id": row.id}),
    )
    named(
        "answer",
        select(Answer.id, Question.title, Question.id.label("question_id")).join(
            Question, Question.id == Answer.question_id
        ),
        lambda row: LogTarget(
            _("Answer to %(question)s", question=row.title),
            "questions.show",
            {"question_id": row.question_id, "_anchor": f"answer-{row.id}"},
        ),
    )
    return targets


# What the service itself writes into a log entry's reason or a report's note, in English (the
# stored record), and how a page in another language says it.
_NOTED_PREFIXES = {
    "Comment hidden: ": lambda rest: _("Comment hidden: %(reason)s", reason=rest),
    "Question hidden: ": lambda rest: _("Question hidden: %(reason)s", reason=rest),
    "Answer hidden: ": lambda rest: _("Answer hidden: %(reason)s", reason=rest),
}


def stored_reason(text: str | None) -> str:
    """A stored reason or note as the page says it: a report's reason (stored as its English
    label) or a note the service wrote is said in the page's language; a person's words are
    shown as they wrote them."""
    if not text:
        return ""
    with force_locale("en"):
        reasons = {str(reason.label): reason for reason in ReportReason}
    if text in reasons:
        return reasons[text].label
    for prefix, said in _NOTED_PREFIXES.items():
        if text.startswith(prefix):
            return said(text.removeprefix(prefix))
    return text
