"""The mail outbox: messages are rows written with the change that causes them, sent afterwards.

``board.mail.send_email`` adds an ``OutboxMessage`` to the current transaction, so a rolled-back
action emails nobody and no request waits on a mail server while it holds the database. This
module sends what is due:

- ``deliver_due()`` claims one due row at a time (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
  two senders never take the same row), sends it and commits ``sent_at`` in the same short
  transaction, message by message, so one failure never undoes another's success. A failure
  counts an attempt and waits (1, 2, 4 … minutes, at most an hour) before the next; after
  ``MAIL_MAX_ATTEMPTS`` the row is marked given up and kept for an operator.
- ``flask --app wsgi mail send --watch`` (board/mail_cli.py) runs it in production.
- With ``MAIL_SEND_AFTER_COMMIT`` (on in development and tests), the messages a transaction wrote
  are sent as soon as it commits, from the session's ``after_commit`` event, on a session of
  their own; nothing that goes wrong there reaches the caller (the row waits for the sender).

Headers are made safe here whatever the user typed: a subject is folded to one line and capped,
a recipient must be one plain address, and files are named from the row, never the address.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import smtplib
import ssl
import tempfile
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from board.extensions import db
from board.models import OutboxMessage
from board.models.base import utcnow

log = logging.getLogger(__name__)

SUBJECT_LIMIT = 200
ADDRESS_LIMIT = 254
# Characters that would make an address header say more than one plain address.
ADDRESS_SPECIALS = frozenset(',;:<>()[]"\\')
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
# The messages the current transaction wrote, in ``session.info`` until it ends.
PENDING = "outbox_pending"


# --- Safe values -----------------------------------------------------------------------------


def _breaks_a_line(char: str) -> bool:
    # Controls (Cc), format characters (Cf: bidi overrides, zero-width), stray surrogates (Cs),
    # line and paragraph separators (Zl U+2028, Zp U+2029) and every other space (NEL U+0085 is
    # both Cc and whitespace).
    return char.isspace() or unicodedata.category(char) in {"Cc", "Cf", "Cs", "Zl", "Zp"}


def one_line(text: str, limit: int = SUBJECT_LIMIT) -> str:
    """``text`` as one header-safe line: breaks and controls become spaces, runs of space
    collapse, and anything longer than ``limit`` ends with an ellipsis."""
    spaced = "".join(" " if _breaks_a_line(char) else char for char in str(text))
    folded = " ".join(spaced.split())
    if len(folded) > limit:
        folded = folded[: limit - 1].rstrip() + "…"
    return folded


CONTROLS_BUT_TAB_AND_NEWLINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain_text(text: str) -> str:
    """A body that every database stores and every mail encoder accepts: Unix line ends, no
    control characters but tab and newline (PostgreSQL refuses NUL), no stray surrogates."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.encode("utf-8", "replace").decode("utf-8")
    # The surrogates are gone (replaced above); the controls (Cc) are exactly these. One
    # expression, not a test a character: a digest is several thousand characters.
    return CONTROLS_BUT_TAB_AND_NEWLINE.sub("", text)


def single_address(to: str) -> str:
    """``to`` if it is one plain ``local@domain`` address; ValueError otherwise.

    Callers pass addresses the app stored after validating them, so a refusal here is a bug,
    never something a visitor can trigger; it keeps a header from ever carrying a second
    recipient or a second header.
    """
    address = str(to)
    local, at, domain = address.rpartition("@")
    if (
        not at
        or not local
        or not domain
        or "@" in local
        or len(address) > ADDRESS_LIMIT
        or any(_breaks_a_line(char) or char in ADDRESS_SPECIALS for char in address)
    ):
        raise ValueError(f"not a single email address: {address[:80]!r}")
    return address


def _ascii_domain(address: str) -> str:
    """The address with an internationalised domain written as IDNA, as mail headers need."""
    local, _, domain = address.rpartition("@")
    with contextlib.suppress(UnicodeError):
        domain = domain.encode("idna").decode("ascii")
    return f"{local}@{domain}"


def _message_domain(mail_from: str) -> str:
    domain = parseaddr(mail_from)[1].rpartition("@")[2]
    domain = "".join(char for char in domain if char.isascii() and (char.isalnum() or char in ".-"))
    return domain or "caseboard.invalid"


def build_message(row: OutboxMessage, mail_from: str) -> EmailMessage:
    """The email for ``row``. The subject and body are folded and cleaned again here, so even a
    row written some other way cannot break a header."""
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = _ascii_domain(single_address(row.to_address))
    message["Subject"] = one_line(row.subject)
    message["Date"] = format_datetime(row.created_at)
    # Stable across retries, so a receiving server can recognise a repeat.
    message["Message-ID"] = (
        f"<outbox.{row.id}.{row.created_at:%Y%m%d%H%M%S}@{_message_domain(mail_from)}>"
    )
    for name, value in extra_headers(row.headers).items():
        message[name] = value
    message.set_content(plain_text(row.body))
    return message


# The only extra headers a message may carry (RFC 8058's one-click unsubscribe, on digests).
ALLOWED_HEADERS = ("List-Unsubscribe", "List-Unsubscribe-Post")
HEADER_LIMIT = 900


def extra_headers(headers: dict[str, str] | None) -> dict[str, str]:
    """The allowed headers of ``headers``, each value folded to one line; ValueError for any
    other name, so a caller's mistake cannot add, say, a Bcc."""
    safe: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if name not in ALLOWED_HEADERS:
            raise ValueError(f"header not allowed on an outbox message: {name!r}")
        safe[name] = one_line(value, HEADER_LIMIT)
    return safe


def enqueue(
    to: str, subject: str, body: str, headers: dict[str, str] | None = None
) -> OutboxMessage:
    """Add a message to the current transaction; it is sent after the transaction commits."""
    row = OutboxMessage(
        to_address=single_address(to),
        subject=one_line(subject),
        body=plain_text(body),
        headers=extra_headers(headers) or None,
        created_at=utcnow(),
        next_attempt_at=utcnow(),
        attempts=0,
        last_error="",
    )
    db.session.add(row)
    db.session.info.setdefault(PENDING, []).append(row)
    return row


# --- Transports ------------------------------------------------------------------------------


class Unavailable(Exception):
    """The transport cannot send anything just now (server down, refused login, disk full):
    count the attempt on this message and leave the rest of the queue for the next pass."""


class MemoryTransport:
    """Tests: messages are appended to ``app.extensions["outbox"]``."""

    def send(self, row: OutboxMessage, message: EmailMessage) -> None:
        current_app.extensions.setdefault("outbox", []).append(message)

    def close(self) -> None:
        pass


class FileTransport:
    """Development without a mail server: one ``.eml`` file a message in ``MAIL_OUTBOX_DIR``,
    named from the row's time and id only (never from the address, which a visitor typed)."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    def send(self, row: OutboxMessage, message: EmailMessage) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            path = self.directory / f"{row.created_at:%Y%m%dT%H%M%S%f}-{row.id}.eml"
            # Write then rename: a reader never sees half a message, and a retry overwrites.
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(handle, "wb") as file:
                file.write(bytes(message))
            os.replace(temporary, path)
        except OSError as error:
            raise Unavailable(f"cannot write to {self.directory}: {error}") from error
        log.info("Email %s written to %s", row.id, path)

    def close(self) -> None:
        pass


class SmtpTransport:
    """One SMTP connection a pass, opened at the first message and reused."""

    def __init__(self, config) -> None:
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        try:
            connection = smtplib.SMTP(
                config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
            )
        except (OSError, smtplib.SMTPException) as error:
            raise Unavailable(f"cannot connect to {config['MAIL_SERVER']}: {error}") from error
        try:
            if config["MAIL_USE_TLS"]:
                connection.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except (OSError, smtplib.SMTPException) as error:
            connection.close()
            raise Unavailable(f"{config['MAIL_SERVER']} refused the session: {error}") from error
        return connection

    def send(self, row: OutboxMessage, message: EmailMessage) -> None:
        if self.connection is None:
            self.connection = self._connect()
        try:
            # The envelope names only this row's recipient, whatever the headers say.
            self.connection.send_message(message, to_addrs=[str(message["To"])])
        except (
            smtplib.SMTPRecipientsRefused,
            smtplib.SMTPSenderRefused,
            smtplib.SMTPDataError,
            smtplib.SMTPNotSupportedError,
        ):
            raise  # this message was refused; the connection is still good for the next
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise Unavailable(
                f"lost the connection to {self.config['MAIL_SERVER']}: {error}"
            ) from error

    def close(self) -> None:
        if self.connection is None:
            return
        connection, self.connection = self.connection, None
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()


def transport_for(config):
    if config.get("MAIL_BACKEND") == "memory":
        return MemoryTransport()
    if config["MAIL_SERVER"]:
        return SmtpTransport(config)
    return FileTransport(config["MAIL_OUTBOX_DIR"])


# --- The sender ------------------------------------------------------------------------------


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0  # attempts that failed this pass (the row waits and is tried again)
    given_up: int = 0  # rows that reached MAIL_MAX_ATTEMPTS this pass
    stopped_early: bool = False  # the transport was unavailable; the rest waits


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failure: 1, 2, 4 … minutes, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def _due(ids: Collection[int] | None):
    query = (
        db.select(OutboxMessage)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_(None),
            OutboxMessage.next_attempt_at <= utcnow(),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        # PostgreSQL: a row another sender holds is skipped, never sent twice. SQLite has one
        # writer at a time and renders no FOR UPDATE.
        .with_for_update(skip_locked=True)
    )
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(list(ids)))
    return query


def _record_failure(row: OutboxMessage, error: Exception, max_attempts: int) -> bool:
    """Count a failed attempt; return True when this was the last one."""
    now = utcnow()
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    if row.attempts >= max_attempts:
        row.failed_at = now
        log.error(
            "Email %s given up after %s attempts (kept in outbox_messages; "
            "`flask mail retry` sends it again): %s",
            row.id,
            row.attempts,
            row.last_error,
        )
        return True
    row.next_attempt_at = now + retry_delay(row.attempts)
    log.warning(
        "Email %s not sent (attempt %s), next try at %s: %s",
        row.id,
        row.attempts,
        row.next_attempt_at.isoformat(timespec="seconds"),
        row.last_error,
    )
    return False


def deliver_due(
    limit: int = 100,
    ids: Collection[int] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Delivery:
    """Send up to ``limit`` due messages (only those in ``ids`` when given), oldest due first.

    Each message is claimed, sent and marked in its own transaction on a session of its own,
    so this can run inside another session's ``after_commit`` and one failure never undoes
    another's ``sent_at``. Needs an app context.
    """
    config = current_app.config
    max_attempts = int(config["MAIL_MAX_ATTEMPTS"])
    delivery = Delivery()
    transport = transport_for(config)
    try:
        with Session(db.engine, expire_on_commit=False) as session:
            for _ in range(limit):
                if should_stop is not None and should_stop():
                    break
                with session.begin():
                    row = session.scalars(_due(ids)).first()
                    if row is None:
                        break
                    try:
                        transport.send(row, build_message(row, config["MAIL_FROM"]))
                    except Unavailable as error:
                        delivery.failed += 1
                        delivery.given_up += _record_failure(row, error, max_attempts)
                        delivery.stopped_early = True
                    except Exception as error:  # this message was refused; it waits and is retried
                        delivery.failed += 1
                        delivery.given_up += _record_failure(row, error, max_attempts)
                    else:
                        row.sent_at = utcnow()
                        row.attempts += 1
                        delivery.sent += 1
                # Committed: this message's outcome is kept whatever happens to the next.
                if delivery.stopped_early:
                    break
    finally:
        transport.close()
    return delivery


def queue_counts() -> dict[str, int]:
    """How many messages wait (due now or later), were sent, and were given up on."""
    count = db.func.count(OutboxMessage.id)
    waiting = OutboxMessage.sent_at.is_(None) & OutboxMessage.failed_at.is_(None)
    with Session(db.engine) as session:
        return {
            "waiting": session.scalar(db.select(count).where(waiting)),
            "due": session.scalar(
                db.select(count).where(waiting, OutboxMessage.next_attempt_at <= utcnow())
            ),
            "sent": session.scalar(db.select(count).where(OutboxMessage.sent_at.is_not(None))),
            "given_up": session.scalar(
                db.select(count).where(OutboxMessage.failed_at.is_not(None))
            ),
        }


def retry_given_up(ids: Collection[int] | None = None) -> int:
    """Put given-up messages (all, or those in ``ids``) back in the queue, due now."""
    query = (
        db.update(OutboxMessage)
        .where(OutboxMessage.failed_at.is_not(None), OutboxMessage.sent_at.is_(None))
        .values(failed_at=None, attempts=0, next_attempt_at=utcnow())
    )
    if ids:
        query = query.where(OutboxMessage.id.in_(list(ids)))
    with Session(db.engine) as session, session.begin():
        return session.execute(query).rowcount


# --- Sending after commit ----------------------------------------------------------------------


def send_after_commit(config) -> bool:
    """MAIL_SEND_AFTER_COMMIT, or when unset: on in development and tests, off in production
    (where ``flask mail send --watch`` sends)."""
    setting = config.get("MAIL_SEND_AFTER_COMMIT")
    if setting is None:
        return config.get("APP_ENV") in {"development", "testing"}
    return bool(setting)


@event.listens_for(db.session, "after_commit")
def _deliver_what_this_transaction_wrote(session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the messages are not committed until the outer transaction is
    pending = session.info.pop(PENDING, None)
    if not pending or not has_app_context() or not send_after_commit(current_app.config):
        return
    # The identity key is read without SQL (none may be run on this session here); rows that
    # were never flushed, or were rolled back in a savepoint, have none or are not due.
    ids = [key[1][0] for row in pending if (key := inspect(row).key) is not None]
    if not ids:
        return
    try:
        deliver_due(limit=len(ids), ids=ids)
    except Exception:  # the caller's change is committed: never turn that into an error
        log.exception("Sending email after commit failed; the sender will try again")


@event.listens_for(db.session, "after_transaction_end")
def _forget_pending_when_the_transaction_ends(session, transaction) -> None:
    # Reached after ``after_commit`` on commit, and alone on rollback or close: messages of a
    # rolled-back transaction no longer exist and must not be looked for at the next commit.
    if transaction.parent is None:
        session.info.pop(PENDING, None)
