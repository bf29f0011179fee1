"""The benchmark's own pieces: the filler, the mixed load's Zipf table and counters, the page
weight's parsing, the CSV download's /proc readings, and the medians. (Nothing here starts
gunicorn or wrk.)"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select, text

from bench import csv_download, fill, mixed, weight
from bench.run import Measurement, bench_app, biggest_topic, median_pages, parse_wrk
from board.extensions import db
from board.models import CaseStudy, Comment

# -- the filler --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    # Filled once for the module: the tests below leave it as they found it.
    url = f"sqlite:///{tmp_path_factory.mktemp('bench') / 'bench.sqlite'}"
    assert fill.prepare_database(bench_app(url), 60) is True
    return url


def test_fill_makes_members_and_a_discussion_of_thirty_comments(filled):
    engine = create_engine(filled)
    with engine.connect() as connection:
        assert fill.is_filled(connection, 60)
        assert not fill.is_filled(connection, 61)
        study = fill.discussion_study(connection)
        authors = connection.scalar(
            select(func.count(func.distinct(Comment.author_id))).where(
                Comment.case_study_id == study
            )
        )
        replies = connection.scalar(
            select(func.count())
            .select_from(Comment)
            .where(Comment.case_study_id == study, Comment.parent_id.is_not(None))
        )
        status, visibility = connection.execute(
            text("SELECT status, visibility FROM case_studies WHERE id = :id"), {"id": study}
        ).one()
    engine.dispose()
    assert study is not None
    assert authors > 5
    assert 0 < replies < fill.DISCUSSION_COMMENTS
    assert (status, visibility) == ("published", "public")


def test_the_newest_public_studies_and_their_comments_are_stored_rendered(filled):
    # The mixed load opens these studies' pages (bench/mixed.py views_from_database).
    engine = create_engine(filled)
    with engine.connect() as connection:
        newest = set(
            connection.scalars(fill.newest_public_studies_query(fill.READ_STUDIES, CaseStudy.id))
        )
        public = connection.scalar(
            text(
                "SELECT count(*) FROM case_studies WHERE status = 'published' "
                "AND visibility = 'public'"
            )
        )
        rendered = set(
            connection.scalars(
                text("SELECT id FROM case_studies WHERE markdown_version IS NOT NULL")
            )
        )
        unrendered_comments = connection.scalar(
            text("SELECT count(*) FROM comments WHERE markdown_version IS NULL")
        )
        discussion = fill.discussion_study(connection)
    engine.dispose()
    assert len(newest) == min(public, fill.READ_STUDIES) > 0
    assert discussion in newest
    assert rendered == newest
    assert unrendered_comments == 0


def test_the_csv_is_of_the_topic_with_most_published_public_studies(filled):
    engine = create_engine(filled)
    with engine.connect() as connection:
        counts = dict(
            connection.execute(
                text(
                    "SELECT topics.slug, count(*) FROM case_study_topics "
                    "JOIN topics ON topics.id = case_study_topics.topic_id "
                    "JOIN case_studies ON case_studies.id = case_study_topics.case_study_id "
                    "WHERE status = 'published' AND visibility = 'public' GROUP BY topics.slug"
                )
            ).all()
        )
    engine.dispose()
    assert counts[biggest_topic(filled)] == max(counts.values())


def test_a_filled_database_is_reused_not_filled_again(filled):
    assert fill.prepare_database(bench_app(filled), 60) is False
    engine = create_engine(filled)
    with engine.connect() as connection:
        assert fill.study_count(connection) == 60
    engine.dispose()


def test_a_filled_database_on_an_older_schema_is_migrated_not_refilled(filled):
    from flask_migrate import downgrade

    app = bench_app(filled)
    with app.app_context():
        newest = fill.schema_revision(db.engine)
        downgrade(revision="0005")
        assert fill.schema_revision(db.engine) == "0005"
        db.engine.dispose()
    assert fill.prepare_database(bench_app(filled), 60) is True
    engine = create_engine(filled)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == newest
        assert fill.is_filled(connection, 60)
        assert connection.scalar(text("SELECT count(*) FROM comments")) == 30
    engine.dispose()


# -- the mixed load ----------------------------------------------------------------------------


def test_zipf_table_is_cumulative_and_favours_the_first_rank():
    table = mixed.zipf_cumulative(4)
    assert table == sorted(table)
    assert table[-1] == 1.0
    # 1, 1/2, 1/3, 1/4 over their sum (25/12)
    assert table[0] == pytest.approx(12 / 25)
    assert table[1] - table[0] == pytest.approx(6 / 25)
    with pytest.raises(ValueError):
        mixed.zipf_cumulative(0)


def test_about_600_distinct_views_with_the_board_first():
    topics = [f"topic-{number}" for number in range(7)]  # as seeded
    councils = [f"council-{number}" for number in range(400)]
    studies = [f"/studies/{number}/a-study" for number in range(2000)]
    views = mixed.build_views(topics, councils, studies)
    assert views[0] == mixed.View("/")
    assert len(set(views)) == len(views)
    assert 570 <= len(views) <= 630
    paths = [view.path for view in views]
    prefixes = ("/?q=", "/topics/", "/councils/", "/studies/", "/?topic=", "/?nation=", "/api/")
    for prefix in prefixes:
        assert any(path.startswith(prefix) for path in paths), prefix
    assert any(view.htmx for view in views)
    assert any("q=" in path and "&topic=" in path for path in paths)  # a search with a filter
    assert any(path.startswith("/api/v1/studies?q=") for path in paths)
    assert mixed.build_views(topics, councils, studies) == views  # seeded


def test_percentile_reads_the_histogram_of_tenth_milliseconds():
    histogram = {10: 98, 250: 1, 900: 1}  # 1.0-1.1 ms, 25 ms, 90 ms
    assert mixed.percentile(histogram, 0.5) == pytest.approx(1.1)
    assert mixed.percentile(histogram, 0.99) == pytest.approx(25.1)
    assert mixed.percentile(histogram, 1.0) == pytest.approx(90.1)
    assert mixed.percentile({}, 0.99) == 0.0


def test_the_counters_wrk_prints_become_a_result():
    output = "\n".join(
        [
            "Running 3s test @ http://127.0.0.1:1",
            "mixed duration_us 2000000",
            "mixed reads 100",
            "mixed writes 5",
            "mixed hits 60",
            "mixed misses 20",
            "mixed unanswered 0",
            "mixed bucket 20 99",
            "mixed bucket 400 1",
        ]
    )
    result = mixed.parse_output("share", output)
    assert result.reads_per_second == 50
    assert result.writes_per_second == 2.5
    assert result.hit_rate == 0.75
    assert result.read_p50_ms == pytest.approx(2.1)
    assert result.read_p99_ms == pytest.approx(2.1)
    assert result.errors == 0
    with pytest.raises(ValueError):
        mixed.parse_output("share", "wrk: connection refused")


def test_no_server_timing_header_means_no_hit_rate():
    result = mixed.parse_output("none", "mixed duration_us 1000000\nmixed reads 3")
    assert result.hit_rate is None


def test_lua_config_escapes_what_it_quotes():
    config = mixed.lua_config(
        [mixed.View('/?q="x"'), mixed.View("/?topic=a", htmx=True)],
        [7, 8],
        [("session=abc", 'tok"en')],
        "rate",
        1.0,
    )
    assert r'{"/?q=\"x\"", false}' in config
    assert '{"/?topic=a", true}' in config
    assert r'{"session=abc", "tok\"en"}' in config
    assert "studies = {7, 8}" in config
    assert 'write_mode = "rate"' in config


# -- page weight -------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head>
<link rel="icon" href="/static/favicon.svg">
<link rel="stylesheet" href="/static/a.css">
<link rel="preload" href="/static/font.woff2" as="font">
<link rel="prefetch" href="/static/next-page.js">
<script src="/static/htmx.js" defer></script>
<script type="module" src="/static/init.js"></script>
<script type="module">import { start } from "/static/inline.js"; start()</script>
</head><body class="page"><div class="crest"></div></body></html>"""


def test_the_page_names_its_stylesheets_scripts_icons_and_modules():
    links = weight.PageLinks()
    links.feed(PAGE)
    assert links.found == [
        ("icon", "/static/favicon.svg"),
        ("stylesheet", "/static/a.css"),
        ("preload", "/static/font.woff2"),
        ("script", "/static/htmx.js"),
        ("module", "/static/init.js"),
    ]
    assert weight.module_imports("".join(links.inline_modules)) == ["/static/inline.js"]
    assert {"page", "crest"} <= links.classes


def test_module_imports_follow_static_imports_only():
    source = """import { a } from "./a.js";
import "./side-effect.js";
export { b } from './b.js';
const later = import("./lazy.js");
const text = "import nothing from here";"""
    assert weight.module_imports(source) == ["./a.js", "./side-effect.js", "./b.js"]


def test_css_urls_count_only_for_rules_the_page_uses():
    css = """/* url(commented.svg) */
@import "more.css";
.crest{background:url(crest.svg)}
.moj-filter .unused{background:url("filter.svg")}
.page,.other{background:url('page.png')}
.x{background:url(data:image/png;base64,AAA)}
@font-face{font-family:"Used";src:url(used.woff2) format("woff2"),url(used.woff) format("woff")}
@font-face{font-family:"Unused";src:url(unused.woff2)}
body{font-family:"Used",arial}"""
    assert weight.css_references(css, {"page", "crest"}) == [
        "more.css",
        "used.woff2",
        "crest.svg",
        "page.png",
    ]


@pytest.mark.parametrize(
    ("cache_control", "reusable"),
    [
        ("public, max-age=31536000, immutable", True),
        ("max-age=60", True),
        ("no-cache", False),
        ("max-age=0", False),
        ("public, max-age=600, no-cache", False),
        ("no-store", False),
        ("", False),
    ],
)
def test_second_load_reuses_only_fresh_files(cache_control, reusable):
    assert weight.reusable_without_asking(cache_control) is reusable


def test_second_load_always_asks_for_the_page():
    weight_ = weight.PageWeight(
        [
            weight.Resource("http://h/", "html", 200, 100, 40, "br", "public, max-age=60"),
            weight.Resource("http://h/a.css", "stylesheet", 200, 50, 20, "br", "immutable"),
            weight.Resource("http://h/b.js", "script", 200, 30, 30, "", "no-cache"),
        ]
    )
    assert weight_.wire_bytes == 90
    assert weight_.raw_bytes == 180
    assert weight_.first_load_requests == 3
    assert weight_.second_load_requests == 2


# -- the CSV download --------------------------------------------------------------------------


def fake_process(proc, pid: int, ppid: int, ticks: tuple[int, int] = (0, 0)) -> None:
    folder = proc / str(pid)
    folder.mkdir()
    # The command is in brackets and may hold spaces and brackets of its own.
    (folder / "stat").write_text(
        f"{pid} (gunicorn: worker [caseboard]) S {ppid} 1 1 0 -1 4194304 100 0 0 0 "
        f"{ticks[0]} {ticks[1]} 0 0 20 0 1 0 100 1000 200\n"
    )
    (folder / "status").write_text(
        "Name:\tgunicorn\nVmPeak:\t  300000 kB\nVmHWM:\t   95000 kB\nVmRSS:\t   90000 kB\n"
    )


def test_workers_cpu_time_and_memory_are_read_from_proc(tmp_path):
    fake_process(tmp_path, 10, 1)  # the master
    fake_process(tmp_path, 11, 10, ticks=(250, 30))
    fake_process(tmp_path, 12, 10)
    fake_process(tmp_path, 13, 99)  # someone else's child
    assert csv_download.worker_pids(10, tmp_path) == [11, 12]
    assert csv_download.cpu_ticks(11, tmp_path) == 280
    assert csv_download.memory_kb(11, tmp_path) == {"VmHWM": 95000, "VmRSS": 90000}


def test_csv_rows_are_counted_as_records_not_lines():
    body = '\ufeffid,summary\r\n1,"two\r\nlines"\r\n2,plain\r\n'.encode()
    assert csv_download.count_rows(body) == 2
    assert csv_download.count_rows(b"") == 0


def download(worker: int, growth_kb: int, seconds: float = 1.0, again: bool = False):
    return csv_download.CsvDownload(
        "/api/v1/studies.csv?topic=t", 15_000, 8 * 1024 * 1024, seconds, worker,
        rss_before_kb=80_000, peak_kb=80_000 + growth_kb, rss_after_kb=80_000, again=again,
    )  # fmt: skip


def test_the_csv_is_downloaded_until_a_worker_serves_it_again(monkeypatch):
    served = iter([download(1, 9000), download(2, 9000), download(1, 1000)])
    monkeypatch.setattr(csv_download, "download_once", lambda *args: next(served))
    downloads = csv_download.measure_csv("http://h", "/x.csv", 10)
    assert [(d.worker, d.again) for d in downloads] == [(1, False), (2, False), (1, True)]


def test_memory_is_flat_when_the_peak_grows_by_less_than_half_the_file():
    assert download(1, 4 * 1024 - 1).flat
    assert not download(1, 4 * 1024).flat


def test_the_csv_verdicts_are_on_a_workers_second_download():
    runs = [
        [download(1, 9000, seconds=3.0), download(1, 1000, seconds=1.5, again=True)],
        [download(2, 9500, seconds=3.5), download(2, 5000, seconds=2.5, again=True)],
        [download(3, 9000, seconds=3.0), download(3, 1200, seconds=1.0, again=True)],
    ]
    report = csv_download.render_csv(runs)
    assert "| download, a worker's second, median of the runs | 1.50 s | < 2 s: met |" in report
    assert "| download, a worker's first, median | 3.00 s |  |" in report
    assert "+4.9 MB | flat (under 50% of the file's 8.0 MB): MISSED |" in report
    assert report.count("| first |") == 3


# -- medians -----------------------------------------------------------------------------------


def measurement(name: str, rate: float, p99: float = 10.0) -> Measurement:
    return Measurement(name, "/", rate, 1.0, p99, int(rate), 0)


def test_median_of_runs_takes_each_ratio_within_its_own_run():
    pages = [("baseline /healthz", "/healthz", {}, None), ("board /", "/", {}, 0.30)]
    runs = [
        [measurement("baseline", 1000), measurement("board", 400)],  # 0.40
        [measurement("baseline", 500), measurement("board", 100)],  # 0.20
        [measurement("baseline", 800), measurement("board", 280)],  # 0.35
    ]
    baseline, board = median_pages(runs, pages)
    assert baseline.requests_per_second == 800
    assert board.requests_per_second == 280
    assert board.ratio == pytest.approx(0.35)  # not 280 / 800
    assert board.target == "ratio >= 0.30: met"
    assert [run["ratio"] for run in board.runs] == pytest.approx([0.40, 0.20, 0.35])


def test_targets_for_the_cache_on_are_left_out_without_it():
    pages = [
        ("baseline /healthz", "/healthz", {}, None),
        ("board /", "/", {}, 0.30),
        ("API list", "/api/v1/studies", {}, 0.30),
    ]
    runs = [[measurement("baseline", 1000), measurement("board", 200), measurement("api", 200)]]
    _, board, api = median_pages(runs, pages, cache=False)
    assert board.target == "ratio >= 0.30: MISSED"
    assert api.target == ""
    _, _, api = median_pages(runs, pages)
    assert api.target == "ratio >= 0.30: MISSED"


WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:1/
  2 threads and 8 connections
  Latency Distribution
     50%    3.20ms
     75%    4.10ms
     90%    5.00ms
     99%    1.20s
  {total} requests in 3.00s, 1.00MB read
  Socket errors: connect 0, read {total}, write 0, timeout 0
Requests/sec:    {rate}
"""


def test_wrk_output_is_read_and_sync_workers_closing_is_no_error():
    result = parse_wrk("board", "/", WRK_OUTPUT.format(total=300, rate="100.00"))
    assert (result.requests, result.requests_per_second) == (300, 100.0)
    assert (result.p50_ms, result.p99_ms) == (3.2, 1200.0)
    assert result.errors == 0


def test_a_page_where_nothing_finished_is_an_error():
    assert parse_wrk("study", "/s", WRK_OUTPUT.format(total=0, rate="0.00")).errors == 1


def test_first_load_follows_the_page_and_reports_missing_files(tmp_path):
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="/a.css"><body class="crest">'
        '<script type="module" src="/init.js"></script><script src="/gone.js"></script>'
    )
    (tmp_path / "a.css").write_text(
        ".crest{background:url(crest.svg)}.other{background:url(x.svg)}"
    )
    (tmp_path / "crest.svg").write_text("<svg></svg>")
    (tmp_path / "init.js").write_text('import { go } from "./lib.js"; go()')
    (tmp_path / "lib.js").write_text("export function go() {}")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=tmp_path))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        found = weight.first_load(base + "/index.html")
    finally:
        server.shutdown()
        server.server_close()
    by_path = {resource.url.removeprefix(base): resource for resource in found}
    assert list(by_path) == [
        "/index.html",
        "/a.css",
        "/init.js",
        "/gone.js",
        "/crest.svg",
        "/lib.js",
    ]
    assert by_path["/gone.js"].status == 404
    assert by_path["/a.css"].raw_bytes == len((tmp_path / "a.css").read_bytes())
    assert weight.PageWeight(found).second_load_requests == 6  # nothing says it may be reused
