"""Sending follow-up prompts: who is told, what they are told, and each prompt once however
often, and however many at once, the sender runs."""

from __future__ import annotations

import os
import re
import threading
from datetime import date

import pytest

from board.extensions import db
from board.follow_ups import services
from board.models import Notification, Outcome, Role
from board.models.base import utcnow
from board.models.follow_up import FollowUpPrompt
from tests.factories import make_council, make_study, make_user
from tests.follow_ups.helpers import at, prompts, send


def _notifications(app) -> list[tuple[int, str, str, str]]:
    with app.app_context():
        return [
            (n.user_id, n.subject, n.body, n.link)
            for n in db.session.scalars(db.select(Notification).order_by(Notification.id))
        ]


def test_the_councils_active_verified_members_are_told(app, world, outbox):
    with app.app_context():
        here = world.here
        unverified = make_user(here, verified=False, name="Not Yet")
        suspended = make_user(here, name="Sus Pended", active=False)
        deleted = make_user(here, name="Gone")
        deleted.deleted_at = utcnow()
        here_moderator = make_user(here, role=Role.MODERATOR, name="Here Moderator")
        study = make_study(here, world.people.author, published_at=at("2026-01-15 10:00"))
        # Another council's study, not due yet: nobody there is told anything.
        make_study(world.there, world.people.outsider, published_at=at("2026-03-01 10:00"))
        db.session.commit()
        expected = {world.people.author.id, world.people.colleague.id, here_moderator.id}
        left_out = {unverified.id, suspended.id, deleted.id, world.people.outsider.id}
        emails = {world.people.author.email, world.people.colleague.email, here_moderator.email}
        study_id = study.id

    sending = send(app, "2026-07-15 09:00")
    assert (sending.sent, sending.members_told) == (1, 3)
    told = {user_id for user_id, *_ in _notifications(app)}
    assert told == expected and not told & left_out
    assert {message["To"] for message in outbox} == emails
    assert prompts(app, study_id) == [("six-months", "2026-07-15", True, "")]


def test_the_email_and_the_notice_say_why_now(app, world, outbox):
    with app.app_context():
        make_study(
            world.here,
            world.people.author,
            title="Chatbot for council tax",
            published_at=at("2026-01-15 10:00"),
            outcome=Outcome.ONGOING,
            ended_on=date(2026, 9, 1),
        )
        db.session.commit()
        author_id = world.people.author.id
        author_email = world.people.author.email

    send(app, "2026-07-15 09:00")
    notices = [n for n in _notifications(app) if n[0] == author_id]
    (_, subject, body, link) = notices[0]
    assert subject == "What happened next with “Chatbot for council tax”?"
    assert body.startswith("It is six months since it was published on Case Board.")
    assert "write an update" in body and "no change yet" in body
    assert link.startswith("/studies/") and link.endswith("/follow-up")
    email = next(message for message in outbox if message["To"] == author_email)
    assert email["Subject"] == subject
    text = email.get_content()
    assert "It is six months since it was published" in text
    assert text.count(link) == 1 and "http" in text.split(link)[0].splitlines()[-1]

    outbox.clear()
    send(app, "2026-10-01 09:00")
    end_passed = [n for n in _notifications(app) if n[0] == author_id][-1]
    assert end_passed[1] == subject
    assert end_passed[2].startswith(
        "Its planned end in September 2026 has passed while it is marked ongoing."
    )
    assert "Its planned end in September 2026" in outbox[0].get_content()


def test_running_twice_sends_once(app, world, outbox):
    with app.app_context():
        for _ in range(3):
            make_study(world.here, world.people.author, published_at=at("2026-01-15 10:00"))
        db.session.commit()
    first = send(app, "2026-07-20 09:00", batch_size=2)
    assert (first.created, first.sent, first.members_told) == (3, 3, 6)
    assert send(app, "2026-07-20 09:00") == services.Sending()
    assert send(app, "2026-09-01 09:00") == services.Sending()
    assert len(outbox) == 6
    assert len(_notifications(app)) == 6


def test_a_prompt_claimed_by_another_sender_is_not_sent_again(app, world, outbox):
    """The sender selected a prompt as unsent, but another sent it in the meantime: the
    conditional UPDATE finds nothing to claim, and nobody is told twice."""
    with app.app_context():
        make_study(world.here, world.people.author, published_at=at("2026-01-15 10:00"))
        db.session.commit()
        services.create_due_prompts(at("2026-07-15 09:00"))
        prompt_id = db.session.scalar(db.select(FollowUpPrompt.id))
        first = services.Sending()
        services.send_one(prompt_id, at("2026-07-15 09:00"), first, 10)
        again = services.Sending()
        services.send_one(prompt_id, at("2026-07-15 09:05"), again, 10)
    assert (first.sent, again.sent, again.members_told) == (1, 0, 0)
    assert len(outbox) == 2


def test_a_prompt_made_by_another_sender_is_not_made_again(app, world):
    with app.app_context():
        study = make_study(world.here, world.people.author, published_at=at("2026-01-15 10:00"))
        db.session.commit()
        due = services.six_months_due(study.published_at)
        assert services._add_once(study.id, services.FollowUpReason.SIX_MONTHS, due) is True
        db.session.commit()
        assert services._add_once(study.id, services.FollowUpReason.SIX_MONTHS, due) is False
        db.session.commit()
    assert len(prompts(app)) == 1


def test_the_command_sends_and_says_what_it_did(app, world, outbox):
    with app.app_context():
        make_study(world.here, world.people.author, published_at=at("2026-01-15 10:00"))
        make_study(world.here, world.people.author, published_at=at("2026-06-15 10:00"))
        db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["follow-ups", "send", "--now", "2026-07-15T09:00:00Z"])
    assert result.exit_code == 0, result.output
    assert "1 created, 1 sent" in result.output and "2 members told" in result.output
    assert "2026-07-15 09:00 UTC" in result.output
    again = runner.invoke(args=["follow-ups", "send", "--now", "2026-07-15T10:00:00+01:00"])
    assert "0 created, 0 sent" in again.output and "0 members told" in again.output
    assert len(outbox) == 2


def test_the_command_uses_the_clock_without_now(app, world):
    with app.app_context():
        make_study(world.here, world.people.author, published_at=at("2020-01-15 10:00"))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["follow-ups", "send"])
    assert result.exit_code == 0, result.output
    assert "1 created, 1 sent" in result.output


def test_the_command_refuses_a_moment_it_cannot_read(app):
    result = app.test_cli_runner().invoke(args=["follow-ups", "send", "--now", "next tuesday"])
    assert result.exit_code == 2
    assert "ISO 8601" in result.output


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="concurrent senders need PostgreSQL"
)
def test_two_senders_at_once_send_each_prompt_once(app, world, outbox):
    """Four senders start at the same moment over the same due studies, in small batches: every
    prompt is made once and sent once, and every member is told once about each."""
    with app.app_context():
        councils = [world.here, world.there, make_council("Elsewhere Council")]
        members = {council.id: [make_user(council) for _ in range(2)] for council in councils}
        for number in range(30):
            council = councils[number % 3]
            make_study(council, members[council.id][0], published_at=at("2026-01-15 10:00"))
        db.session.commit()
    start = threading.Barrier(4, timeout=10)
    results: list[services.Sending] = []
    errors: list[BaseException] = []

    def run() -> None:
        with app.app_context():
            try:
                start.wait()
                results.append(services.send_due_prompts(at("2026-07-15 09:00"), batch_size=4))
            except BaseException as error:  # reported below, not lost in the thread
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(result.created for result in results) == 30
    assert sum(result.sent for result in results) == 30
    with app.app_context():
        # Each council has its world members (or none) plus the two made here.
        expected = sum(
            len(db.session.scalars(services.council_members_query(council.id)).all()) * 10
            for council in councils
        )
    assert sum(result.members_told for result in results) == expected
    notices = _notifications(app)
    assert len(notices) == expected
    assert len({(user_id, body, link) for user_id, _, body, link in notices}) == expected
    assert len(outbox) == expected
    assert all(sent for _, _, sent, _ in prompts(app))


def test_members_are_told_in_batches(app, world, outbox):
    with app.app_context():
        for _ in range(3):
            make_user(world.here)
        make_study(world.here, world.people.author, published_at=at("2026-01-15 10:00"))
        db.session.commit()
    sending = send(app, "2026-07-15 09:00", batch_size=2)
    assert (sending.sent, sending.members_told) == (1, 5)
    assert len({message["To"] for message in outbox}) == len(outbox) == 5


def test_the_sender_reads_in_batches(app, world):
    """Memory stays flat however large the board: every read of studies, prompts or people is
    a batch with a LIMIT, a single row by its id, or an EXISTS."""
    from sqlalchemy import event

    with app.app_context():
        for number in range(7):
            make_study(
                world.here,
                world.people.author,
                published_at=at("2026-01-15 10:00"),
                outcome=Outcome.ONGOING,
                ended_on=date(2026, 5 + number % 2, 1),
            )
        db.session.commit()
        statements: list[str] = []

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(" ".join(statement.split()))

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            sending = services.send_due_prompts(at("2026-07-15 09:00"), batch_size=3)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    assert (sending.created, sending.sent) == (14, 14)
    reads = [statement for statement in statements if statement.startswith("SELECT")]
    unbounded = [
        statement
        for statement in reads
        if " LIMIT " not in statement
        and not statement.startswith("SELECT EXISTS")
        and not re.search(r"\.id = (\?|%\(pk_1\)s(::INTEGER)?)$", statement)
    ]
    assert unbounded == []
