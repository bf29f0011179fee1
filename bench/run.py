"""The board benchmark: fill a database, serve the app with gunicorn, load it with wrk.

    .venv/bin/python -m bench.run                        # SQLite, 100,000 studies, 10 s a page
    .venv/bin/python -m bench.run --database postgres    # PostgreSQL (database "bench")
    .venv/bin/python -m bench.run --studies 5000 --duration 3

Every page is measured in the same run against /healthz, the cheapest page the app serves, so
results compare across machines as ratios. Only 127.0.0.1 is ever loaded.
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
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.fill import is_filled, prepare_database

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/bench"
# Bumped when the synthetic data changes, so cached SQLite files are made again.
DATA_VERSION = 3

# (name, path, extra request headers, target as a ratio of the baseline's req/s)
PAGES = [
    ("baseline /healthz", "/healthz", {}, None),
    ("board /", "/", {}, 0.30),
    ("HTMX fragment, topic filter", "/?topic=cyber-security", {"HX-Request": "true"}, 0.40),
    ("deep page (page 500)", "/?page=500", {}, None),
    ("search, rare word", "/?q=defibrillator", {}, None),
    ("search, common word", "/?q=council", {}, None),
]
COMMON_WORD_P99_TARGET_MS = 50.0


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--studies", type=int, default=100_000, help="how many (100000)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help=DEFAULT_POSTGRES)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (10)")
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
    args = parser.parse_args(argv)

    wrk = shutil.which("wrk")
    if wrk is None:
        parser.error("wrk is not installed: apt-get install -y wrk")
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.database == "sqlite":
        database_url = prepare_sqlite(args.studies, args.refill)
    else:
        database_url = prepare_postgres(args.postgres_url, args.studies, args.refill)

    port = args.port or free_port()
    with gunicorn(database_url, port, args.workers, cache=not args.no_cache):
        base = f"http://127.0.0.1:{port}"
        for _, path, headers, _ in PAGES:  # warm every worker's caches and connections
            for _ in range(args.workers * 2):
                fetch(base + path, headers)
        results = [
            measure(wrk, name, base, path, headers, args) for name, path, headers, _ in PAGES
        ]
    baseline = results[0].requests_per_second
    for result, (_, _, _, target) in zip(results, PAGES, strict=True):
        result.ratio = result.requests_per_second / baseline if baseline else None
        if target is not None:
            met = result.ratio is not None and result.ratio >= target
            result.target = f"ratio >= {target:.2f}: {'met' if met else 'MISSED'}"
    common = results[-1]
    common.target = f"p99 < {COMMON_WORD_P99_TARGET_MS:.0f} ms: " + (
        "met" if common.p99_ms < COMMON_WORD_P99_TARGET_MS else "MISSED"
    )
    report = render_report(results, args)
    print(report)
    stem = f"{args.database}-{args.studies}" + ("-no-cache" if args.no_cache else "")
    (RESULTS / f"{stem}.md").write_text(report + "\n")
    (RESULTS / f"{stem}.json").write_text(
        json.dumps([asdict(result) for result in results], indent=2) + "\n"
    )
    return 1 if any(result.errors for result in results) else 0


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
        "CACHE_TYPE": "SimpleCache" if cache else "NullCache",
        **(extra_env or {}),
    }
    log = (RESULTS / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
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
    return Measurement(
        name=name,
        path=path,
        requests_per_second=float(rate.group(1)),
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        requests=int(total.group(1)),
        errors=errors,
    )


def render_report(results: list[Measurement], args) -> str:
    lines = [
        f"{args.database}, {args.studies:,} studies, results cache "
        f"{'off' if args.no_cache else 'on'}; gunicorn {args.workers} sync workers; "
        f"wrk {args.threads} threads, {args.connections} connections, {args.duration} s a page; "
        f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "",
        "| page | path | req/s | p50 ms | p99 ms | ratio to baseline | target |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for result in results:
        ratio = f"{result.ratio:.2f}" if result.ratio is not None else ""
        errors = f" ({result.errors} errors)" if result.errors else ""
        lines.append(
            f"| {result.name} | `{result.path}` | {result.requests_per_second:,.0f} | "
            f"{result.p50_ms:.1f} | {result.p99_ms:.1f} | {ratio} | {result.target}{errors} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
