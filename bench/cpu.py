"""CPU per request, in-process: the app's own cost of a page, without a server or a network.

    .venv/bin/python -m bench.cpu                          # 10,000 studies, 200 requests a page
    .venv/bin/python -m bench.cpu --requests 500 --pages board,study
    .venv/bin/python -m bench.cpu --profile study          # cProfile of one page, top functions
    .venv/bin/python -m bench.cpu --sample fragment        # pyinstrument's tree of one page

(``--sample`` needs pyinstrument, which the project does not depend on: ``.venv/bin/pip
install pyinstrument``.)

Wall-clock benchmarks (bench/run.py) need quiet cores; this one measures the process's own CPU
time (``time.process_time()``) over N requests of each page through Flask's test client, with
the results cache off (``CACHE_TYPE=NullCache``, as ``bench.run --no-cache``), and `/healthz`
measured in the same run as the baseline. The SQLite database is bench/run.py's, filled once
and kept under bench/results/. Each page is asked for a few times first (templates compiled,
connections opened), then the pages are measured in turns (20 unless told), each page right
after a batch of ``/healthz``, and its ratio taken within the turn, so that a burst of other
work on the machine slows both alike; the report gives the medians of the turns. Ratios here
are of CPU per request, not of requests per second under wrk: a server's ratio also carries
what both pages pay outside the app (gunicorn, sockets), so it comes out somewhat higher.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import statistics
import time

from sqlalchemy import create_engine, make_url, select

from bench.fill import discussion_study
from bench.run import populate, prepare_sqlite

PAGES = {
    "healthz": ("/healthz", {}),
    "study": (None, {}),  # the study with 30 comments, found in the database
    "board": ("/", {}),
    "fragment": ("/?topic=cyber-security", {"HX-Request": "true"}),
    "search": ("/?q=council", {}),
    "rare": ("/?q=defibrillator", {}),
    "filtered": ("/?q=council&topic=cyber-security&outcome=worked", {}),
    "api-search": ("/api/v1/studies?q=council&language=en", {}),
}
DEFAULT_PAGES = "healthz,study,board,fragment,search"


def build_app(url: str):
    from board import create_app

    return create_app(
        {
            "APP_ENV": "production",
            "SECRET_KEY": "bench-only",
            "PUBLIC_URL": "http://localhost",
            "SQLALCHEMY_DATABASE_URI": url,
            "CACHE_TYPE": "NullCache",
            "SESSION_COOKIE_SECURE": False,
            # Counted, as in production, but never reached by a few hundred requests.
            "API_RATE_LIMIT": "1000000 per minute",
        }
    )


def study_path(url: str) -> str:
    from board.models import CaseStudy
    from board.models.case_study import title_slug

    engine = create_engine(url)
    with engine.connect() as connection:
        study_id = discussion_study(connection)
        title = connection.scalar(select(CaseStudy.title).where(CaseStudy.id == study_id))
    engine.dispose()
    return f"/studies/{study_id}/{title_slug(title)}"


def ask(client, path: str, headers: dict) -> None:
    response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    response.close()


def measure(client, pages: dict, requests: int, turns: int) -> dict[str, tuple[float, float]]:
    """Per page, CPU ms per request and its ratio to ``/healthz``, each the median of ``turns``
    turns. In each turn every page is asked for ``requests // turns`` times, ``/healthz``
    again before each page, and the ratio is taken within the turn: the machine's other work
    comes and goes, and slows both alike."""
    for path, headers in pages.values():
        for _ in range(5):
            ask(client, path, headers)
    per_turn = max(1, requests // turns)

    def cpu_ms(path: str, headers: dict) -> float:
        started = time.process_time()
        for _ in range(per_turn):
            ask(client, path, headers)
        return (time.process_time() - started) * 1000 / per_turn

    healthz = pages["healthz"]
    samples: dict[str, list[float]] = {name: [] for name in pages}
    ratios: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(turns):
        for name, (path, headers) in pages.items():
            baseline = cpu_ms(*healthz)
            ms = cpu_ms(path, headers)
            samples[name].append(ms)
            ratios[name].append(baseline / ms if ms else 0.0)
    return {
        name: (statistics.median(samples[name]), statistics.median(ratios[name])) for name in pages
    }


def profile(client, path: str, headers: dict, requests: int, top: int) -> str:
    for _ in range(5):
        ask(client, path, headers)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        ask(client, path, headers)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def sample(client, path: str, headers: dict, requests: int) -> str:
    """pyinstrument's call tree (a sampling profiler: closer to the real proportions than
    cProfile, whose cost per call inflates small functions)."""
    from pyinstrument import Profiler

    for _ in range(5):
        ask(client, path, headers)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(requests):
        ask(client, path, headers)
    profiler.stop()
    return profiler.output_text(show_all=False, short_mode=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--studies", type=int, default=10_000, help="how many (10000)")
    parser.add_argument("--requests", type=int, default=200, help="requests a page (200)")
    parser.add_argument("--turns", type=int, default=20, help="turns; the median is given (20)")
    parser.add_argument("--pages", default=DEFAULT_PAGES, help=f"of {', '.join(PAGES)}")
    parser.add_argument("--profile", metavar="PAGE", help="profile this page instead")
    parser.add_argument("--sample", metavar="PAGE", help="pyinstrument's tree of this page")
    parser.add_argument("--top", type=int, default=40, help="functions in a profile (40)")
    parser.add_argument(
        "--database-file", metavar="PATH", help="a filled SQLite file to use (migrated) instead"
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="a filled database to use (bench.run's PostgreSQL one, say) instead; its own CPU "
        "is not counted, only this process's",
    )
    args = parser.parse_args(argv)

    if args.database_url:
        url = args.database_url
    elif args.database_file:
        url = f"sqlite:///{os.path.abspath(args.database_file)}"
        populate(url, args.studies)  # migrates it, if the schema has moved
    else:
        url = prepare_sqlite(args.studies, refill=False)
    pages = {
        name: (path or study_path(url), headers)
        for name, (path, headers) in PAGES.items()
        if name in args.pages.split(",") or name in (args.profile, args.sample, "healthz")
    }
    app = build_app(url)
    client = app.test_client()
    # The request log (a JSON line a request on stdout, as in production) is written, and
    # costs what it costs, but not shown.
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        if args.profile:
            path, headers = pages[args.profile]
            report = profile(client, path, headers, args.requests, args.top)
        elif args.sample:
            path, headers = pages[args.sample]
            report = sample(client, path, headers, args.requests)
        else:
            results = measure(client, pages, args.requests, args.turns)
    if args.profile or args.sample:
        print(report)
        return 0
    database = make_url(url).get_backend_name()
    print(f"{database}, {args.studies:,} studies, results cache off, {args.requests} a page")
    print("| page | path | CPU ms per request | ratio to /healthz |")
    print("| --- | --- | ---: | ---: |")
    for name, (ms, ratio) in results.items():
        path, headers = pages[name]
        shown = path + (" (htmx)" if headers else "")
        print(f"| {name} | `{shown}` | {ms:.2f} | {ratio:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
