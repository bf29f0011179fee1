"""The mail outbox: mail is a row written with the change, sent after the commit, once.

Most tests swap ``smtplib.SMTP`` for a fake that records what it is given (or refuses to
connect); one talks to a tiny SMTP server on a real socket.
"""

from __future__ import annotations

import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from board import outbox as sender
from board.comments.services import post_comment
from board.extensions import db
from board.mail import send_email
from board.models import OutboxMessage
from board.models.base import utcnow
from board.notifications.services import notify
from tests.factories import make_council, make_study, make_user

PROJECT_ROOT = Path(__file__).resolve().parent.parent


# --- Helpers ---------------------------------------------------------------------------------


def closed_port() -> int:
    """A loopback port nothing listens on: bound, then closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FakeSMTP:
    """Stands in for ``smtplib.SMTP``; ``down`` makes connecting fail like a closed port."""

    down = False
    sent: list = []
    connections = 0

    def __init__(self, host, port, timeout=None):
        type(self).connections += 1
        if type(self).down:
            raise ConnectionRefusedError(111, "Connection refused")
        self.timeout = timeout

    def starttls(self, context=None):
        pass

    def login(self, username, password):
        pass

    def send_message(self, message, from_addr=None, to_addrs=None):
        type(self).sent.append((to_addrs, message))

    def quit(self):
        pass

    def close(self):
        pass


@pytest.fixture
def smtp(app, monkeypatch):
    """Mail goes to a fake SMTP server (up unless told otherwise)."""
    fake = type("Fake", (FakeSMTP,), {"sent": [], "down": False, "connections": 0})
    monkeypatch.setattr(sender.smtplib, "SMTP", fake)
    app.config.update(
        MAIL_BACKEND="smtp", MAIL_SERVER="smtp.test", MAIL_PORT=587, MAIL_USE_TLS=True
    )
    return fake


@pytest.fixture
def clock(monkeypatch):
    """``clock.advance(minutes)`` moves the sender's idea of now forward."""

    class Clock:
        offset = timedelta()

        def advance(self, minutes: float) -> None:
            self.offset += timedelta(minutes=minutes)

    clock = Clock()
    monkeypatch.setattr(sender, "utcnow", lambda: utcnow() + clock.offset)
    return clock


def rows(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))


def deliver(app, **arguments) -> sender.Delivery:
    with app.app_context():
        return sender.deliver_due(**arguments)


def register(client, csrf_token, email="amira.hughes@pembrokeshire.gov.uk"):
    return client.post(
        "/auth/register",
        data={
            "name": "Amira Hughes",
            "email": email,
            "council_role": "councillor",
            "job_title": "Cabinet Member for Transformation",
            "password": "slate harbour kettle violin",
            "csrf_token": csrf_token("/auth/register"),
        },
    )


# --- Written with the transaction, sent after it ----------------------------------------------


def test_a_rolled_back_action_emails_nobody(app, outbox):
    with app.test_request_context():
        user = make_user(email="pat@testshire.gov.uk")
        db.session.commit()
        notify(user, "Your study was published", "Well done.", "/studies/1/x")
        db.session.rollback()
        # The next transaction commits something else: the rolled-back message stays unsent.
        make_user()
        db.session.commit()
    assert rows(app) == []
    assert outbox == []


def test_a_committed_message_is_sent_after_the_commit(app, outbox):
    with app.app_context():
        user = make_user(email="pat@testshire.gov.uk")
        send_email(user.email, "Hello", "Body")
        assert outbox == []  # nothing leaves before the commit
        db.session.commit()
    assert [message["To"] for message in outbox] == ["pat@testshire.gov.uk"]
    [row] = rows(app)
    assert row.sent_at is not None and row.attempts == 1
    assert deliver(app).sent == 0  # and never again


def test_a_savepoint_rolled_back_takes_its_message_with_it(app, outbox):
    with app.app_context():
        with db.session.begin_nested() as savepoint:
            send_email("gone@testshire.gov.uk", "Gone", "Body")
            db.session.flush()
            savepoint.rollback()
        with db.session.begin_nested():
            send_email("kept@testshire.gov.uk", "Kept", "Body")
        assert outbox == []  # a savepoint's commit is not the transaction's
        db.session.commit()
    assert [message["To"] for message in outbox] == ["kept@testshire.gov.uk"]
    assert [row.to_address for row in rows(app)] == ["kept@testshire.gov.uk"]


def test_production_leaves_sending_to_the_sender(app, outbox):
    app.config["MAIL_SEND_AFTER_COMMIT"] = False
    with app.app_context():
        send_email("pat@testshire.gov.uk", "Hello", "Body")
        db.session.commit()
    assert outbox == []
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0" in result.output
    assert "waiting 0" in result.output
    assert len(outbox) == 1


def test_send_after_commit_follows_app_env_unless_set():
    assert sender.send_after_commit({"APP_ENV": "development", "MAIL_SEND_AFTER_COMMIT": None})
    assert sender.send_after_commit({"APP_ENV": "testing"})
    assert not sender.send_after_commit({"APP_ENV": "production"})
    assert sender.send_after_commit({"APP_ENV": "production", "MAIL_SEND_AFTER_COMMIT": True})


def test_a_failing_sender_never_fails_the_commit(app, outbox, monkeypatch):
    def broken(**arguments):
        raise RuntimeError("the sender itself is broken")

    monkeypatch.setattr(sender, "deliver_due", broken)
    with app.app_context():
        send_email("pat@testshire.gov.uk", "Hello", "Body")
        db.session.commit()
    [row] = rows(app)
    assert row.sent_at is None and row.attempts == 0  # waiting for the worker


# --- SMTP down, SMTP back --------------------------------------------------------------------


def test_registration_answers_normally_while_smtp_is_down(app, client, csrf_token, clock, request):
    app.config.update(
        MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port(), MAIL_TIMEOUT=2
    )
    response = register(client, csrf_token)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/check-email"
    [row] = rows(app)
    assert row.to_address == "amira.hughes@pembrokeshire.gov.uk"
    assert row.sent_at is None and row.failed_at is None
    assert row.attempts == 1
    assert "refused" in row.last_error.lower() or "connect" in row.last_error.lower()
    assert row.next_attempt_at > utcnow() + timedelta(seconds=50)

    # The server comes back; the sender waits out the back-off, then sends it exactly once.
    smtp = request.getfixturevalue("smtp")
    assert deliver(app).sent == 0  # not due yet
    clock.advance(1.5)
    assert deliver(app).sent == 1
    assert deliver(app).sent == 0
    assert [to for to, _ in smtp.sent] == [["amira.hughes@pembrokeshire.gov.uk"]]
    [row] = rows(app)
    assert row.sent_at is not None and row.attempts == 2


def test_a_message_that_keeps_failing_is_given_up_and_kept(app, smtp, clock, caplog):
    app.config["MAIL_MAX_ATTEMPTS"] = 4
    smtp.down = True
    with app.app_context():
        send_email("pat@testshire.gov.uk", "Hello", "Body")
        db.session.commit()  # the first attempt, after the commit
    waits = []
    for _ in range(3):
        [row] = rows(app)
        waits.append(row.next_attempt_at - sender.utcnow())
        clock.advance(61)
        deliver(app)
    [row] = rows(app)
    assert row.attempts == 4
    assert row.failed_at is not None and row.sent_at is None
    assert "Connection refused" in row.last_error
    # Back-off: about 1, 2, 4 minutes after each failure.
    assert [round(wait.total_seconds() / 60) for wait in waits] == [1, 2, 4]
    assert any("given up after 4 attempts" in record.message for record in caplog.records)
    clock.advance(120)
    assert deliver(app).sent == 0  # given up: not tried again by itself

    smtp.down = False
    result = app.test_cli_runner().invoke(args=["mail", "retry"])
    assert "1 message queued again" in result.output
    assert deliver(app).sent == 1
    assert len(smtp.sent) == 1


def test_retry_delays_double_up_to_an_hour():
    minutes = [sender.retry_delay(attempt).total_seconds() / 60 for attempt in range(1, 10)]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_one_refused_message_does_not_undo_the_others(app, smtp, outbox):
    import smtplib

    class Picky(smtp):
        def send_message(self, message, from_addr=None, to_addrs=None):
            if to_addrs == ["refused@testshire.gov.uk"]:
                raise smtplib.SMTPRecipientsRefused({"refused@testshire.gov.uk": (550, b"no")})
            super().send_message(message, from_addr, to_addrs)

    sender.smtplib.SMTP = Picky
    app.config["MAIL_SEND_AFTER_COMMIT"] = False
    with app.app_context():
        for to in ("one@testshire.gov.uk", "refused@testshire.gov.uk", "two@testshire.gov.uk"):
            send_email(to, "Hello", "Body")
        db.session.commit()
    delivery = deliver(app)
    assert (delivery.sent, delivery.failed) == (2, 1)
    assert Picky.connections == 1  # one connection for the pass
    sent = {row.to_address: row.sent_at is not None for row in rows(app)}
    assert sent == {
        "one@testshire.gov.uk": True,
        "refused@testshire.gov.uk": False,
        "two@testshire.gov.uk": True,
    }


def test_an_unreachable_server_stops_the_pass(app, smtp):
    app.config["MAIL_SEND_AFTER_COMMIT"] = False
    smtp.down = True
    with app.app_context():
        for number in range(3):
            send_email(f"p{number}@testshire.gov.uk", "Hello", "Body")
        db.session.commit()
    delivery = deliver(app)
    assert (delivery.sent, delivery.failed, delivery.stopped_early) == (0, 1, True)
    assert [row.attempts for row in rows(app)] == [1, 0, 0]


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 test.invalid ESMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.reply("250-test.invalid")
                self.reply("250 8BITMIME")
            elif verb in (b"HELO", b"RSET", b"NOOP"):
                self.reply("250 OK")
            elif verb == b"MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == b"RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == b"DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (line := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(line[1:] if line.startswith(b"..") else line)
                self.server.received.append((recipients, b"".join(data)))
                self.reply("250 OK queued")
            elif verb == b"QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Not implemented")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SmtpHandler)
    server.daemon_threads = True
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_real_smtp_server_gets_each_message_once(app, smtp_server, clock):
    host, port = smtp_server.server_address
    down = closed_port()
    app.config.update(
        MAIL_BACKEND="smtp", MAIL_SERVER=host, MAIL_PORT=down, MAIL_USE_TLS=False, MAIL_TIMEOUT=5
    )
    with app.app_context():
        send_email("pat@testshire.gov.uk", "Title\r\nBcc: evil@example.org", "Hello\n.\nBye")
        db.session.commit()
    [row] = rows(app)
    assert row.attempts == 1 and row.sent_at is None
    app.config["MAIL_PORT"] = port
    clock.advance(2)
    assert deliver(app).sent == 1
    assert deliver(app).sent == 0
    [(recipients, data)] = smtp_server.received
    assert recipients == ["pat@testshire.gov.uk"]
    received = message_from_bytes(data, policy=policy.default)
    assert received["Subject"] == "Title Bcc: evil@example.org"
    assert received["Bcc"] is None
    assert received["Message-ID"].endswith("@caseboard.example>")
    assert received.get_content().replace("\r\n", "\n") == "Hello\n.\nBye\n"


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="SKIP LOCKED claims need PostgreSQL"
)
def test_two_senders_at_once_send_each_message_once(app, smtp):
    class Slow(smtp):
        def send_message(self, message, from_addr=None, to_addrs=None):
            time.sleep(0.01)
            super().send_message(message, from_addr, to_addrs)

    sender.smtplib.SMTP = Slow
    app.config["MAIL_SEND_AFTER_COMMIT"] = False
    with app.app_context():
        for number in range(40):
            send_email(f"p{number}@testshire.gov.uk", "Hello", "Body")
        db.session.commit()
    results = []
    threads = [threading.Thread(target=lambda: results.append(deliver(app).sent)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 40
    recipients = [to[0] for to, _ in Slow.sent]
    assert sorted(recipients) == sorted(f"p{number}@testshire.gov.uk" for number in range(40))


# --- Headers are safe whatever was typed -----------------------------------------------------


@pytest.mark.parametrize(
    "subject",
    [
        "Title\r\nBcc: evil@example.org",
        "Title\nBcc: evil@example.org",
        "Title\rBcc: evil@example.org",
        "Title\u2028Bcc: evil@example.org",
        "Title\u2029Bcc: evil@example.org",
        "Title\x85Bcc: evil@example.org",
        "Title\x0b\x0c\x1c\x1d\x1e\x1fBcc: evil@example.org",
        "Title\u200e\u202e\x00Bcc: evil@example.org",
    ],
)
def test_a_subject_never_adds_a_header(app, outbox, subject):
    with app.app_context():
        send_email("pat@testshire.gov.uk", subject, "Body\r\nwith a CR\x00 and a NUL")
        db.session.commit()
    [message] = outbox
    assert message["Subject"] == "Title Bcc: evil@example.org"
    assert message["Bcc"] is None
    parsed = message_from_bytes(bytes(message), policy=policy.default)
    assert parsed["Bcc"] is None
    assert sorted(parsed.keys()) == sorted(
        [
            "From",
            "To",
            "Subject",
            "Date",
            "Message-ID",
            "Content-Type",
            "Content-Transfer-Encoding",
            "MIME-Version",
        ]
    )
    assert parsed.get_content() == "Body\nwith a CR and a NUL\n"


def test_a_name_and_title_with_line_breaks_make_one_line(app, outbox):
    with app.test_request_context():
        council = make_council()
        author = make_user(council, email="ava@testshire.gov.uk", email_on_comments=True)
        study = make_study(council, author, title="Chatbots\r\nBcc: evil@example.org\u2028again")
        commenter = make_user(council, name="Eve\nBcc: evil@example.org\x85Evans")
        post_comment(study, commenter, "Did it work?", None)
        db.session.commit()
    [message] = outbox
    subject = message["Subject"]
    assert "\n" not in subject and "\r" not in subject and "\u2028" not in subject
    assert subject == (
        "Eve Bcc: evil@example.org Evans commented on “Chatbots Bcc: evil@example.org again”"
    )
    assert message["Bcc"] is None
    headers = bytes(message).split(b"\n\n", 1)[0]
    assert b"\nBcc:" not in headers


def test_a_long_subject_is_capped():
    folded = sender.one_line("word " * 100)
    assert len(folded) == sender.SUBJECT_LIMIT
    assert folded.endswith("…")


@pytest.mark.parametrize(
    "to",
    [
        "pat@testshire.gov.uk\r\nBcc: evil@example.org",
        "pat@testshire.gov.uk, evil@example.org",
        "Pat <pat@testshire.gov.uk>",
        "pat@testshire.gov.uk\u2028",
        "pat",
        "@testshire.gov.uk",
        "pat@",
        "pat@testshire.gov.uk;evil@example.org",
        "a" * 250 + "@example.org",
    ],
)
def test_a_recipient_must_be_one_plain_address(app, to):
    with app.app_context(), pytest.raises(ValueError, match="single email address"):
        send_email(to, "Hello", "Body")


def test_an_international_address_builds(app, outbox):
    with app.app_context():
        send_email("josé@exämple.org", "Héllo", "Bödy")
        db.session.commit()
    [message] = outbox
    assert message["To"].addresses[0].domain == "xn--exmple-cua.org"
    assert bytes(message)


# --- The file outbox -------------------------------------------------------------------------


def test_the_file_outbox_never_uses_the_address_as_a_path(app, tmp_path):
    folder = tmp_path / "mail" / "outbox"
    app.config.update(MAIL_BACKEND=None, MAIL_SERVER="", MAIL_OUTBOX_DIR=str(folder))
    with app.app_context():
        for to in ("a/b@example.org", "../../escape@example.org", "..@example.org"):
            send_email(to, "Hello", "Body")
        db.session.commit()
    written = sorted(path for path in (tmp_path / "mail").rglob("*") if path.is_file())
    assert len(written) == 3
    for path in written:
        assert path.parent == folder
        assert "@" not in path.name and "example" not in path.name
        assert path.suffix == ".eml"
    assert {message_from_bytes(p.read_bytes())["To"] for p in written} == {
        "a/b@example.org",
        "../../escape@example.org",
        "..@example.org",
    }
    assert all(row.sent_at is not None for row in rows(app))


# --- The worker --------------------------------------------------------------------------------


def test_the_watching_sender_sends_and_stops_on_sigterm(app, database_url, tmp_path):
    folder = tmp_path / "outbox"
    app.config["MAIL_SEND_AFTER_COMMIT"] = False
    with app.app_context():
        send_email("pat@testshire.gov.uk", "Hello", "Body")
        db.session.commit()
    env = {
        **os.environ,
        "APP_ENV": "development",
        "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": database_url,
        "MAIL_SERVER": "",
        "MAIL_OUTBOX_DIR": str(folder),
        "PUBLIC_URL": "http://127.0.0.1:5000",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "wsgi",
            "mail",
            "send",
            "--watch",
            "--interval",
            "0.2",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not list(folder.glob("*.eml")) and time.monotonic() < deadline:
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.1)
        assert len(list(folder.glob("*.eml"))) == 1
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == 0, output
    assert "Mail sender stopped." in output
    [row] = rows(app)
    assert row.sent_at is not None
