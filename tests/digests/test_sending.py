"""``flask --app wsgi digests send``: one digest a member a period, however often it runs."""

from __future__ import annotations

import os
import threading
from datetime import timedelta

import pytest

from board.digests import services
from board.digests.services import period_key, period_start
from board.extensions import db
from board.models import FollowKind, User
from board.models.user import DigestFrequency
from tests.digests.helpers import NOW, approved_update, at, follow, make_member
from tests.factories import make_council, make_study


def sent_to(outbox, email):
    return [message for message in outbox if message["To"] == email]


def test_period_keys_and_starts():
    daily, weekly = DigestFrequency.DAILY, DigestFrequency.WEEKLY
    assert period_key(daily, at("2026-11-26T23:59:59")) == "2026-11-26"
    assert period_key(daily, at("2026-11-27T00:00")) == "2026-11-27"
    # Sunday night and Monday morning are different weeks.
    assert period_key(weekly, at("2026-11-29T23:59:59")) == "2026-W48"
    assert period_key(weekly, at("2026-11-30T00:00")) == "2026-W49"
    # ISO weeks: 1 January 2027 (a Friday) is still in the 53rd week of 2026.
    assert period_key(weekly, at("2027-01-01T12:00")) == "2026-W53"
    assert period_key(weekly, at("2027-01-04T00:00")) == "2027-W01"
    assert period_start(weekly, at("2026-11-29T23:59")) == at("2026-11-23T00:00")
    assert period_start(daily, at("2026-11-29T23:59")) == at("2026-11-29T00:00")


@pytest.fixture
def council_id(app):
    with app.app_context():
        council = make_council("Hereshire Council")
        db.session.commit()
        return council.id


def _member(council_id, frequency, email, **fields):
    from board.models import Council

    council = db.session.get(Council, council_id)
    member = make_member(council, frequency, email=email, **fields)
    follow(member, FollowKind.COUNCIL, council_id=council_id)
    return member


def _publish(council_id, title, when):
    from board.models import Council

    return make_study(db.session.get(Council, council_id), title=title, published_at=when)


def test_a_digest_is_sent_with_its_links_and_unsubscribe_headers(app, outbox, council_id):
    with app.app_context():
        _member(council_id, DigestFrequency.WEEKLY, "wendy@example.org")
        study = _publish(council_id, "Phishing drill", at("2026-11-25T09:00"))
        db.session.commit()
        report = services.send_digests(NOW)
    assert report.sent >= 1
    [message] = sent_to(outbox, "wendy@example.org")
    assert message["Subject"] == "Case Board: 1 new case study"
    body = message.get_content()
    assert "Phishing drill" in body and "Hereshire Council" in body and "Did not work" in body
    assert (
        "Phishing drill\nHereshire Council · Outcome: Did not work\n"
        f"{app.config['PUBLIC_URL'].rstrip('/')}/studies/{study.id}/phishing-drill\n"
    ) in body
    assert "/account/following" in body
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/unsubscribe/" in unsubscribe
    assert unsubscribe.strip("<>") in body
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_update_is_listed_with_its_change_of_outcome(app, outbox, council_id):
    from board.models import Outcome

    with app.app_context():
        member = make_member(None, email="fay@example.org")
        study = _publish(council_id, "Smart bins", at("2026-03-01T00:00"))
        study.outcome = Outcome.ONGOING
        follow(member, FollowKind.STUDY, study_id=study.id)
        approved_update(study, study.author, at("2026-11-25T09:00"), Outcome.DID_NOT_WORK)
        study.outcome = Outcome.DID_NOT_WORK
        db.session.commit()
        services.send_digests(NOW)
    [message] = sent_to(outbox, "fay@example.org")
    assert message["Subject"] == "Case Board: 1 update you follow"
    assert (
        "Smart bins: update for November 2026\n"
        "Hereshire Council · Outcome: Did not work (was Ongoing)\n"
        f"{app.config['PUBLIC_URL'].rstrip('/')}/studies/{study.id}/smart-bins\n"
    ) in message.get_content()


def test_running_twice_sends_once_and_moves_the_window(app, outbox, council_id):
    with app.app_context():
        member = _member(council_id, DigestFrequency.WEEKLY, "wendy@example.org")
        _publish(council_id, "Phishing drill", at("2026-11-25T09:00"))
        db.session.commit()
        services.send_digests(NOW)
        again = services.send_digests(NOW + timedelta(hours=3))
        member = db.session.get(User, member.id)
        assert member.digest_period == "2026-W48"
        assert member.digest_covered_until == NOW
    assert len(sent_to(outbox, "wendy@example.org")) == 1
    assert again.sent == 0


def test_an_empty_digest_is_skipped_but_the_period_is_done(app, outbox, council_id):
    with app.app_context():
        member = _member(council_id, DigestFrequency.WEEKLY, "wendy@example.org")
        db.session.commit()
        report = services.send_digests(NOW)
        member = db.session.get(User, member.id)
        assert (member.digest_period, member.digest_covered_until) == ("2026-W48", NOW)
    assert report.empty >= 1
    assert sent_to(outbox, "wendy@example.org") == []


def test_daily_digests_either_side_of_midnight(app, outbox, council_id):
    with app.app_context():
        _member(council_id, DigestFrequency.DAILY, "dai@example.org")
        _publish(council_id, "Monday's study", at("2026-11-26T20:00"))
        db.session.commit()
        services.send_digests(at("2026-11-26T23:59:59"))
        _publish(council_id, "Just before midnight", at("2026-11-26T23:59:59.500000"))
        db.session.commit()
        services.send_digests(at("2026-11-26T23:59:59.900000"))  # the same day: nothing
        services.send_digests(at("2026-11-27T00:00:01"))  # the next day
        services.send_digests(at("2026-11-27T06:00"))
    subjects = [message.get_content() for message in sent_to(outbox, "dai@example.org")]
    assert len(subjects) == 2
    assert "Monday's study" in subjects[0] and "Just before midnight" not in subjects[0]
    assert "Just before midnight" in subjects[1] and "Monday's study" not in subjects[1]


def test_weekly_digests_either_side_of_monday(app, outbox, council_id):
    with app.app_context():
        _member(council_id, DigestFrequency.WEEKLY, "wendy@example.org")
        _publish(council_id, "First", at("2026-11-27T10:00"))
        db.session.commit()
        services.send_digests(at("2026-11-29T23:59"))  # Sunday night
        _publish(council_id, "Second", at("2026-11-29T23:59:30"))
        db.session.commit()
        services.send_digests(at("2026-11-29T23:59:45"))
        services.send_digests(at("2026-11-30T00:00:01"))  # Monday: a new week
        services.send_digests(at("2026-12-02T00:00"))
    bodies = [message.get_content() for message in sent_to(outbox, "wendy@example.org")]
    assert len(bodies) == 2
    assert "First" in bodies[0] and "Second" in bodies[1] and "First" not in bodies[1]


def test_who_is_due(app, outbox, council_id):
    with app.app_context():
        study = _publish(council_id, "For everyone", at("2026-11-25T09:00"))
        due = _member(council_id, DigestFrequency.WEEKLY, "due@example.org")
        none = _member(council_id, DigestFrequency.NONE, "none@example.org")
        suspended = _member(council_id, DigestFrequency.WEEKLY, "off@example.org", active=False)
        unconfirmed = _member(council_id, DigestFrequency.WEEKLY, "new@example.org", verified=False)
        done = _member(
            council_id, DigestFrequency.WEEKLY, "done@example.org", digest_period="2026-W48"
        )
        deleted = _member(council_id, DigestFrequency.WEEKLY, "gone@example.org", deleted_at=NOW)
        for member in (due, none, suspended, unconfirmed, done, deleted):
            follow(member, FollowKind.STUDY, study_id=study.id)
        db.session.commit()
        due_ids = set(db.session.scalars(db.select(User.id).where(*services.due_conditions(NOW))))
        assert due.id in due_ids
        assert not {none.id, suspended.id, unconfirmed.id, done.id, deleted.id} & due_ids
        services.send_digests(NOW)
    assert {message["To"] for message in outbox} & {
        "due@example.org",
        "none@example.org",
        "off@example.org",
        "new@example.org",
        "done@example.org",
        "gone@example.org",
    } == {"due@example.org"}


def test_small_batches_reach_everyone_once(app, outbox, council_id):
    with app.app_context():
        emails = [f"member{number}@example.org" for number in range(7)]
        for email in emails:
            _member(council_id, DigestFrequency.DAILY, email)
        _publish(council_id, "News", at("2026-11-26T09:00"))
        db.session.commit()
        report = services.send_digests(NOW, batch_size=2)
    assert sorted(message["To"] for message in outbox if message["To"] in emails) == sorted(emails)
    assert report.checked >= 7


def test_the_command_prints_what_it_did(app, outbox, council_id):
    with app.app_context():
        _member(council_id, DigestFrequency.WEEKLY, "wendy@example.org")
        _publish(council_id, "Phishing drill", at("2026-11-25T09:00"))
        db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["digests", "send", "--now", "2026-11-26T12:00", "--batch-size", "5"]
    )
    assert result.exit_code == 0, result.output
    assert "members checked" in result.output and "1 sent" in result.output
    assert "skipped as empty" in result.output
    again = runner.invoke(args=["digests", "send", "--now", "2026-11-26T13:00:00+00:00"])
    assert "0 sent" in again.output
    assert len(sent_to(outbox, "wendy@example.org")) == 1
    bad = runner.invoke(args=["digests", "send", "--now", "Thursday"])
    assert bad.exit_code != 0


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="row locking needs PostgreSQL")
def test_concurrent_runs_send_once(app, outbox, council_id):
    with app.app_context():
        emails = [f"member{number}@example.org" for number in range(40)]
        for email in emails:
            _member(council_id, DigestFrequency.WEEKLY, email)
        _publish(council_id, "News", at("2026-11-25T09:00"))
        db.session.commit()
    start = threading.Barrier(2)
    reports = []
    errors = []

    def run():
        try:
            with app.app_context():
                start.wait()
                reports.append(services.send_digests(NOW, batch_size=3))
                db.session.remove()
        except Exception as error:  # pragma: no cover - shown by the assertion
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    delivered = [message["To"] for message in outbox if message["To"] in emails]
    assert sorted(delivered) == sorted(emails)
    assert sum(report.sent for report in reports) >= len(emails)
    # Both worked, neither waited for nor repeated the other: locked rows were skipped.
    assert all(report.checked for report in reports)
    assert sum(report.taken for report in reports) == 0


def test_each_member_costs_at_most_two_statements(app, outbox, council_id):
    """The window is read once a run; a member then costs their claim and their outbox row.
    (The outbox's own sending after the commit, on in tests, is left to the mail sender.)"""
    from sqlalchemy import event

    app.config["MAIL_SEND_AFTER_COMMIT"] = False

    def statements_for(members: int, now) -> int:
        with app.app_context():
            ids = [
                _member(council_id, DigestFrequency.DAILY, f"m{members}-{number}@example.org").id
                for number in range(members)
            ]
            _publish(council_id, f"News for {members}", now - timedelta(hours=1))
            # Only these members are due: everyone else (the studies' authors, the last run's
            # members) has no digest, so that both runs read one window.
            db.session.execute(
                db.update(User)
                .where(User.id.not_in(ids))
                .values(digest_frequency=DigestFrequency.NONE)
            )
            db.session.commit()
            statements = []

            def record(conn, cursor, statement, *args):
                statements.append(statement)

            event.listen(db.engine, "before_cursor_execute", record)
            try:
                report = services.send_digests(now, batch_size=1000)
            finally:
                event.remove(db.engine, "before_cursor_execute", record)
            assert report.sent == report.checked == members
            return len(statements)

    few = statements_for(3, at("2026-11-26T12:00"))
    many = statements_for(13, at("2026-11-27T12:00"))
    assert many - few <= 2 * 10, (few, many)


def test_a_run_with_an_earlier_now_does_not_reopen_the_period(app, outbox, council_id):
    # A run "as at" last week, after this week's digest went, must not record last week as
    # the period done: this week's would then be due again and a second one would go.
    with app.app_context():
        member = _member(council_id, DigestFrequency.WEEKLY, "wendy@example.org")
        _publish(council_id, "Phishing drill", at("2026-11-25T09:00"))
        db.session.commit()
        services.send_digests(NOW)
        services.send_digests(NOW - timedelta(days=7))
        _publish(council_id, "Later the same week", NOW + timedelta(hours=1))
        db.session.commit()
        services.send_digests(NOW + timedelta(hours=2))
        member = db.session.get(User, member.id)
        assert (member.digest_period, member.digest_covered_until) == ("2026-W48", NOW)
    assert len(sent_to(outbox, "wendy@example.org")) == 1


def test_switching_frequency_back_and_forth_sends_one_weekly_digest_a_week(app, outbox, council_id):
    with app.app_context():
        member = _member(council_id, DigestFrequency.WEEKLY, "wendy@example.org")
        _publish(council_id, "Monday's study", at("2026-11-22T09:00"))
        db.session.commit()
        services.send_digests(at("2026-11-23T01:00"))  # this week's weekly digest
        db.session.get(User, member.id).digest_frequency = DigestFrequency.DAILY
        _publish(council_id, "Tuesday's study", at("2026-11-24T09:00"))
        db.session.commit()
        services.send_digests(at("2026-11-25T01:00"))  # a daily one
        db.session.get(User, member.id).digest_frequency = DigestFrequency.WEEKLY
        _publish(council_id, "Thursday's study", at("2026-11-26T09:00"))
        db.session.commit()
        same_week = services.send_digests(at("2026-11-26T12:00"))  # no second weekly
        services.send_digests(at("2026-11-30T01:00"))  # next week's
    assert same_week.sent == 0
    bodies = [message.get_content() for message in sent_to(outbox, "wendy@example.org")]
    assert len(bodies) == 3
    assert "Thursday's study" in bodies[2]
