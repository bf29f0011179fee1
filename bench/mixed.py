"""The mixed load: many distinct views with Zipf popularity, and signed-in "Useful" toggles.

About 600 views (the board with topic, outcome, sort, page, nation, council-type and language
combinations, some asked as htmx fragments; searches over a word list, some with a filter; the
API's studies, searched and filtered; topic pages; council pages; study pages) are ranked in a
seeded random order, "/" first, and asked for with probability proportional to 1 / rank
(Zipf, s = 1). Members signed in beforehand mark and unmark studies "Useful"
(POST /studies/<id>/useful with their session cookie and CSRF token, as htmx sends it), either
at a fixed rate or as a share of all requests.

wrk drives the load with bench/mixed.lua: one connection a thread, so every response answers
the thread's previous request and the script can time reads apart from writes. The results-cache
hit rate counts the `Server-Timing: results-cache;desc="hit"` (or "miss") header of listing
responses; responses without it (study pages) are not part of the rate.
"""

from __future__ import annotations

import http.cookiejar
import random
import re
import resource
import subprocess
import tempfile
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, select

from bench import synthetic
from bench.fill import (
    MEMBER_DOMAIN,
    MEMBER_PASSWORD,
    READ_STUDIES,
    newest_public_studies_query,
)
from board.models import CaseStudy, Council, Topic, User
from board.models.case_study import title_slug

LUA_SCRIPT = Path(__file__).resolve().parent / "mixed.lua"
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
OUTCOMES = ["worked", "partly-worked", "did-not-work", "ongoing"]
NATIONS = ["england", "wales", "scotland", "northern-ireland"]
COUNCIL_TYPES = [
    "county",
    "district",
    "unitary",
    "metropolitan-borough",
    "london-borough",
    "welsh-principal-area",
    "scottish-council-area",
    "ni-district",
]
SORTS = ["newest", "useful"]
SEARCH_PAIRS = [
    "council chatbot",
    "smart bins",
    "resident portal",
    "cyber security",
    "data warehouse",
    "council tax",
    "care homes",
    "digital inclusion",
    "parking sensors",
    "open data",
]
# Toggles go to the newest published studies, the ones people see first, most to the newest.
TOGGLED_STUDIES = 200


@dataclass(frozen=True)
class View:
    path: str
    htmx: bool = False


@dataclass
class MixedResult:
    mode: str
    reads: int
    read_errors: int
    writes: int
    write_errors: int
    unanswered: int
    hits: int
    misses: int
    duration_s: float
    read_p50_ms: float
    read_p99_ms: float
    # wrk's own CPU time (user and system), to show the load generator is not the bottleneck.
    wrk_cpu_s: float = 0.0

    @property
    def reads_per_second(self) -> float:
        return self.reads / self.duration_s if self.duration_s else 0.0

    @property
    def writes_per_second(self) -> float:
        return self.writes / self.duration_s if self.duration_s else 0.0

    @property
    def hit_rate(self) -> float | None:
        counted = self.hits + self.misses
        return self.hits / counted if counted else None

    @property
    def errors(self) -> int:
        return self.read_errors + self.write_errors + self.unanswered


def zipf_cumulative(count: int, exponent: float = 1.0) -> list[float]:
    """Cumulative probabilities of ranks 1..count under Zipf's law; the last is exactly 1."""
    if count < 1:
        raise ValueError("a Zipf table needs at least one rank")
    weights = [1 / rank**exponent for rank in range(1, count + 1)]
    total = sum(weights)
    cumulative, running = [], 0.0
    for weight in weights:
        running += weight
        cumulative.append(running / total)
    cumulative[-1] = 1.0
    return cumulative


def percentile(histogram: dict[int, int], fraction: float, bucket_ms: float = 0.1) -> float:
    """The latency (ms, the bucket's upper edge) below which ``fraction`` of the counted
    requests fell; ``histogram`` maps bucket numbers to counts."""
    total = sum(histogram.values())
    if not total:
        return 0.0
    wanted = fraction * total
    seen = 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= wanted:
            return (bucket + 1) * bucket_ms
    return (max(histogram) + 1) * bucket_ms


def build_views(
    topics: list[str],
    councils: list[str],
    studies: list[str],
    seed: int = 20261126,
    council_pages: int = 120,
    study_pages: int = 128,
) -> list[View]:
    """The distinct views people ask for, most popular first: "/" and then a seeded shuffle."""
    rng = random.Random(seed)
    board: list[str] = [f"/?page={page}" for page in range(2, 11)]
    board += [f"/?sort={sort}" for sort in SORTS]
    board += [f"/?outcome={outcome}" for outcome in OUTCOMES]
    board += [f"/?nation={nation}" for nation in NATIONS]
    board += [f"/?council_type={kind}" for kind in COUNCIL_TYPES]
    board += [f"/?council_type={kind}&sort=useful" for kind in COUNCIL_TYPES]
    board += [f"/?nation={nation}&outcome={outcome}" for nation in NATIONS for outcome in OUTCOMES]
    for topic in topics:
        board += [f"/?topic={topic}", f"/?topic={topic}&sort=useful", f"/?topic={topic}&page=2"]
        board += [f"/?topic={topic}&outcome={outcome}" for outcome in OUTCOMES]
        board += [f"/?topic={topic}&nation={rng.choice(NATIONS)}"]
    board += ["/?sort=updated", "/?language=cy", "/?language=en", "/?language=cy&sort=updated"]
    words = [synthetic.COMMON_WORD, *synthetic.RARE_WORDS]
    words += rng.sample(synthetic.VOCABULARY, 50)
    words += SEARCH_PAIRS
    searches = [f"/?q={urllib.parse.quote_plus(word)}" for word in words]
    searches += [f"/?q={urllib.parse.quote_plus(word)}&sort=newest" for word in words[:15]]
    searches += [f"/?q={urllib.parse.quote_plus(word)}&page=2" for word in words[:15]]
    # Searches narrowed by a filter, and the API's searches and lists, which keep statements
    # and plans of their own.
    searches += [
        f"/?q={urllib.parse.quote_plus(word)}&topic={rng.choice(topics)}" for word in words[:15]
    ]
    searches += [
        f"/?q={urllib.parse.quote_plus(word)}&outcome={rng.choice(OUTCOMES)}"
        for word in words[15:25]
    ]
    api = [f"/api/v1/studies?q={urllib.parse.quote_plus(word)}" for word in words[:15]]
    api += [f"/api/v1/studies?topic={topic}" for topic in topics]
    api += ["/api/v1/studies", "/api/v1/studies?sort=useful"]
    listings = [View(path) for path in board + searches + api]
    # People filtering with JavaScript ask for the results fragment: some views come that way.
    listings += [View(path, htmx=True) for path in rng.sample(board, min(60, len(board)))]
    listings += [View(f"/topics/{topic}") for topic in topics]
    listings += [View(f"/topics/{topic}?page=2") for topic in topics]
    listings += [View(f"/councils/{slug}") for slug in rng.sample(councils, council_pages)]
    listings += [View(path) for path in rng.sample(studies, study_pages)]
    rng.shuffle(listings)
    return [View("/"), *listings]


def views_from_database(url: str) -> tuple[list[View], list[int]]:
    """The views for the board at ``url``, and the studies members toggle (newest first)."""
    engine = create_engine(url)
    with engine.connect() as connection:
        topics = list(connection.scalars(select(Topic.slug).order_by(Topic.position)))
        councils = list(connection.scalars(select(Council.slug).order_by(Council.id)))
        newest = connection.execute(
            newest_public_studies_query(READ_STUDIES, CaseStudy.id, CaseStudy.title)
        ).all()
    engine.dispose()
    studies = [f"/studies/{row.id}/{title_slug(row.title)}" for row in newest]
    views = build_views(topics, councils, studies)
    return views, [row.id for row in newest[:TOGGLED_STUDIES]]


def member_emails(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        emails = list(
            connection.scalars(
                select(User.email).where(User.email.like(f"%@{MEMBER_DOMAIN}")).order_by(User.id)
            )
        )
    engine.dispose()
    return emails


def sign_in(base: str, email: str, password: str = MEMBER_PASSWORD) -> tuple[str, str]:
    """Sign ``email`` in as a browser would (the login form's CSRF token, then the POST);
    return the Cookie header and the CSRF token of the signed-in session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/auth/login", timeout=30) as response:
        token = CSRF.search(response.read().decode()).group(1)
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
    with opener.open(base + "/auth/login", data=form.encode(), timeout=30) as response:
        page = response.read().decode()
    if "Sign out" not in page:
        raise RuntimeError(f"{email} could not sign in")
    token = CSRF.search(page).group(1)
    cookie = "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
    return cookie, token


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def lua_config(
    views: list[View],
    studies: list[int],
    members: list[tuple[str, str]],
    write_mode: str,
    write_value: float,
) -> str:
    """The configuration bench/mixed.lua reads, as Lua source."""
    view_items = ",\n".join(
        f"  {{{lua_string(view.path)}, {'true' if view.htmx else 'false'}}}" for view in views
    )
    member_items = ",\n".join(
        f"  {{{lua_string(cookie)}, {lua_string(token)}}}" for cookie, token in members
    )
    return "\n".join(
        [
            f"views = {{\n{view_items}\n}}",
            f"view_cumulative = {{{', '.join(repr(p) for p in zipf_cumulative(len(views)))}}}",
            f"studies = {{{', '.join(str(study) for study in studies)}}}",
            "study_cumulative = {"
            + ", ".join(repr(p) for p in zipf_cumulative(max(len(studies), 1)))
            + "}",
            f"members = {{\n{member_items}\n}}",
            f"write_mode = {lua_string(write_mode)}",
            f"write_value = {write_value!r}",
            "",
        ]
    )


def parse_output(mode: str, output: str) -> MixedResult:
    """The counters bench/mixed.lua printed in done()."""
    counters: dict[str, int] = {}
    histogram: dict[int, int] = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[:2] == ["mixed", "bucket"]:
            histogram[int(parts[2])] = int(parts[3])
        elif len(parts) == 3 and parts[0] == "mixed":
            counters[parts[1]] = int(parts[2])
    if "duration_us" not in counters:
        raise ValueError(f"no counters in wrk's output:\n{output}")
    return MixedResult(
        mode=mode,
        reads=counters.get("reads", 0),
        read_errors=counters.get("read_errors", 0),
        writes=counters.get("writes", 0),
        write_errors=counters.get("write_errors", 0),
        unanswered=counters.get("unanswered", 0),
        hits=counters.get("hits", 0),
        misses=counters.get("misses", 0),
        duration_s=counters["duration_us"] / 1e6,
        read_p50_ms=percentile(histogram, 0.50),
        read_p99_ms=percentile(histogram, 0.99),
    )


def run_mixed(
    wrk: str,
    base: str,
    views: list[View],
    studies: list[int],
    members: list[tuple[str, str]],
    mode: str,
    write_value: float,
    duration: int,
    connections: int,
) -> MixedResult:
    """One wrk run of the mixed load. ``mode`` is "none", "rate" (``write_value`` toggles a
    second) or "share" (``write_value`` of all requests are toggles)."""
    config = lua_config(views, studies, members, mode, write_value)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="mixed-") as file:
        file.write(config)
        file.flush()
        command = [
            wrk,
            f"--threads={connections}",
            f"--connections={connections}",
            f"--duration={duration}s",
            "--timeout=10s",
            f"--script={LUA_SCRIPT}",
            base,
            "--",
            file.name,
        ]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        output = subprocess.run(  # noqa: S603 (fixed arguments)
            command, capture_output=True, text=True, check=True
        ).stdout
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = parse_output(mode, output)
    result.wrk_cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result
