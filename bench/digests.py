"""The digest benchmark: ``make bench-digests`` (or ``.venv/bin/python -m bench.digests``).

Takes the benchmark's board of 100,000 studies (bench/run.py fills it, or reuses the one in
bench/results/), copies it, and adds 10,000 members who follow a mix of topics, councils, saved
searches (the board's own query strings, some with search words) and single studies, with
approved updates, "we tried this too" marks and comments in the digest window, and questions
to the network: asked in the window (for the members who follow their topics) or a week
before it, some still unanswered (for the councils that published on their topics). Then it
runs
``send_digests`` for all of them in a child process, twice (the second run must send nothing),
and reports the elapsed seconds and the child's peak memory (VmHWM) against the targets:
under 60 s and under 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import create_engine, func, insert, make_url, select, text

from bench.run import RESULTS, bench_app, prepare_postgres, prepare_sqlite
from board.models import (
    Answer,
    CaseStudy,
    Comment,
    Council,
    CouncilRole,
    Follow,
    FollowKind,
    OutboxMessage,
    Question,
    Role,
    Status,
    StudyUpdate,
    Topic,
    TriedToo,
    User,
    Visibility,
    question_topics,
)
from board.models.case_study import RevisionStatus
from board.models.user import DigestFrequency

MEMBERS = 10_000
# Questions: half asked in the window, half a week before it (their seventh day in it).
QUESTIONS = 400
DOMAIN = "digests.bench.example"
SEED = 20261126
TARGET_SECONDS = 60
TARGET_MB = 200
# Words the synthetic studies use (bench/synthetic.py), for saved searches with words.
SEARCH_WORDS = ["chatbot", "phishing", "sensors", "council", "defibrillator", "pilot"]
OUTCOMES = ["worked", "partly-worked", "did-not-work", "ongoing"]
NATIONS = ["england", "wales", "scotland", "northern-ireland"]


def saved_searches(rng: random.Random, topics: list[str], councils: list[str]) -> list[str]:
    """About 60 distinct saved searches, written as the board writes its query strings."""
    queries = set()
    while len(queries) < 60:
        args = []
        if rng.random() < 0.3:
            args.append(f"q={rng.choice(SEARCH_WORDS)}")
        if rng.random() < 0.6:
            args.append(f"topic={rng.choice(topics)}")
        if rng.random() < 0.5:
            args.append(f"outcome={rng.choice(OUTCOMES)}")
        if rng.random() < 0.15:
            args.append(f"council={rng.choice(councils)}")
        elif rng.random() < 0.3:
            args.append(f"nation={rng.choice(NATIONS)}")
        if args:
            queries.add("&".join(args))
    return sorted(queries)


def add_digest_members(url: str, now: datetime) -> dict:
    """The members, their follows, and the updates, marks and comments in the window."""
    rng = random.Random(SEED)
    engine = create_engine(url)
    with engine.begin() as connection:
        topics = connection.execute(select(Topic.id, Topic.slug)).all()
        councils = connection.execute(select(Council.id, Council.slug)).all()
        long_ago = now - timedelta(days=400)
        rows = []
        for number in range(MEMBERS):
            verified = rng.random() < 0.9
            council_id = rng.choice(councils).id
            rows.append(
                {
                    "email": f"digest{number}@{DOMAIN}",
                    "name": f"Digest reader {number}",
                    "password_hash": "!bench-account-without-a-password",
                    "council_role": CouncilRole.OFFICER,
                    "job_title": "Digital officer",
                    "role": Role.MEMBER,
                    "council_id": council_id,
                    "created_at": long_ago,
                    "email_confirmed_at": long_ago,
                    "verified_at": long_ago if verified else None,
                    "active": True,
                    "digest_frequency": DigestFrequency.DAILY
                    if rng.random() < 0.3
                    else DigestFrequency.WEEKLY,
                }
            )
        member_ids = connection.scalars(
            insert(User.__table__).returning(User.id, sort_by_parameter_order=True), rows
        ).all()
        member_councils = {
            member_id: row["council_id"] for member_id, row in zip(member_ids, rows, strict=True)
        }
        recent = connection.scalars(
            select(CaseStudy.id)
            .where(CaseStudy.status == Status.PUBLISHED)
            .order_by(CaseStudy.published_at.desc())
            .limit(3000)
        ).all()
        searches = saved_searches(rng, [slug for _, slug in topics], [slug for _, slug in councils])
        follows = []
        for member_id in member_ids:
            if rng.random() < 0.7:
                for topic in rng.sample(topics, rng.choice([1, 1, 2, 3])):
                    follows.append(
                        {
                            "kind": FollowKind.TOPIC,
                            "target": f"topic:{topic.id}",
                            "topic_id": topic.id,
                        }
                    )
                    follows[-1]["user_id"] = member_id
            if rng.random() < 0.5:
                for council in rng.sample(councils, rng.choice([1, 1, 2])):
                    follows.append(
                        {
                            "user_id": member_id,
                            "kind": FollowKind.COUNCIL,
                            "target": f"council:{council.id}",
                            "council_id": council.id,
                        }
                    )
            if rng.random() < 0.4:
                for query in rng.sample(searches, rng.choice([1, 1, 2])):
                    follows.append(
                        {
                            "user_id": member_id,
                            "kind": FollowKind.SEARCH,
                            "target": f"search:{query}",
                            "query": query,
                            "name": "Saved search",
                        }
                    )
            if rng.random() < 0.3:
                for study_id in rng.sample(recent, min(rng.choice([1, 2, 5]), len(recent))):
                    follows.append(
                        {
                            "user_id": member_id,
                            "kind": FollowKind.STUDY,
                            "target": f"study:{study_id}",
                            "study_id": study_id,
                        }
                    )
        for follow in follows:
            for column in ("topic_id", "council_id", "study_id"):
                follow.setdefault(column, None)
            follow.setdefault("query", "")
            follow.setdefault("name", "")
            follow.setdefault("created_at", long_ago)
        for start in range(0, len(follows), 5000):
            connection.execute(insert(Follow.__table__), follows[start : start + 5000])

        # In the window: updates approved, "we tried this too" marks, comments.
        def in_window() -> datetime:
            return now - timedelta(minutes=rng.randint(10, 6 * 24 * 60))

        author = member_ids[0]
        updated = rng.sample(recent, min(300, len(recent)))
        connection.execute(
            insert(StudyUpdate.__table__),
            [
                {
                    "study_id": study_id,
                    "author_id": author,
                    "happened_on": date(now.year, now.month, 1),
                    "body": "Six months on: we switched the pilot off.",
                    "status": RevisionStatus.APPROVED,
                    "decision_note": "",
                    "created_at": now - timedelta(days=7),
                    "updated_at": now - timedelta(days=7),
                    "published_at": in_window(),
                }
                for study_id in updated
            ],
        )
        marks = {(rng.choice(updated), rng.choice(member_ids)) for _ in range(1500)}
        connection.execute(
            insert(TriedToo.__table__),
            [
                {
                    "case_study_id": study_id,
                    "user_id": member_id,
                    "council_id": member_councils[member_id],
                    "created_at": now - timedelta(days=30),
                }
                for study_id, member_id in marks
            ],
        )
        connection.execute(
            insert(Comment.__table__),
            [
                {
                    "case_study_id": rng.choice(recent),
                    "author_id": rng.choice(member_ids),
                    "body": "We tried this too, and it worked once we measured it.",
                    "created_at": in_window(),
                    "hidden_reason": "",
                }
                for _ in range(3000)
            ],
        )
        unanswered = add_questions(connection, rng, now, member_ids, member_councils, topics)
        connection.execute(text("ANALYZE"))
        counts = {
            "members": len(member_ids),
            "follows": len(follows),
            "follows_by_kind": {
                kind.value: sum(1 for follow in follows if follow["kind"] is kind)
                for kind in FollowKind
            },
            "saved_searches": len(searches),
            "updates": len(updated),
            "tried_too": len(marks),
            "comments": 3000,
            "questions": QUESTIONS,
            "questions_unanswered_a_week_on": unanswered,
            "published_in_window": connection.scalar(
                select(func.count())
                .select_from(CaseStudy.__table__)
                .where(
                    CaseStudy.status == Status.PUBLISHED,
                    CaseStudy.published_at > now - timedelta(days=14),
                )
            ),
        }
    engine.dispose()
    return counts


def add_questions(connection, rng, now, member_ids, member_councils, topics) -> int:
    """QUESTIONS questions by random members on one or two topics: half asked in the window,
    half a week before it; a tenth members-only, a few hidden, and a third of the older ones
    answered. Returns how many older ones are public or members-only, visible, unanswered."""
    if QUESTIONS <= 0:
        return 0
    rows, chosen = [], []
    for number in range(QUESTIONS):
        author = rng.choice(member_ids)
        asked = now - timedelta(minutes=rng.randint(10, 6 * 24 * 60))
        if number % 2:
            asked -= timedelta(days=7)
        rows.append(
            {
                "author_id": author,
                "council_id": member_councils[author],
                "title": f"Has any council tried pilot {number}?",
                "details": "We are thinking about it and would like to hear from you.",
                "visibility": Visibility.MEMBERS if rng.random() < 0.1 else Visibility.PUBLIC,
                "created_at": asked,
                "answer_count": 0,
                "hidden_at": now - timedelta(minutes=5) if rng.random() < 0.03 else None,
                "hidden_reason": "",
            }
        )
        chosen.append(rng.sample(topics, rng.choice([1, 1, 2])))
    question_ids = connection.scalars(
        insert(Question.__table__).returning(Question.id, sort_by_parameter_order=True), rows
    ).all()
    connection.execute(
        insert(question_topics),
        [
            {"question_id": question_id, "topic_id": topic.id}
            for question_id, on in zip(question_ids, chosen, strict=True)
            for topic in on
        ],
    )
    answers, unanswered = [], 0
    for number, (question_id, row) in enumerate(zip(question_ids, rows, strict=True)):
        if number % 2 and rng.random() < 1 / 3:
            helper = rng.choice(member_ids)
            answers.append(
                {
                    "question_id": question_id,
                    "author_id": helper,
                    "council_id": member_councils[helper],
                    "body": "We tried this: start small and measure it.",
                    "created_at": row["created_at"] + timedelta(days=1),
                    "hidden_reason": "",
                }
            )
        elif number % 2 and row["hidden_at"] is None:
            unanswered += 1
    if answers:
        connection.execute(insert(Answer.__table__), answers)
    return unanswered


def _child_command(url: str, now: datetime, batch_size: int) -> list[str]:
    return [sys.executable, "-m", "bench.digests", "--child", url, now.isoformat(), str(batch_size)]


def send_in_child(url: str, now: datetime, batch_size: int) -> dict:
    """Run the send in a child process; its figures, with its peak memory."""
    started = time.monotonic()
    output = subprocess.run(  # noqa: S603 (this interpreter, our own module)
        _child_command(url, now, batch_size),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    wall = time.monotonic() - started
    result = json.loads(output.strip().splitlines()[-1])
    result["wall_seconds"] = wall
    return result


def _status_kb(field: str) -> int:
    """A memory figure of this process from /proc/self/status (Linux), in kB: VmRSS now, or
    VmHWM, its peak. (Not ru_maxrss: after exec that starts from the parent's peak, since the
    kernel carries it over from the memory the process replaced.) 0 where /proc is not there."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def send_in_children(url: str, now: datetime, batch_size: int, hosts: int) -> dict:
    """``hosts`` senders at once (one is ``send_in_child``): their figures summed, the longest
    elapsed time and the largest peak memory."""
    if hosts == 1:
        return send_in_child(url, now, batch_size)
    started = time.monotonic()
    children = [
        subprocess.Popen(  # noqa: S603 (this interpreter, our own module)
            _child_command(url, now, batch_size),
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(hosts)
    ]
    results = []
    for process in children:
        output, _ = process.communicate()
        if process.returncode:
            raise RuntimeError(f"a sender failed ({process.returncode})")
        results.append(json.loads(output.strip().splitlines()[-1]))
    summed = {key: sum(result[key] for result in results) for key in SUMMED}
    most = {key: max(result[key] for result in results) for key in LARGEST}
    return {**summed, **most, "wall_seconds": time.monotonic() - started, "each": results}


SUMMED = ("checked", "sent", "empty", "taken", "failed", "cpu_seconds")
LARGEST = ("elapsed", "outbox", "rss_mb_before_send", "peak_mb", "rss_mb_after_send")


def postgres_copy(url: str, studies: int) -> str:
    """The benchmark's board in the PostgreSQL database at ``url`` (filled as ``make bench``
    fills it, or reused), copied to a database of its own for this run; the copy's URL."""
    prepare_postgres(url, studies, refill=False)
    board = make_url(url)
    copy = board.set(database=f"{board.database}_digests")
    server = create_engine(board.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{copy.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{copy.database}" TEMPLATE "{board.database}"'))
    server.dispose()
    return copy.render_as_string(hide_password=False)


def child(url: str, now_text: str, batch_size: int) -> None:
    from board.digests.services import send_digests
    from board.extensions import db

    app = bench_app(url)
    with app.app_context():
        ready = _status_kb("VmHWM")
        cpu = time.process_time()
        report = send_digests(datetime.fromisoformat(now_text), batch_size=batch_size)
        cpu = time.process_time() - cpu
        outbox = db.session.scalar(select(func.count()).select_from(OutboxMessage.__table__))
        peak = _status_kb("VmHWM")
        # What the process holds at the end (the peak above may be the app's start).
        resident = _status_kb("VmRSS")
    print(
        json.dumps(
            {
                "checked": report.checked,
                "sent": report.sent,
                "empty": report.empty,
                "taken": report.taken,
                "failed": report.failed,
                "elapsed": report.elapsed,
                "cpu_seconds": cpu,
                "outbox": outbox,
                "rss_mb_before_send": ready / 1024,
                "peak_mb": peak / 1024,
                "rss_mb_after_send": resident / 1024,
            }
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="fill (or reuse) this PostgreSQL database and run on a copy of it, instead of SQLite",
    )
    parser.add_argument(
        "--hosts",
        type=int,
        default=1,
        help="senders run at once, as on several hosts (PostgreSQL; their work is summed)",
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return 0

    if args.postgres:
        url = postgres_copy(args.postgres, args.studies)
        database = "PostgreSQL"
    else:
        board_url = prepare_sqlite(args.studies, refill=False)
        board_path = board_url.removeprefix("sqlite:///")
        path = RESULTS / f"digests-{args.studies}.sqlite"
        shutil.copyfile(board_path, path)
        url = f"sqlite:///{path}"
        database = "SQLite"
    engine = create_engine(url)
    with engine.connect() as connection:
        newest = connection.scalar(select(func.max(CaseStudy.published_at)))
    engine.dispose()
    newest = datetime.fromisoformat(str(newest)).replace(tzinfo=UTC)
    now = newest + timedelta(hours=1)

    started = time.monotonic()
    counts = add_digest_members(url, now)
    print(
        f"Added {counts['members']:,} members and {counts['follows']:,} follows in "
        f"{time.monotonic() - started:.0f} s: {json.dumps(counts)}"
    )

    load_before = os.getloadavg()[0]
    first = send_in_children(url, now, args.batch_size, args.hosts)
    load_after = os.getloadavg()[0]
    print(f"First run: {json.dumps(first)}")
    second = send_in_child(url, now + timedelta(minutes=10), args.batch_size)
    print(f"Second run (same period): {json.dumps(second)}")

    verdict = (
        "within" if first["elapsed"] < TARGET_SECONDS and first["peak_mb"] < TARGET_MB else "OVER"
    )
    table = "\n".join(
        [
            f"| digests, {database}, {args.studies:,} studies, {MEMBERS:,} members, "
            f"{args.hosts} sender(s) at once | figure | target |",
            "|---|---|---|",
            f"| members checked / digests sent / skipped as empty | {first['checked']:,} / "
            f"{first['sent']:,} / {first['empty']:,} | |",
            f"| send, elapsed | {first['elapsed']:.1f} s (CPU {first['cpu_seconds']:.1f} s) "
            f"| under {TARGET_SECONDS} s |",
            f"| send, peak memory (the sender's VmHWM) | {first['peak_mb']:.0f} MB "
            f"(peak once the app was made, before sending: {first['rss_mb_before_send']:.0f} MB; "
            f"resident after sending: {first['rss_mb_after_send']:.0f} MB) "
            f"| under {TARGET_MB} MB |",
            f"| machine load (1-minute average, before / after the send; {os.cpu_count()} CPUs) "
            f"| {load_before:.1f} / {load_after:.1f} | |",
            f"| second run in the same period | {second['sent']} sent, "
            f"{second['checked']} checked, {second['elapsed']:.1f} s | 0 sent |",
        ]
    )
    print()
    print(table)
    print(f"\nTargets: {verdict} ({database}).")
    (RESULTS / "digests.md").write_text(table + "\n")
    return 0 if verdict == "within" and second["sent"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
