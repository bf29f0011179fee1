"""The related-studies benchmark (bench/related.py) on a small filled board."""

from __future__ import annotations

from bench import fill, related
from bench.run import bench_app


def test_the_benchmark_times_every_call_and_reports_the_target(tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.sqlite'}"
    assert fill.prepare_database(bench_app(url), 60) is True
    calls, sizes = related.measure(url, studies=10, questions=6)
    assert len(calls) == 16
    assert {call.kind for call in calls} == {"study", "question"}

    assert {call.audience for call in calls} == {"visitor", "member"}
    assert all(call.statements <= 2 and call.ms > 0 for call in calls)
    assert sizes["studies"] == 60
    report = related.render("SQLite", calls, sizes)
    assert "| all | 16 |" in report
    assert "target, under 20 ms" in report
    assert "of the database's own work" in report


def test_question_texts_are_varied_and_include_common_words_only():
    import random

    texts = related.question_texts(random.Random(1), 20)
    assert len(set(texts)) == 20
    assert texts[: len(related.COMMON_QUESTIONS)] == related.COMMON_QUESTIONS
