"""When follow-up prompts are due, with an injected clock: six months after publication (in
calendar months), when the planned end month has passed while the study is ongoing, and six
months after "No change yet"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from board.extensions import db
from board.follow_ups import services
from board.models import CaseStudy, Outcome, Status, Visibility
from board.models.case_study import RevisionStatus
from board.models.study_update import StudyUpdate
from tests.factories import make_study
from tests.follow_ups.helpers import at, prompts, send

# Dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-03-10", 6, "2026-09-10"),
        ("2026-08-31", 6, "2027-02-28"),
        ("2027-08-31", 6, "2028-02-29"),  # a leap year
        ("2026-08-29", 6, "2027-02-28"),
        ("2026-12-31", 6, "2027-06-30"),
        ("2026-07-15", 6, "2027-01-15"),  # across the year
        ("2027-03-31", -6, "2026-09-30"),
        ("2026-12-01", 1, "2027-01-01"),
    ],
)
def test_calendar_months(day, months, expected):
    assert services.add_months(date.fromisoformat(day), months) == date.fromisoformat(expected)


def test_the_publication_cutoff_agrees_with_the_due_date_every_day():
    """For every day over two years, a study published on a day near six months before is due
    exactly when it was published before the cutoff (the month ends included)."""
    today = date(2026, 1, 1)
    while today < date(2028, 1, 1):
        now = services.start_of(today) + timedelta(hours=12)
        cutoff = services.latest_publication_due_by(now)
        around = services.add_months(today, -6)
        for offset in range(-4, 5):
            published = services.start_of(around + timedelta(days=offset)) + timedelta(hours=23)
            due = services.six_months_due(published)
            assert (published < cutoff) == (due <= now), (today, published)
        today += timedelta(days=1)


# Six months after publication -----------------------------------------------------------------


def _study(app, world, **fields) -> int:
    with app.app_context():
        study = make_study(world.here, world.people.author, **fields)
        db.session.commit()
        return study.id


def test_the_day_before_nothing_on_the_day_sent(app, world, outbox):
    study_id = _study(app, world, published_at=at("2026-03-10 09:30"))
    assert send(app, "2026-09-09 23:59") == services.Sending()
    assert prompts(app) == []
    sending = send(app, "2026-09-10 00:00")
    assert (sending.created, sending.sent, sending.members_told) == (1, 1, 2)
    assert prompts(app, study_id) == [("six-months", "2026-09-10", True, "")]
    assert len(outbox) == 2


@pytest.mark.parametrize(
    ("published", "due"),
    [("2026-08-31 16:00", "2027-02-28"), ("2027-08-31 08:00", "2028-02-29")],
)
def test_published_on_the_31st_is_due_on_the_last_day_of_february(app, world, published, due):
    _study(app, world, published_at=at(published))
    day_before = (date.fromisoformat(due) - timedelta(days=1)).isoformat()
    assert send(app, f"{day_before} 23:59").sent == 0
    assert send(app, f"{due} 06:00").sent == 1
    assert prompts(app) == [("six-months", due, True, "")]


def test_only_published_studies_are_followed_up(app, world):
    long_ago = {"published_at": at("2025-01-01 10:00")}
    for status in (Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN, Status.REJECTED):
        _study(app, world, status=status, **long_ago)
    members_only = _study(app, world, visibility=Visibility.MEMBERS, **long_ago)
    assert send(app, "2026-01-01 09:00").sent == 1
    assert prompts(app, members_only) == [("six-months", "2025-07-01", True, "")]


def test_a_study_unpublished_after_its_prompt_was_made_is_not_asked(app, world):
    study_id = _study(app, world, published_at=at("2026-01-05 10:00"))
    with app.app_context():
        services.create_due_prompts(at("2026-07-05 09:00"))
        db.session.get(CaseStudy, study_id).status = Status.WITHDRAWN
        db.session.commit()
    assert send(app, "2026-07-05 09:00").sent == 0
    assert prompts(app) == [("six-months", "2026-07-05", False, "")]


def _approved_update(app, study_id: int, approved_at: str, status=RevisionStatus.APPROVED):
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        db.session.add(
            StudyUpdate(
                study_id=study_id,
                author_id=study.author_id,
                happened_on=date(2026, 5, 1),
                body="We switched the pilot off.",
                status=status,
                published_at=at(approved_at) if status is RevisionStatus.APPROVED else None,
            )
        )
        db.session.commit()


def test_skipped_when_an_update_was_approved_in_the_six_months_before(app, world, outbox):
    study_id = _study(app, world, published_at=at("2026-01-10 10:00"))
    _approved_update(app, study_id, "2026-05-20 12:00")
    sending = send(app, "2026-07-10 09:00")
    assert (sending.created, sending.sent, sending.skipped, sending.members_told) == (1, 0, 1, 0)
    # Recorded, answered by the update: never sent later.
    assert prompts(app) == [("six-months", "2026-07-10", False, "updated")]
    assert send(app, "2026-08-10 09:00") == services.Sending()
    assert outbox == []


def test_an_older_or_unapproved_update_does_not_skip_it(app, world):
    older = _study(app, world, published_at=at("2026-01-10 10:00"))
    _approved_update(app, older, "2026-01-09 12:00")
    waiting = _study(app, world, published_at=at("2026-01-10 10:00"))
    _approved_update(app, waiting, "2026-05-20 12:00", status=RevisionStatus.SUBMITTED)
    assert send(app, "2026-07-10 09:00").sent == 2


# The planned end passed while ongoing ---------------------------------------------------------


def _reasons(app, study_id):
    return [(reason, due, sent) for reason, due, sent, _ in prompts(app, study_id)]


def test_end_passed_on_the_first_day_of_the_next_month(app, world):
    # Published in June 2026 (its six-months prompt is due on 1 December), planned to end in
    # March 2027.
    study_id = _study(
        app,
        world,
        published_at=at("2026-06-01 09:00"),
        outcome=Outcome.ONGOING,
        ended_on=date(2027, 3, 1),
    )
    send(app, "2027-03-31 23:59")
    assert _reasons(app, study_id) == [("six-months", "2026-12-01", True)]
    send(app, "2027-04-01 00:00")
    assert _reasons(app, study_id)[1:] == [("end-passed", "2027-04-01", True)]


def test_end_passed_only_while_ongoing(app, world):
    ended = {"published_at": at("2026-12-01 09:00"), "ended_on": date(2027, 1, 1)}
    worked = _study(app, world, outcome=Outcome.WORKED, **ended)
    ongoing = _study(app, world, outcome=Outcome.ONGOING, **ended)
    changed = _study(app, world, outcome=Outcome.ONGOING, **ended)
    with app.app_context():
        services.create_due_prompts(at("2027-02-01 09:00"))
        # Its outcome changes after the prompt was made but before it is sent.
        db.session.get(CaseStudy, changed).outcome = Outcome.DID_NOT_WORK
        db.session.commit()
    assert send(app, "2027-02-01 09:00").sent == 1
    assert _reasons(app, worked) == []
    assert _reasons(app, ongoing) == [("end-passed", "2027-02-01", True)]
    assert _reasons(app, changed) == [("end-passed", "2027-02-01", False)]


def test_no_end_passed_prompt_for_an_end_that_passed_before_publication(app, world):
    study_id = _study(
        app,
        world,
        published_at=at("2026-06-01 09:00"),
        outcome=Outcome.ONGOING,
        ended_on=date(2026, 3, 1),
    )
    send(app, "2026-11-30 09:00")
    assert _reasons(app, study_id) == []


# Snoozed --------------------------------------------------------------------------------------


def test_snoozed_is_due_six_months_on(app, world, outbox):
    study_id = _study(app, world, published_at=at("2026-02-28 10:00"))
    send(app, "2026-08-28 09:00")
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        colleague = db.session.merge(world.people.colleague)
        asked_again = services.snooze(study, colleague, now=at("2026-08-31 15:00"))
        db.session.commit()
    assert asked_again == at("2027-02-28 00:00")
    assert send(app, "2027-02-27 23:59").sent == 0
    outbox.clear()
    assert send(app, "2027-02-28 00:00").sent == 1
    assert prompts(app, study_id) == [
        ("six-months", "2026-08-28", True, "no-change"),
        ("snoozed", "2027-02-28", True, ""),
    ]
    assert "Six months ago your council told us there was no change yet" in (
        outbox[0].get_content()
    )
