"""bench/digests.py's own pieces, on a small board: the members and follows it adds, and a send
that reaches them (the timing itself is only measured by ``make bench-digests``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, func, select

from bench import digests as bench_digests
from bench import fill
from bench.run import bench_app
from board.extensions import db
from board.models import CaseStudy, Follow, FollowKind, OutboxMessage, User


def test_the_digest_bench_adds_members_with_every_kind_of_follow_and_sends(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'bench.sqlite'}"
    app = bench_app(url)
    fill.prepare_database(app, 300)
    monkeypatch.setattr(bench_digests, "MEMBERS", 200)
    engine = create_engine(url)
    with engine.connect() as connection:
        newest = connection.scalar(select(func.max(CaseStudy.published_at)))
    engine.dispose()
    now = datetime.fromisoformat(str(newest)).replace(tzinfo=UTC) + timedelta(hours=1)
    counts = bench_digests.add_digest_members(url, now)
    assert counts["members"] == 200
    assert all(counts["follows_by_kind"][kind.value] for kind in FollowKind)
    with app.app_context():
        from board.digests.services import send_digests

        report = send_digests(now, batch_size=50)
        assert report.checked >= 200 and report.failed == 0
        assert report.sent == db.session.scalar(select(func.count(OutboxMessage.id)))
        assert report.sent > 0
        searches = db.session.scalar(
            select(func.count(Follow.id)).where(Follow.kind == FollowKind.SEARCH)
        )
        assert searches > 0
        assert send_digests(now + timedelta(minutes=5)).sent == 0
        assert (
            db.session.scalar(select(func.count(User.id)).where(User.digest_period.is_not(None)))
            >= 200
        )
