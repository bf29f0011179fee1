"""The load test: 50 clients browse, filter and comment for 60 s against gunicorn on PostgreSQL.

    .venv/bin/python -m bench.load          # three runs: steady, a database restart, SMTP down
    .venv/bin/python -m bench.load --clients 20 --duration 20 --no-restart --no-mail-down

Each client signs in as its own member and loops: the board, a filtered fragment, a search, a
study page, a comment on that study carrying a unique marker, and a "Useful" toggle (as htmx
sends it) on one of the board's four newest studies, so that members mark and unmark them in
turn and often toggle the same study at once. A comment counts as acknowledged when the app
answered it with success; a toggle's answer says whether the study is now marked. Afterwards
every acknowledged marker must be stored exactly once, every study's useful_count must equal
its rows in useful_marks (the load database starts with every count at zero), each member's
marks must be what their last answered toggle said, and no response may be a 5xx.

The second run restarts PostgreSQL half-way through. Requests that reach the app while the
database is down may fail (that is the restart, not a bug); the run shows how long that lasted,
that the app answers again by itself afterwards (the pool pre-pings its connections), and that
no acknowledged comment was lost.

The third run has the mail server down: MAIL_SERVER points at a closed loopback port and the app
tries to send after each commit (MAIL_SEND_AFTER_COMMIT=1, the development behaviour, so the
failure really happens inside the requests). Every study author asks to be emailed about
comments, so every comment queues a message. No response may be a 5xx, and every acknowledged
comment's message must be in outbox_messages, unsent and waiting for the sender.

Only 127.0.0.1 is ever loaded, and every run is bounded.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text

from bench.run import RESULTS, free_port, gunicorn, prepare_postgres
from board.models import OutboxMessage

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/load"
STUDIES = 2_000
PASSWORD = "load test password, not secret"  # noqa: S105 (the accounts exist only in the load database)
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
STUDY_LINK = re.compile(r'href="(/studies/\d+/[^"]+)"')
TOGGLED_STUDIES = 4
PRESSED = re.compile(r'id="useful-button"[^>]*aria-pressed="(true|false)"')
# Restart the database through its cluster tool (Debian), as the machine's services are run.
RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect"]


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    server_errors: list[tuple[float, str, int]] = field(default_factory=list)
    failures: list[tuple[float, str, str]] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    # (email, study id) -> whether the last answered toggle said it is marked; None when the
    # last toggle went unanswered, so its outcome is unknown.
    marks: dict[tuple[str, int], bool | None] = field(default_factory=dict)
    toggles: int = 0
    signed_in: int = 0
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, started: float, path: str, status: int | None, error: str = "") -> None:
        with self.lock:
            self.requests += 1
            if status is None:
                self.failures.append((time.monotonic() - started, path, error))
                return
            self.statuses[status] += 1
            if status >= 500:
                self.server_errors.append((time.monotonic() - started, path, status))


class Client:
    """One person: a cookie jar, a session and its CSRF token."""

    def __init__(self, base: str, email: str, tally: Tally, started: float) -> None:
        self.base, self.email, self.tally, self.started = base, email, tally, started
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.token = ""

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:
                text_ = response.read().decode()
                self.tally.record(self.started, path, response.status)
                return response.status, text_
        except urllib.error.HTTPError as error:
            self.tally.record(self.started, path, error.code)
            return error.code, error.read().decode(errors="replace")
        except OSError as error:
            self.tally.record(self.started, path, None, str(error))
            return None, ""

    def sign_in(self) -> bool:
        status, page = self.request("/auth/login")
        match = CSRF.search(page)
        if not match:
            return False
        status, page = self.request(
            "/auth/login",
            {"email": self.email, "password": PASSWORD, "csrf_token": match.group(1)},
        )
        match = CSRF.search(page)
        self.token = match.group(1) if match else ""
        return status == 200 and "Sign out" in page

    def browse_and_comment(self, number: int) -> None:
        status, page = self.request("/")
        if status != 200:
            return
        self.token = (CSRF.search(page) or [None, self.token])[1]
        self.request("/?topic=cyber-security&outcome=did-not-work", headers={"HX-Request": "true"})
        self.request("/?q=council+chatbot")
        links = STUDY_LINK.findall(page)
        if not links:
            return
        study = links[number % len(links)]
        status, _ = self.request(study)
        if status != 200:
            return
        marker = f"load-{secrets.token_hex(8)}"
        study_id = study.split("/")[2]
        status, _ = self.request(
            f"/studies/{study_id}/comments",
            {"body": f"We tried this too ({marker}).", "csrf_token": self.token},
        )
        if status is not None and status < 400:
            with self.tally.lock:
                self.tally.acknowledged.append(marker)
        # One of the board's four newest studies: each member marks and unmarks them in turn,
        # and many members toggle the same study at once.
        toggled = links[number % min(TOGGLED_STUDIES, len(links))]
        self.toggle_useful(int(toggled.split("/")[2]))

    def toggle_useful(self, study_id: int) -> None:
        status, fragment = self.request(
            f"/studies/{study_id}/useful",
            {"csrf_token": self.token},
            headers={"HX-Request": "true", "X-CSRFToken": self.token},
        )
        pressed = PRESSED.search(fragment) if status == 200 else None
        with self.tally.lock:
            self.tally.marks[(self.email, study_id)] = (
                pressed.group(1) == "true" if pressed else None
            )
            if pressed:
                self.tally.toggles += 1


def prepare(url: str, clients: int) -> list[str]:
    """A filled load database with ``clients`` member accounts; return their emails."""
    from board.auth.passwords import hash_password
    from board.models import CouncilRole, Role, User

    prepare_postgres(url, STUDIES, refill=True)
    engine = create_engine(url)
    password_hash = hash_password(PASSWORD)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        # The synthetic counts have no marks behind them; from zero, every count must equal
        # its marks at the end.
        connection.execute(text("UPDATE case_studies SET useful_count = 0"))
        councils = connection.execute(text("SELECT id, slug FROM councils ORDER BY id")).all()
        emails = [f"member{number}@load.example" for number in range(clients)]
        connection.execute(
            insert(User.__table__),
            [
                {
                    "email": email,
                    "name": f"Load member {number}",
                    "password_hash": password_hash,
                    "role": Role.MEMBER,
                    "council_role": CouncilRole.OFFICER,
                    "job_title": "Digital officer",
                    "council_id": councils[number % len(councils)].id,
                    "created_at": now,
                    "email_confirmed_at": now,
                    "verified_at": now,
                    "active": True,
                }
                for number, email in enumerate(emails)
            ],
        )
    engine.dispose()
    return emails


def run_load(base: str, emails: list[str], duration: float, restart_after: float | None) -> dict:
    tally = Tally()
    started = time.monotonic()
    deadline = started + duration
    restart: dict = {}

    def person(email: str) -> None:
        client = Client(base, email, tally, started)
        while not client.sign_in():
            if time.monotonic() > deadline:
                return
            time.sleep(0.5)
        with tally.lock:
            tally.signed_in += 1
        number = 0
        while time.monotonic() < deadline:
            client.browse_and_comment(number)
            number += 1

    def restart_database() -> None:
        time.sleep(restart_after)
        cluster = _cluster()
        restart["at"] = time.monotonic() - started
        subprocess.run([*RESTART, *cluster, "restart"], check=True)  # noqa: S603
        restart["back"] = time.monotonic() - started

    threads = [threading.Thread(target=person, args=(email,), daemon=True) for email in emails]
    if restart_after is not None:
        threads.append(threading.Thread(target=restart_database, daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 60)
    return {"tally": tally, "restart": restart, "elapsed": time.monotonic() - started}


def stored_markers(url: str, markers: list[str]) -> Counter:
    engine = create_engine(url)
    with engine.connect() as connection:
        bodies = connection.scalars(
            select(text("body")).select_from(text("comments")).where(text("body LIKE 'We tried%'"))
        ).all()
    engine.dispose()
    found = Counter()
    wanted = set(markers)
    for body in bodies:
        match = re.search(r"load-[0-9a-f]{16}", body)
        if match and match.group(0) in wanted:
            found[match.group(0)] += 1
    return found


def useful_consistency(url: str, marks: dict[tuple[str, int], bool | None]) -> dict:
    """Studies whose useful_count differs from their rows in useful_marks, and members whose
    marks differ from what their last answered toggle said."""
    engine = create_engine(url)
    with engine.connect() as connection:
        miscounted = connection.execute(
            text(
                "SELECT s.id, s.useful_count, count(m.id) AS marks FROM case_studies s "
                "LEFT JOIN useful_marks m ON m.case_study_id = s.id "
                "GROUP BY s.id, s.useful_count HAVING s.useful_count <> count(m.id)"
            )
        ).all()
        stored = {
            (row.email, row.case_study_id)
            for row in connection.execute(
                text(
                    "SELECT u.email, m.case_study_id FROM useful_marks m "
                    "JOIN users u ON u.id = m.user_id"
                )
            )
        }
        total = connection.scalar(text("SELECT count(*) FROM useful_marks"))
    engine.dispose()
    known = {key: marked for key, marked in marks.items() if marked is not None}
    wrong = [key for key, marked in known.items() if (key in stored) != marked]
    return {
        "miscounted": miscounted,
        "checked": len(known),
        "unknown": len(marks) - len(known),
        "wrong": wrong,
        "marks": total,
    }


def ask_for_comment_emails(url: str) -> None:
    """Every study author asks to be emailed about comments, so each comment queues a message."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE users SET email_on_comments = true"))
    engine.dispose()


def queued_mail(url: str, markers: list[str]) -> dict:
    """For each acknowledged marker, the outbox rows that mention it: (sent, given up) pairs."""
    table = OutboxMessage.__table__
    engine = create_engine(url)
    with engine.connect() as connection:
        messages = connection.execute(
            select(table.c.body, table.c.sent_at, table.c.failed_at, table.c.attempts)
        ).all()
    engine.dispose()
    wanted = set(markers)
    found: dict[str, list] = {}
    for message in messages:
        match = re.search(r"load-[0-9a-f]{16}", message.body)
        if match and match.group(0) in wanted:
            found.setdefault(match.group(0), []).append(message)
    return {"by_marker": found, "total": len(messages)}


def _cluster() -> list[str]:
    version = sorted(Path("/etc/postgresql").iterdir())[-1].name
    return [version, "main"]


def report(
    name: str,
    result: dict,
    stored: Counter,
    clients: int,
    mail: dict | None = None,
    useful: dict | None = None,
) -> tuple[str, bool]:
    tally: Tally = result["tally"]
    acknowledged = tally.acknowledged
    lost = [marker for marker in acknowledged if stored[marker] == 0]
    doubled = [marker for marker, count in stored.items() if count > 1]
    restart = result["restart"]
    by_status = ", ".join(
        f"{status}: {count:,}" for status, count in sorted(tally.statuses.items())
    )
    stored_once = sum(1 for marker in acknowledged if stored[marker] == 1)
    lines = [
        f"### {name}",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| clients signed in | {tally.signed_in} of {clients} |",
        f"| requests | {tally.requests:,} in {result['elapsed']:.0f} s "
        f"({tally.requests / result['elapsed']:,.0f}/s) |",
        f"| answers by status | {by_status} |",
        f"| 5xx answers | {len(tally.server_errors)} |",
        f"| requests with no answer (connection refused or reset) | {len(tally.failures)} |",
        f"| comments acknowledged | {len(acknowledged):,} |",
        f"| acknowledged comments stored exactly once | {stored_once:,} |",
        f"| acknowledged comments lost | {len(lost)} |",
        f"| comments stored twice | {len(doubled)} |",
    ]
    # A run where nobody signed in or nothing was posted proves nothing.
    ok = not lost and not doubled and tally.signed_in == clients and bool(acknowledged)
    if useful is not None:
        lines += [
            f"| Useful toggles answered | {tally.toggles:,} |",
            f"| marks in useful_marks at the end | {useful['marks']:,} |",
            f"| studies whose useful_count differs from their marks | "
            f"{len(useful['miscounted'])} |",
            f"| member and study pairs checked against the last answered toggle | "
            f"{useful['checked']:,} (unknown, last toggle unanswered: {useful['unknown']}) |",
            f"| pairs whose mark differs from the last answered toggle | {len(useful['wrong'])} |",
        ]
        ok = ok and bool(tally.toggles) and not useful["miscounted"] and not useful["wrong"]
    if restart:
        during = [at for at, _, _ in tally.server_errors] + [at for at, _, _ in tally.failures]
        after = [at for at in during if at > restart["back"] + 5]
        lines += [
            f"| database restarted | at {restart['at']:.1f} s, back at {restart['back']:.1f} s |",
            f"| failed answers | {len(during)}, from {min(during, default=0):.1f} s to "
            f"{max(during, default=0):.1f} s |",
            f"| failed answers more than 5 s after the database was back | {len(after)} |",
        ]
        ok = ok and not after
    else:
        ok = ok and not tally.server_errors and not tally.failures
    if mail is not None:
        by_marker = mail["by_marker"]
        queued = [marker for marker in acknowledged if len(by_marker.get(marker, [])) == 1]
        unqueued = [marker for marker in acknowledged if marker not in by_marker]
        messages = [message for found in by_marker.values() for message in found]
        sent = [message for message in messages if message.sent_at is not None]
        given_up = [message for message in messages if message.failed_at is not None]
        tried = [message for message in messages if message.attempts >= 1]
        lines += [
            f"| messages in outbox_messages | {mail['total']:,} |",
            f"| acknowledged comments with exactly one queued message | {len(queued):,} |",
            f"| acknowledged comments with no queued message | {len(unqueued)} |",
            f"| messages tried after the commit (attempts >= 1) | {len(tried):,} |",
            f"| messages sent (the server was down: must be 0) | {len(sent)} |",
            f"| messages given up | {len(given_up)} |",
        ]
        ok = ok and len(queued) == len(acknowledged) and not sent and not given_up
    return "\n".join(lines), ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds a run (60)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (4)")
    parser.add_argument("--postgres-url", default=DEFAULT_URL, help=DEFAULT_URL)
    parser.add_argument("--no-restart", action="store_true", help="skip the restart run")
    parser.add_argument(
        "--no-mail-down", action="store_true", help="skip the run with the mail server down"
    )
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)

    sections, all_ok = [], True
    runs = [("Steady load", None, False)]
    if not args.no_restart:
        runs.append(("PostgreSQL restarted half-way", args.duration / 2, False))
    if not args.no_mail_down:
        runs.append(("Mail server unreachable", None, True))
    for name, restart_after, mail_down in runs:
        emails = prepare(args.postgres_url, args.clients)
        port = free_port()
        limits = {
            # Production requires the address the app is served at.
            "PUBLIC_URL": f"http://127.0.0.1:{port}",
            "LOGIN_RATE_LIMIT": "100000 per second",
            "COMMENT_RATE_LIMIT": "100000 per second",
            "POSTING_RATE_LIMIT": "100000 per second",
            # Plain http on the loopback: the session cookie must not be HTTPS-only.
            "SESSION_COOKIE_SECURE": "0",
        }
        if mail_down:
            ask_for_comment_emails(args.postgres_url)
            limits |= {
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": str(free_port()),  # bound, then closed: nothing listens there
                "MAIL_USE_TLS": "0",
                "MAIL_TIMEOUT": "5",
                "MAIL_SEND_AFTER_COMMIT": "1",
            }
        with gunicorn(args.postgres_url, port, args.workers, cache=True, extra_env=limits):
            print(f"{name}: {args.clients} clients for {args.duration} s", flush=True)
            result = run_load(f"http://127.0.0.1:{port}", emails, args.duration, restart_after)
        stored = stored_markers(args.postgres_url, result["tally"].acknowledged)
        mail = queued_mail(args.postgres_url, result["tally"].acknowledged) if mail_down else None
        useful = useful_consistency(args.postgres_url, result["tally"].marks)
        section, ok = report(name, result, stored, args.clients, mail, useful)
        print(section + "\n", flush=True)
        sections.append(section)
        all_ok = all_ok and ok
    (RESULTS / "load.md").write_text("\n\n".join(sections) + "\n")
    print("PASS" if all_ok else "FAIL")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
