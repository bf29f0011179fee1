"""The board benchmark: fill a database, serve the app with gunicorn, load it with wrk.

    .venv/bin/python -m bench.run                        # SQLite, 100,000 studies, 3 runs
    .venv/bin/python -m bench.run --database postgres --redis
    .venv/bin/python -m bench.run --studies 20000 --duration 3 --runs 1

Each run starts gunicorn afresh and measures, in this order: every page of PAGES (``/healthz``
first, the cheapest page the app serves, so results compare across machines as ratios); the
mixed load (bench/mixed.py) read-only, with one "Useful" toggle a second, and with toggles as
5% of requests; in the first run only, the board's page weight (bench/weight.py); and the
download of the CSV of the biggest topic (bench/csv_download.py). The report gives the median
of the runs. Only 127.0.0.1 is ever loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bench import csv_download, mixed, weight
from bench.fill import discussion_study, is_filled, prepare_database

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
# Bumped when the synthetic data changes, so cached SQLite files are made again.
DATA_VERSION = 3
STUDY_PAGE = "study page, 30 comments"

# (name, path, extra request headers, target as a ratio of the baseline's req/s); the study
# page's path is the filled discussion's, found at run time.
PAGES = [
    ("baseline /healthz", "/healthz", {}, None),
    ("board /", "/", {}, 0.30),
    ("HTMX fragment, topic filter", "/?topic=cyber-security", {"HX-Request": "true"}, 0.40),
    ("deep page (page 500)", "/?page=500", {}, None),
    ("search, rare word", "/?q=defibrillator", {}, None),
    ("search, common word", "/?q=council", {}, None),
    ("search with filters", "/?q=council&topic=cyber-security&outcome=worked", {}, None),
    (STUDY_PAGE, None, {}, 0.25),
    ("API list", "/api/v1/studies", {}, 0.30),
    ("API list, topic filter", "/api/v1/studies?topic=cyber-security", {}, 0.30),
    ("API search, common word", "/api/v1/studies?q=council&sort=useful", {}, None),
    (
        "Atom feed, topic and outcome",
        "/feeds/latest.atom?topic=cyber-security&outcome=did-not-work",
        {},
        0.30,
    ),
]
# Pages whose target is for the results cache on: with --no-cache their target is not shown.
TARGET_WITH_CACHE = {"API list", "API list, topic filter", "Atom feed, topic and outcome"}
COMMON_WORD_P99_TARGET_MS = 50.0
# (name, write mode, value): see bench/mixed.py.
MIXED_LOADS = [
    ("read only", "none", 0.0),
    ("one toggle a second", "rate", 1.0),
    ("toggles 5% of requests", "share", 0.05),
]
MIXED_P99_TARGET_MS = 50.0
MIXED_HIT_RATE_TARGET = 0.8


@dataclass
class Measurement:
    name: str
    path: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    ratio: float | None = None
    target: str = ""
    runs: list[dict] = field(default_factory=list)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--studies", type=int, default=100_000, help="how many (100000)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help=DEFAULT_POSTGRES)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (10)")
    parser.add_argument(
        "--mixed-duration", type=int, default=30, help="seconds per mixed load (30)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs; the median is reported (3)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (4)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (a free one)")
    parser.add_argument("--refill", action="store_true", help="fill the database again")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="turn the board's results cache off, to measure every request's queries",
    )
    parser.add_argument(
        "--redis",
        nargs="?",
        const=DEFAULT_REDIS,
        metavar="URL",
        help=f"keep the results cache in Redis (RedisCache; {DEFAULT_REDIS} when no URL is "
        "given; that database is emptied before each run)",
    )
    parser.add_argument(
        "--parts",
        default="pages,mixed,weight,csv",
        help="what to measure, comma-separated: pages, mixed, weight, csv (all four)",
    )
    args = parser.parse_args(argv)
    parts = {part.strip() for part in args.parts.split(",") if part.strip()}
    if not parts <= {"pages", "mixed", "weight", "csv"}:
        parser.error("--parts takes pages, mixed, weight and csv")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.no_cache and args.redis:
        parser.error("--no-cache and --redis cannot go together")

    wrk = shutil.which("wrk")
    if wrk is None:
        parser.error("wrk is not installed: apt-get install -y wrk")
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.database == "sqlite":
        database_url = prepare_sqlite(args.studies, args.refill)
    else:
        database_url = prepare_postgres(args.postgres_url, args.studies, args.refill)
    pages = pages_to_measure(database_url)
    views, toggled = mixed.views_from_database(database_url)
    emails = mixed.member_emails(database_url)
    csv_path = "/api/v1/studies.csv?topic=" + biggest_topic(database_url)
    cache_env = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": args.redis} if args.redis else {}
    page_runs: list[list[Measurement]] = []
    mixed_runs: list[list[mixed.MixedResult]] = []
    page_weight = None
    csv_runs: list[list[csv_download.CsvDownload]] = []
    for run in range(1, args.runs + 1):
        if args.redis:
            empty_redis(args.redis)
        port = args.port or free_port()
        with gunicorn(database_url, port, args.workers, not args.no_cache, cache_env) as server:
            base = f"http://127.0.0.1:{port}"
            print(f"Run {run} of {args.runs}", flush=True)
            if "pages" in parts:
                for _, path, headers, _ in pages:  # warm every worker's caches and connections
                    for _ in range(args.workers * 2):
                        fetch(base + path, headers)
                page_runs.append(
                    [
                        measure(wrk, name, base, path, headers, args)
                        for name, path, headers, _ in pages
                    ]
                )
            if "mixed" in parts:
                members = [mixed.sign_in(base, email) for email in emails]
                loads = []
                for name, mode, value in MIXED_LOADS:
                    print(f"mixed load, {name}: {len(views)} views", flush=True)
                    loads.append(
                        mixed.run_mixed(
                            wrk,
                            base,
                            views,
                            toggled,
                            members,
                            mode,
                            value,
                            args.mixed_duration,
                            args.connections,
                        )
                    )
                mixed_runs.append(loads)
            if "weight" in parts and page_weight is None:
                page_weight = weight.PageWeight(weight.first_load(base + "/"))
            if "csv" in parts:
                csv_runs.append(csv_download.measure_csv(base, csv_path, server.pid))

    sections = [describe(args, len(views))]
    errors = 0
    summary: dict = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "args": vars(args)}
    if page_runs:
        results = median_pages(page_runs, pages, cache=not args.no_cache)
        sections.append(render_report(results, args))
        errors += sum(result.errors for result in results)
        summary["pages"] = [asdict(result) for result in results]
    if mixed_runs:
        medians = median_mixed(mixed_runs)
        sections.append(render_mixed(medians, mixed_runs, len(views)))
        errors += sum(result.errors for run in mixed_runs for result in run)
        summary["mixed"] = [[asdict(result) for result in run] for run in mixed_runs]
    if page_weight is not None:
        sections.append(weight.render_weight(page_weight, "/"))
        summary["weight"] = [asdict(resource) for resource in page_weight.resources]
    if csv_runs:
        sections.append(csv_download.render_csv(csv_runs))
        summary["csv"] = [[asdict(download) for download in run] for run in csv_runs]
    report = "\n\n".join(sections)
    print(report)
    stem = f"{args.database}-{args.studies}" + (
        "-no-cache" if args.no_cache else "-redis" if args.redis else ""
    )
    (RESULTS / f"{stem}.md").write_text(report + "\n")
    (RESULTS / f"{stem}.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
    return 1 if errors else 0


def pages_to_measure(database_url: str) -> list[tuple]:
    """PAGES, with the study page's path filled in from the database."""
    from board.models import CaseStudy
    from board.models.case_study import title_slug

    engine = create_engine(database_url)
    with engine.connect() as connection:
        study_id = discussion_study(connection)
        title = connection.scalar(select(CaseStudy.title).where(CaseStudy.id == study_id))
    engine.dispose()
    study_path = f"/studies/{study_id}/{title_slug(title)}"
    return [
        (name, study_path if name == STUDY_PAGE else path, headers, target)
        for name, path, headers, target in PAGES
    ]


def biggest_topic(database_url: str) -> str:
    """The slug of the topic with the most published public studies."""
    from sqlalchemy.orm import Session

    from board.api.queries import topics_with_counts

    engine = create_engine(database_url)
    with Session(engine) as session:
        topic, _ = max(session.execute(topics_with_counts()), key=lambda row: row[1])
    engine.dispose()
    return topic.slug


def empty_redis(url: str) -> None:
    """Empty the Redis database the results cache will use, so every run starts cold."""
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


def median_pages(
    runs: list[list[Measurement]], pages: list[tuple], cache: bool = True
) -> list[Measurement]:
    """Per page, the median of the runs' req/s, p50, p99 and ratio to the baseline (each
    ratio taken within its own run); errors are added up. Without the results cache
    (``cache`` false) the targets set for it on (TARGET_WITH_CACHE) are left out."""
    for run in runs:
        baseline = run[0].requests_per_second
        for result in run:
            result.ratio = result.requests_per_second / baseline if baseline else None
    medians = []
    for index, (name, path, _, target) in enumerate(pages):
        measured = [run[index] for run in runs]
        ratios = [result.ratio for result in measured if result.ratio is not None]
        result = Measurement(
            name=name,
            path=path,
            requests_per_second=statistics.median(m.requests_per_second for m in measured),
            p50_ms=statistics.median(m.p50_ms for m in measured),
            p99_ms=statistics.median(m.p99_ms for m in measured),
            requests=sum(m.requests for m in measured),
            errors=sum(m.errors for m in measured),
            ratio=statistics.median(ratios) if ratios else None,
            runs=[asdict(m) | {"runs": None} for m in measured],
        )
        if target is not None and (cache or name not in TARGET_WITH_CACHE):
            met = result.ratio is not None and result.ratio >= target
            result.target = f"ratio >= {target:.2f}: {'met' if met else 'MISSED'}"
        if name == "search, common word":
            result.target = f"p99 < {COMMON_WORD_P99_TARGET_MS:.0f} ms: " + (
                "met" if result.p99_ms < COMMON_WORD_P99_TARGET_MS else "MISSED"
            )
        medians.append(result)
    return medians


def median_mixed(runs: list[list]) -> list[dict]:
    """Per mixed load, the median of the runs' figures."""
    medians = []
    for index, (name, _, _) in enumerate(MIXED_LOADS):
        measured = [run[index] for run in runs]
        rates = [result.hit_rate for result in measured if result.hit_rate is not None]
        medians.append(
            {
                "name": name,
                "reads_per_second": statistics.median(m.reads_per_second for m in measured),
                "read_p50_ms": statistics.median(m.read_p50_ms for m in measured),
                "read_p99_ms": statistics.median(m.read_p99_ms for m in measured),
                "writes_per_second": statistics.median(m.writes_per_second for m in measured),
                "hit_rate": statistics.median(rates) if rates else None,
                "wrk_cpu_share": statistics.median(
                    m.wrk_cpu_s / m.duration_s if m.duration_s else 0.0 for m in measured
                ),
                "errors": sum(m.errors for m in measured),
            }
        )
    return medians


# -- databases ---------------------------------------------------------------------------------


def prepare_sqlite(studies: int, refill: bool) -> str:
    """A filled SQLite file, kept under bench/results/ for the next run (migrated if the
    schema has moved since it was filled)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"board-{studies}-v{DATA_VERSION}.sqlite"
    if refill and path.exists():
        path.unlink()
    url = f"sqlite:///{path}"
    if path.exists():
        engine = create_engine(url)
        with engine.connect() as connection:
            filled = is_filled(connection, studies)
        engine.dispose()
        if filled:
            print(f"Using the filled database {path.relative_to(ROOT)}")
            populate(url, studies)  # migrates it, if the schema has moved
            return url
        path.unlink()
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    populate(f"sqlite:///{partial}", studies)
    partial.rename(path)
    return url


def prepare_postgres(url: str, studies: int, refill: bool) -> str:
    """The PostgreSQL database at ``url`` (made if missing), filled unless it already holds
    this benchmark's board of ``studies`` studies (then it is only migrated). Its public schema
    is dropped and made again to refill."""
    target = make_url(url)
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    server.dispose()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if is_filled(connection, studies) and not refill:
            print(f"Using the filled database {target.database} ({studies:,} studies)")
        else:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    if populate(url, studies):
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            print("VACUUM ANALYZE")
            connection.execute(text("VACUUM ANALYZE"))
        engine.dispose()
    return url


def bench_app(url: str):
    from board import create_app

    return create_app(
        {
            "APP_ENV": "production",
            "SECRET_KEY": "bench-only",
            "PUBLIC_URL": "http://127.0.0.1",
            "SQLALCHEMY_DATABASE_URI": url,
        }
    )


def populate(url: str, studies: int) -> bool:
    """Migrate the database at ``url`` and fill it if empty, in this process; return whether
    anything changed."""
    started = time.monotonic()
    changed = prepare_database(bench_app(url), studies)
    if changed:
        print(f"{make_url(url).render_as_string()} ready in {time.monotonic() - started:.0f} s")
    return changed


# -- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, port: int, workers: int, cache: bool, extra_env=None):
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
        "LOGIN_RATE_LIMIT": "100000 per second",
        "REGISTER_RATE_LIMIT": "100000 per second",
        # "Useful" toggles share the comment limit, per member: the mixed load makes many.
        "COMMENT_RATE_LIMIT": "100000 per second",
        "API_RATE_LIMIT": "100000 per second",
        # Plain http on the loopback: the members' session cookie must not be HTTPS-only.
        "SESSION_COOKIE_SECURE": "0",
        "CACHE_TYPE": "SimpleCache" if cache else "NullCache",
        **(extra_env or {}),
    }
    log = (RESULTS / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            # The production settings (worker class, timeouts, logging); the command line's
            # workers and address win over the file's.
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped; see {RESULTS / 'gunicorn.log'}")
        try:
            fetch(url, {})
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def fetch(url: str, headers: dict) -> bytes:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback only)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
        return response.read()


# -- load --------------------------------------------------------------------------------------


def measure(wrk: str, name: str, base: str, path: str, headers: dict, args) -> Measurement:
    command = [
        wrk,
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={args.duration}s",
        "--timeout=10s",
        "--latency",
    ]
    for header, value in headers.items():
        command += ["--header", f"{header}: {value}"]
    command.append(base + path)
    print(f"{name}: {path}", flush=True)
    output = subprocess.run(  # noqa: S603 (fixed arguments)
        command, capture_output=True, text=True, check=True
    ).stdout
    return parse_wrk(name, path, output)


def parse_wrk(name: str, path: str, output: str) -> Measurement:
    def latency(percentile: str) -> float:
        match = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        if not match:
            raise ValueError(f"no {percentile}% latency in wrk's output:\n{output}")
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        # Sync workers close every connection; wrk counts the close as a read error. Only
        # connect, write and timeout errors are failures.
        errors += sum(int(socket_errors.group(index)) for index in (1, 3, 4))
    if int(total.group(1)) == 0:
        errors += 1  # nothing finished in the time: the figures mean nothing
    return Measurement(
        name=name,
        path=path,
        requests_per_second=float(rate.group(1)),
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        requests=int(total.group(1)),
        errors=errors,
    )


def describe(args, views: int) -> str:
    cache = "off" if args.no_cache else "Redis" if args.redis else "on (each worker its own)"
    return (
        f"{args.database}, {args.studies:,} studies, results cache {cache}; "
        f"gunicorn {args.workers} sync workers; wrk {args.threads} threads, "
        f"{args.connections} connections, {args.duration} s a page, "
        f"{args.mixed_duration} s a mixed load; median of {args.runs} run(s); "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end, "
        f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def render_report(results: list[Measurement], args) -> str:
    lines = [
        "| page | path | req/s | p50 ms | p99 ms | ratio to baseline | ratio in each run "
        "| target |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for result in results:
        ratio = f"{result.ratio:.2f}" if result.ratio is not None else ""
        each = ", ".join(
            f"{run['ratio']:.2f}" for run in result.runs if run.get("ratio") is not None
        )
        errors = f" ({result.errors} errors)" if result.errors else ""
        lines.append(
            f"| {result.name} | `{result.path}` | {result.requests_per_second:,.0f} | "
            f"{result.p50_ms:.1f} | {result.p99_ms:.1f} | {ratio} | {each} | "
            f"{result.target}{errors} |"
        )
    return "\n".join(lines)


def render_mixed(medians: list[dict], runs: list[list], views: int) -> str:
    lines = [
        f'Mixed load: {views} views with Zipf popularity, signed-in "Useful" toggles',
        "",
        "| load | reads/s | read p50 ms | read p99 ms | toggles/s | hit rate | hit rate in "
        "each run | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for index, median in enumerate(medians):
        rate = median["hit_rate"]
        each = ", ".join(
            f"{run[index].hit_rate:.2f}" if run[index].hit_rate is not None else "-" for run in runs
        )
        target = ""
        if MIXED_LOADS[index][1] == "share":
            p99_met = median["read_p99_ms"] < MIXED_P99_TARGET_MS
            rate_met = rate is not None and rate >= MIXED_HIT_RATE_TARGET
            target = (
                f"p99 < {MIXED_P99_TARGET_MS:.0f} ms: {'met' if p99_met else 'MISSED'}; "
                f"hit rate >= {MIXED_HIT_RATE_TARGET}: {'met' if rate_met else 'MISSED'}"
            )
        errors = f" ({median['errors']} errors)" if median["errors"] else ""
        lines.append(
            f"| {median['name']} | {median['reads_per_second']:,.0f} | "
            f"{median['read_p50_ms']:.1f} | {median['read_p99_ms']:.1f} | "
            f"{median['writes_per_second']:.2f} | "
            f"{'' if rate is None else f'{rate:.2f}'} | {each} | {target}{errors} |"
        )
    busiest = max(median["wrk_cpu_share"] for median in medians)
    lines += [
        "",
        f"wrk's own CPU time was at most {busiest:.0%} of one core (of {os.cpu_count()}) "
        "during a mixed load.",
    ]
    if all(median["hit_rate"] is None for median in medians):
        lines += ["", "No listing response carried a results-cache Server-Timing header."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
