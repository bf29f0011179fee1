"""The related-studies benchmark: ``make bench-related`` (or ``.venv/bin/python -m
bench.related``).

Takes the benchmark's board of 100,000 studies (filled as ``make bench`` fills it, or reused:
bench/run.py), on SQLite and on PostgreSQL, and times the SQL of ``related_studies``
(board/related.py) for a few hundred published studies' titles and summaries, as their pages
ask, and for question-like texts (a title and a few sentences of details, some with rare words,
some with only common ones), half as a visitor and half as a verified member. Each call's SQL
time is the sum of its statements' times, from SQLAlchemy's before/after_cursor_execute events
(the statements as the driver runs them, fetching included). It reports the median, p95, p99
and max in milliseconds against the target: under 20 ms at p99.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass

from sqlalchemy import event, func, select

from bench.fill import MEMBER_DOMAIN
from bench.run import DEFAULT_POSTGRES, bench_app, prepare_postgres, prepare_sqlite
from bench.synthetic import GROUPS, RARE_WORDS, THINGS
from board.extensions import db
from board.models import CaseStudy, Status, Topic, User
from board.related import related_studies

SEED = 20261127
TARGET_MS = 20.0
STUDIES = 300
QUESTIONS = 100
WARM_UP = 20
OPENINGS = [
    "Has anyone tried {thing} for {group}?",
    "Looking for councils that used {thing}",
    "Did {thing} work for {group} anywhere?",
    "Advice on {thing}",
]
DETAILS = [
    "We are thinking about it for next year and want to hear what went wrong.",
    "Our members want to know what it cost and whether residents used it.",
    "We tried something like it in {rare} but the supplier let us down.",
    "Any lessons on procurement, training and the data would help.",
]
# Questions made of words nearly every study holds.
COMMON_QUESTIONS = [
    "Council residents services?",
    "How did the council work with residents and staff on the pilot?",
]


@dataclass
class Call:
    kind: str
    audience: str
    ms: float
    cpu_ms: float
    statements: int
    found: int
    # PostgreSQL: the planning and execution times its EXPLAIN ANALYZE reports for the same
    # statements, run again straight after (the work in the server, without the round trips
    # and the wait for a busy server's attention).
    server_ms: float | None = None


def question_texts(rng: random.Random, count: int) -> list[str]:
    texts = list(COMMON_QUESTIONS)
    while len(texts) < count:
        opening = rng.choice(OPENINGS).format(thing=rng.choice(THINGS), group=rng.choice(GROUPS))
        details = " ".join(
            line.format(rare=rng.choice(RARE_WORDS)) for line in rng.sample(DETAILS, 2)
        )
        texts.append(f"{opening}\n{details}")
    return texts


def measure(url: str, studies: int, questions: int) -> tuple[list[Call], dict]:
    """Time related_studies for ``studies`` published studies' texts and ``questions``
    question-like texts."""
    rng = random.Random(SEED)
    app = bench_app(url)
    calls: list[Call] = []
    with app.app_context():
        dialect = db.engine.dialect.name
        member = db.session.scalars(
            select(User).where(User.email.like(f"%@{MEMBER_DOMAIN}")).limit(1)
        ).one()
        published = db.session.scalars(
            select(CaseStudy.id).where(CaseStudy.status == Status.PUBLISHED)
        ).all()
        sizes = {
            "studies": db.session.scalar(select(func.count()).select_from(CaseStudy)),
            "published": len(published),
        }
        inputs = []
        # WARM_UP more studies than measured: the first ones only warm the caches up.
        for study_id in rng.sample(published, studies + WARM_UP):
            study = db.session.get(CaseStudy, study_id)
            inputs.append(("study", f"{study.title}\n{study.summary}", study.topic_ids, study.id))
        warm_up, inputs = inputs[:WARM_UP], inputs[WARM_UP:]
        topic_ids = db.session.scalars(select(Topic.id)).all()
        for question in question_texts(rng, questions):
            topics = rng.sample(topic_ids, rng.choice([0, 1, 2]))
            inputs.append(("question", question, topics, None))
        rng.shuffle(inputs)
        # Each asked as a visitor or as a member, in turn.
        asked = [(*ask, number % 2 == 1) for number, ask in enumerate(warm_up + inputs)]
        db.session.expunge_all()

        started: list[tuple[float, float]] = []
        spent: list[tuple[float, float]] = []
        statements: list[tuple[str, object]] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            statements.append((statement, parameters))
            started.append((time.perf_counter(), time.thread_time()))

        def after(conn, cursor, statement, parameters, context, executemany):
            wall, cpu = started.pop()
            spent.append((time.perf_counter() - wall, time.thread_time() - cpu))

        engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
        try:
            for number, (kind, text, topics, study_id, as_member) in enumerate(asked):
                viewer = member if as_member else None
                spent.clear()
                statements.clear()
                found = related_studies(text, topics, viewer, study_id)
                if number >= WARM_UP:
                    calls.append(
                        Call(
                            kind,
                            "member" if as_member else "visitor",
                            sum(wall for wall, _cpu in spent) * 1000,
                            sum(cpu for _wall, cpu in spent) * 1000,
                            len(spent),
                            len(found),
                        )
                    )
                    if dialect == "postgresql":
                        calls[-1].server_ms = server_time(list(statements))
                db.session.expunge_all()
                member = db.session.merge(member, load=False)
        finally:
            event.remove(engine, "before_cursor_execute", before)
            event.remove(engine, "after_cursor_execute", after)
        sizes["round_trip"] = round_trip()
    sizes["dialect"] = dialect
    return calls, sizes


def server_time(statements: list[tuple[str, object]]) -> float:
    """The planning and execution milliseconds PostgreSQL reports for ``statements``."""
    connection = db.session.connection()
    total = 0.0
    for statement, parameters in statements:
        plan = connection.exec_driver_sql(
            "EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters
        ).scalar_one()
        plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
        total += plan["Planning Time"] + plan["Execution Time"]
    return total


def round_trip(samples: int = 200) -> list[float]:
    """Milliseconds of ``SELECT 1``: what any statement costs on this machine as it is."""
    connection = db.session.connection()
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        connection.exec_driver_sql("SELECT 1").scalar()
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def render(database: str, calls: list[Call], sizes: dict) -> str:
    """The table of one database's calls, and the verdict against TARGET_MS."""
    # "Work": on SQLite, which runs in this process, the thread's CPU time in the statements
    # (without the waits for a core on a busy machine); on PostgreSQL, the planning and
    # execution times it reports (without the round trips and the waits for its attention).
    in_process = sizes["dialect"] == "sqlite"
    work_heading = "CPU" if in_process else "server (EXPLAIN ANALYZE)"

    def work(call: Call) -> float:
        return call.cpu_ms if in_process or call.server_ms is None else call.server_ms

    lines = [
        f"{database}: {sizes['studies']:,} studies ({sizes['published']:,} published), "
        f"{len(calls)} texts, after {WARM_UP} to warm up. Milliseconds of SQL for each call.",
        "",
        "| texts | calls | median | p95 | p99 | max | statements | found (mean) "
        f"| {work_heading}: median / p95 / p99 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    groups = [
        ("study pages", [call for call in calls if call.kind == "study"]),
        ("questions", [call for call in calls if call.kind == "question"]),
        ("as visitors", [call for call in calls if call.audience == "visitor"]),
        ("as members", [call for call in calls if call.audience == "member"]),
        ("all", calls),
    ]
    for name, group in groups:
        if not group:
            continue
        ms = [call.ms for call in group]
        worked = [work(call) for call in group]
        counts = sorted({call.statements for call in group})
        lines.append(
            f"| {name} | {len(group)} | {statistics.median(ms):.2f} | "
            f"{percentile(ms, 0.95):.2f} | {percentile(ms, 0.99):.2f} | {max(ms):.2f} | "
            f"{counts[0]}{'' if len(counts) == 1 else f'-{counts[-1]}'} | "
            f"{statistics.mean(call.found for call in group):.1f} | "
            f"{statistics.median(worked):.2f} / {percentile(worked, 0.95):.2f} / "
            f"{percentile(worked, 0.99):.2f} |"
        )
    trip = sizes.get("round_trip")
    if trip:
        lines += [
            "",
            f"`SELECT 1` on this machine as it was: median {statistics.median(trip):.2f} ms, "
            f"p99 {percentile(trip, 0.99):.2f} ms.",
        ]
    p99 = percentile([call.ms for call in calls], 0.99)
    work_p99 = percentile([work(call) for call in calls], 0.99)
    lines += [
        "",
        f"p99 {p99:.2f} ms of SQL as timed ({'meets' if p99 < TARGET_MS else 'MISSES'} the "
        f"target, under {TARGET_MS:.0f} ms); p99 {work_p99:.2f} ms of the database's own work "
        f"({'meets' if work_p99 < TARGET_MS else 'MISSES'} it).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database", choices=["sqlite", "postgres", "both"], default="both", help="both"
    )
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help=DEFAULT_POSTGRES)
    parser.add_argument("--studies", type=int, default=100_000, help="100,000")
    parser.add_argument("--samples", type=int, default=STUDIES, help="studies' texts (300)")
    parser.add_argument("--questions", type=int, default=QUESTIONS, help="questions (100)")
    args = parser.parse_args(argv)

    load = os.getloadavg()
    print(
        f"{platform.node()}: {os.cpu_count()} cores, load {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f}, Python {platform.python_version()}"
    )
    reports = []
    failed = False
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    for database in databases:
        if database == "sqlite":
            url = prepare_sqlite(args.studies, refill=False)
        else:
            url = prepare_postgres(args.postgres_url, args.studies, refill=False)
        calls, sizes = measure(url, args.samples, args.questions)
        name = "SQLite" if database == "sqlite" else "PostgreSQL"
        report = render(name, calls, sizes)
        failed |= "MISSES it" in report
        reports.append(report)
        print()
        print(report)
    load = os.getloadavg()
    print(f"\nLoad afterwards: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
