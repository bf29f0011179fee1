"""Follow-up prompts: which are due, sending them once, and answering them.

A prompt is due at midnight (UTC) at the start of its day:

- ``six-months``: six calendar months after the study was published (published on 31 August,
  due on the last day of February). Not sent, but recorded as answered, when an update to the
  study was approved in the six months before it was due: the council has already said what
  happened next.
- ``end-passed``: on the first day of the month after the study's planned end month, while the
  study is still ongoing. Only for an end that passes after publication: a study published as
  ongoing after its planned end has its six-months prompt.
- ``snoozed``: six calendar months after a member answered "No change yet". Skipped, as a
  six-months prompt is, when an update was approved in the six months before.

``send_due_prompts(now)`` makes the prompts that have come due (each once: the table's unique
constraint on study, reason and due date) and sends each unsent one once: ``sent_at`` is
claimed with a conditional UPDATE in the same transaction as the notifications and emails, so
that any number of senders, one after another or at the same moment, send it once. It works
through studies, prompts and members in batches, committing each, so its memory stays flat.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import and_, exists, select, update
from sqlalchemy.exc import IntegrityError

from board.extensions import db
from board.i18n import in_language_of
from board.models import CaseStudy, Outcome, Status, User
from board.models.base import utcnow
from board.models.case_study import RevisionStatus
from board.models.follow_up import FollowUpPrompt, FollowUpReason
from board.models.study_update import StudyUpdate
from board.notifications.services import notify

BATCH_SIZE = 200
MONTHS = 6
ANSWERS = ("updated", "no-change")
# Prompts that are not sent, because an update was approved in the months before they were due,
# are recorded as answered by that update.
SKIPPED_ANSWER = "updated"


# Dates ---------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months on (or back), or the month's last day when it is
    shorter: 31 August + 6 is 28 (or 29) February."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def start_of(day: date) -> datetime:
    """Midnight UTC at the start of ``day``: when a prompt due that day becomes due."""
    return datetime.combine(day, time(), tzinfo=UTC)


def six_months_due(published_at: datetime) -> datetime:
    return start_of(add_months(published_at.astimezone(UTC).date(), MONTHS))


def end_passed_due(ended_on: date) -> datetime:
    """The first day of the month after the planned end month."""
    return start_of(add_months(ended_on.replace(day=1), 1))


def snoozed_due(now: datetime) -> datetime:
    return start_of(add_months(now.astimezone(UTC).date(), MONTHS))


def latest_publication_due_by(now: datetime) -> datetime:
    """The moment before which a study must have been published for its six-months prompt to be
    due at ``now``: the day after the latest publication date whose due date has come. When
    today is the last day of its month, that is the end of the month six months back (every day
    from the 28th on in a longer month falls due on it)."""
    today = now.astimezone(UTC).date()
    back = add_months(today, -MONTHS)
    if today.day == calendar.monthrange(today.year, today.month)[1]:
        back = back.replace(day=calendar.monthrange(back.year, back.month)[1])
    return start_of(back + timedelta(days=1))


def latest_end_due_by(now: datetime) -> date:
    """The latest planned end month whose end has passed at ``now`` (its first day)."""
    this_month = now.astimezone(UTC).date().replace(day=1)
    return add_months(this_month, -1)


# Who is asked --------------------------------------------------------------------------------


def council_members_query(council_id: int):
    """The people asked about a council's study: its active, verified members."""
    return select(User).where(
        User.council_id == council_id,
        User.verified_at.is_not(None),
        User.active.is_(True),
        User.deleted_at.is_(None),
    )


def prompt_subject(study: CaseStudy) -> str:
    return _("What happened next with “%(title)s”?", title=study.title)


def prompt_reason(prompt: FollowUpPrompt, study: CaseStudy) -> str:
    """Why the council is asked now, in a sentence, in the current language."""
    if prompt.reason is FollowUpReason.END_PASSED:
        return _(
            "Its planned end in %(month)s has passed while it is marked ongoing.",
            month=format_date(study.ended_on, "LLLL y"),
        )
    if prompt.reason is FollowUpReason.SNOOZED:
        return _("Six months ago your council told us there was no change yet.")
    return _("It is six months since it was published on Case Board.")


def prompt_body(prompt: FollowUpPrompt, study: CaseStudy) -> str:
    return _(
        "%(reason)s Other councils learn most from how the story goes on: write an update to "
        "say what happened next, or tell us there is no change yet and we will ask again in "
        "six months.",
        reason=prompt_reason(prompt, study),
    )


def follow_up_path(study_id: int) -> str:
    return f"/studies/{study_id}/follow-up"


# Making and sending what is due ----------------------------------------------------------------


@dataclass
class Sending:
    created: int = 0
    sent: int = 0
    skipped: int = 0
    members_told: int = 0


def _add_once(study_id: int, reason: FollowUpReason, due_at: datetime) -> bool:
    """Add a prompt unless it exists; False when another sender made it first."""
    try:
        with db.session.begin_nested():
            db.session.add(FollowUpPrompt(study_id=study_id, reason=reason, due_at=due_at))
    except IntegrityError:
        return False
    return True


def _published():
    return and_(CaseStudy.status == Status.PUBLISHED, CaseStudy.published_at.is_not(None))


def _has_prompt(reason: FollowUpReason):
    return exists().where(FollowUpPrompt.study_id == CaseStudy.id, FollowUpPrompt.reason == reason)


def _in_batches(query, column, batch_size: int):
    """Rows of ``query`` in order of ``column`` (unique), ``batch_size`` at a time, each batch
    read afresh after the last was committed."""
    last = None
    while True:
        page = query if last is None else query.where(column > last)
        rows = db.session.execute(page.order_by(column).limit(batch_size)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def create_due_prompts(now: datetime, batch_size: int = BATCH_SIZE) -> int:
    """Make the six-months and end-passed prompts that have come due at ``now``; each once."""
    created = 0
    six_months = select(CaseStudy.id, CaseStudy.published_at).where(
        _published(),
        CaseStudy.published_at < latest_publication_due_by(now),
        ~_has_prompt(FollowUpReason.SIX_MONTHS),
    )
    for rows in _in_batches(six_months, CaseStudy.id, batch_size):
        for study_id, published_at in rows:
            due_at = six_months_due(published_at)
            if due_at <= now:
                created += _add_once(study_id, FollowUpReason.SIX_MONTHS, due_at)
        db.session.commit()
    end_passed = select(CaseStudy.id, CaseStudy.ended_on, CaseStudy.published_at).where(
        _published(),
        CaseStudy.outcome == Outcome.ONGOING,
        CaseStudy.ended_on.is_not(None),
        CaseStudy.ended_on <= latest_end_due_by(now),
        ~_has_prompt(FollowUpReason.END_PASSED),
    )
    for rows in _in_batches(end_passed, CaseStudy.id, batch_size):
        for study_id, ended_on, published_at in rows:
            due_at = end_passed_due(ended_on)
            # Only an end that passes while the study is on the board.
            if published_at < due_at <= now:
                created += _add_once(study_id, FollowUpReason.END_PASSED, due_at)
        db.session.commit()
    return created


def _updated_recently(study_id: int, due_at: datetime, now: datetime) -> bool:
    """Whether an update to the study was approved in the six months before ``due_at`` (or
    since)."""
    since = start_of(add_months(due_at.date(), -MONTHS))
    return db.session.scalar(
        select(
            exists().where(
                StudyUpdate.study_id == study_id,
                StudyUpdate.status == RevisionStatus.APPROVED,
                StudyUpdate.published_at >= since,
                StudyUpdate.published_at <= now,
            )
        )
    )


def _claim(prompt_id: int, now: datetime, **values) -> bool:
    """Mark the prompt sent (or skipped) if nobody has yet: True when it is ours."""
    result = db.session.execute(
        update(FollowUpPrompt)
        .where(
            FollowUpPrompt.id == prompt_id,
            FollowUpPrompt.sent_at.is_(None),
            FollowUpPrompt.answered_at.is_(None),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _tell_members(prompt: FollowUpPrompt, study: CaseStudy, batch_size: int) -> int:
    """Notify the council's members, each in their own language."""
    link = follow_up_path(study.id)
    told = 0
    members = council_members_query(study.council_id)
    last = None
    while True:
        page = members if last is None else members.where(User.id > last)
        batch = db.session.scalars(page.order_by(User.id).limit(batch_size)).all()
        for member in batch:
            with in_language_of(member):
                notify(member, prompt_subject(study), prompt_body(prompt, study), link)
        told += len(batch)
        if len(batch) < batch_size:
            return told
        last = batch[-1].id


def send_one(prompt_id: int, now: datetime, sending: Sending, batch_size: int) -> None:
    """Send one due prompt, if no other sender has: in one transaction, claim it and tell the
    members (or skip it when an update answered it already)."""
    prompt = db.session.get(FollowUpPrompt, prompt_id)
    if prompt is None:  # its study was deleted since the prompt was selected
        return
    study = db.session.get(CaseStudy, prompt.study_id)
    skips = prompt.reason in (FollowUpReason.SIX_MONTHS, FollowUpReason.SNOOZED)
    if skips and _updated_recently(study.id, prompt.due_at, now):
        if _claim(prompt_id, now, answered_at=now, answer=SKIPPED_ANSWER):
            sending.skipped += 1
        db.session.commit()
        return
    if not _claim(prompt_id, now, sent_at=now):
        db.session.rollback()
        return
    sending.sent += 1
    sending.members_told += _tell_members(prompt, study, batch_size)
    db.session.commit()


def due_prompts_query(now: datetime):
    """Unsent, unanswered prompts due at ``now`` about studies still published (and, for an
    end-passed prompt, still ongoing)."""
    return (
        select(FollowUpPrompt.id)
        .join(CaseStudy, CaseStudy.id == FollowUpPrompt.study_id)
        .where(
            FollowUpPrompt.sent_at.is_(None),
            FollowUpPrompt.answered_at.is_(None),
            FollowUpPrompt.due_at <= now,
            _published(),
            (FollowUpPrompt.reason != FollowUpReason.END_PASSED)
            | (CaseStudy.outcome == Outcome.ONGOING),
        )
    )


def send_due_prompts(now: datetime, batch_size: int = BATCH_SIZE) -> Sending:
    """Make the prompts due at ``now`` and send every due prompt not yet sent; commits as it
    goes. Safe to run often and on several hosts at once: each prompt is made once and sent
    once."""
    sending = Sending(created=create_due_prompts(now, batch_size))
    for rows in _in_batches(due_prompts_query(now), FollowUpPrompt.id, batch_size):
        for (prompt_id,) in rows:
            send_one(prompt_id, now, sending, batch_size)
        db.session.expunge_all()  # what was sent is not kept in memory
    return sending


# Answering -------------------------------------------------------------------------------------


def open_prompts_query(study_id: int):
    """The study's prompts that were sent and are waiting for an answer, oldest first."""
    return (
        select(FollowUpPrompt)
        .where(
            FollowUpPrompt.study_id == study_id,
            FollowUpPrompt.sent_at.is_not(None),
            FollowUpPrompt.answered_at.is_(None),
        )
        .order_by(FollowUpPrompt.due_at, FollowUpPrompt.id)
    )


def answer_open_prompts(
    study: CaseStudy, user: User, answer: str, now: datetime | None = None
) -> int:
    """Mark the study's sent, unanswered prompts answered (``answer`` is "updated" when an
    update was submitted, "no-change" when snoozed). Called by board/updates when an update is
    submitted. Returns how many were answered."""
    if answer not in ANSWERS:
        raise ValueError(f"not an answer to a follow-up prompt: {answer!r}")
    result = db.session.execute(
        update(FollowUpPrompt)
        .where(
            FollowUpPrompt.study_id == study.id,
            FollowUpPrompt.sent_at.is_not(None),
            FollowUpPrompt.answered_at.is_(None),
        )
        .values(answered_at=now or utcnow(), answer=answer, answered_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return result.rowcount


def has_update_in_review(study_id: int) -> bool:
    """Whether an update to the study is waiting for a moderator."""
    return db.session.scalar(
        select(
            exists().where(
                StudyUpdate.study_id == study_id,
                StudyUpdate.status == RevisionStatus.SUBMITTED,
            )
        )
    )


def pending_snooze(study_id: int) -> FollowUpPrompt | None:
    """The snoozed prompt waiting to be sent, if a member already said "No change yet"."""
    return db.session.scalar(
        select(FollowUpPrompt)
        .where(
            FollowUpPrompt.study_id == study_id,
            FollowUpPrompt.reason == FollowUpReason.SNOOZED,
            FollowUpPrompt.sent_at.is_(None),
            FollowUpPrompt.answered_at.is_(None),
        )
        .order_by(FollowUpPrompt.due_at)
        .limit(1)
    )


def snooze(study: CaseStudy, user: User, now: datetime | None = None) -> datetime | None:
    """ "No change yet": answer the study's open prompts and ask again in six months. Returns
    when the council will be asked again, or None when no prompt was waiting for an answer
    (nothing changes: "No change yet" answers a question). Once: when a snoozed prompt is
    already waiting (two colleagues answering two prompts), no other is made."""
    now = now or utcnow()
    if not answer_open_prompts(study, user, "no-change", now):
        return None
    waiting = pending_snooze(study.id)
    if waiting is not None:
        return waiting.due_at
    due_at = snoozed_due(now)
    # Pressed at the same moment in two tabs: the same due date, so the constraint keeps one.
    _add_once(study.id, FollowUpReason.SNOOZED, due_at)
    db.session.flush()
    return due_at


def next_question_at(study: CaseStudy, now: datetime) -> datetime | None:
    """When the council will next be asked about the study, as far as is known now: a snoozed
    prompt waiting, six months after publication, or the end of its planned end month."""
    waiting = pending_snooze(study.id)
    moments = [waiting.due_at] if waiting is not None else []
    if study.published_at is not None:
        six_months = six_months_due(study.published_at)
        if six_months > now:
            moments.append(six_months)
        if study.outcome is Outcome.ONGOING and study.ended_on is not None:
            end_passed = end_passed_due(study.ended_on)
            if end_passed > now and study.published_at < end_passed:
                moments.append(end_passed)
    return min(moments, default=None)
