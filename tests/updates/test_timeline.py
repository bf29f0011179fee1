"""The study page's "What happened next": approved updates, oldest first, and the outcome
history; read in one query however many there are."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import event

from board.extensions import db
from board.models import CaseStudy, Outcome, RevisionStatus, Visibility
from tests.updates.helpers import make_update, published_study


def add_updates(app, world, study_id, specs):
    with app.app_context():
        for spec in specs:
            make_update(study_id, world.people.author, **spec)
        db.session.commit()


def page_of(client, study_id) -> str:
    response = client.get(f"/studies/{study_id}", follow_redirects=True)
    assert response.status_code == 200
    return response.text


def statements(app, client, study_id) -> int:
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        page_of(client, study_id)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(seen)


def test_approved_updates_only_oldest_first_with_the_outcome_history(app, client, world):
    study_id = published_study(app, world, outcome=Outcome.DID_NOT_WORK)
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        study.published_at = study.published_at.replace(year=2025, month=6, day=1)
        db.session.commit()
    add_updates(
        app,
        world,
        study_id,
        [
            {
                "status": RevisionStatus.APPROVED,
                "happened_on": date(2026, 3, 1),
                "body": "Pilot switched **off**.",
                "new_outcome": Outcome.DID_NOT_WORK,
                "previous_outcome": Outcome.ONGOING,
            },
            {
                "status": RevisionStatus.APPROVED,
                "happened_on": date(2025, 11, 1),
                "body": "Usage was falling.",
            },
            {"status": RevisionStatus.SUBMITTED, "body": "Waiting, not shown"},
            {"status": RevisionStatus.REJECTED, "body": "Rejected, not shown"},
            {"status": RevisionStatus.WITHDRAWN, "body": "Withdrawn, not shown"},
        ],
    )
    page = page_of(client, study_id)
    assert "What happened next" in page
    assert "not shown" not in page
    assert page.index("Usage was falling.") < page.index("Pilot switched <strong>off</strong>.")
    assert '<time datetime="2025-11">November 2025</time>' in page
    assert "Outcome changed from Ongoing to Did not work" in page
    history = page[page.index('id="outcome-history"') :]
    history = history[: history.index("</ol>")]
    assert "<strong>Ongoing</strong> when it was published" in history
    assert '<time datetime="2025-06">June 2025</time>' in history
    assert (
        '<strong>Did not work</strong> from <time datetime="2026-03">March 2026</time>' in history
    )


def test_a_study_without_approved_updates_shows_no_timeline(app, client, world):
    study_id = published_study(app, world)
    add_updates(app, world, study_id, [{"status": RevisionStatus.SUBMITTED}])
    page = page_of(client, study_id)
    assert "What happened next" not in page and "Outcome history" not in page


def test_the_body_is_sanitised_on_the_page(app, client, world):
    study_id = published_study(app, world)
    add_updates(
        app,
        world,
        study_id,
        [
            {
                "status": RevisionStatus.APPROVED,
                "body": '<script>alert(1)</script><a href="javascript:alert(1)">x</a>',
            }
        ],
    )
    page = page_of(client, study_id)
    timeline = page[page.index('id="updates"') :]
    assert "<script>alert(1)</script>" not in timeline
    assert 'href="javascript' not in timeline


def test_the_timeline_query_count_does_not_grow(app, client, world):
    study_id = published_study(app, world)
    add_updates(app, world, study_id, [{"status": RevisionStatus.APPROVED}])
    statements(app, client, study_id)  # warm up: the first request loads what is cached
    few = statements(app, client, study_id)
    add_updates(
        app,
        world,
        study_id,
        [
            {
                "status": RevisionStatus.APPROVED,
                "new_outcome": outcome,
                "previous_outcome": Outcome.ONGOING,
            }
            for outcome in [Outcome.WORKED, Outcome.DID_NOT_WORK] * 15
        ],
    )
    assert statements(app, client, study_id) == few


def test_members_only_updates_stay_with_members(app, client, as_role, world):
    study_id = published_study(app, world, visibility=Visibility.MEMBERS)
    add_updates(app, world, study_id, [{"status": RevisionStatus.APPROVED, "body": "Secret"}])
    assert client.get(f"/studies/{study_id}", follow_redirects=True).status_code == 404
    as_role("outsider")
    assert "Secret" in page_of(client, study_id)


def test_the_outcome_history_follows_the_order_outcomes_changed_in(app, client, world):
    """An update about an earlier month approved after a later one: the history still starts
    with the outcome at publication and ends with the outcome now."""
    study_id = published_study(app, world, outcome=Outcome.WORKED)
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        study.published_at = study.published_at.replace(year=2025, month=6, day=1)
        db.session.commit()
        first = make_update(
            study_id,
            world.people.author,
            status=RevisionStatus.APPROVED,
            happened_on=date(2026, 3, 1),
            new_outcome=Outcome.DID_NOT_WORK,
            previous_outcome=Outcome.ONGOING,
        )
        make_update(
            study_id,
            world.people.author,
            status=RevisionStatus.APPROVED,
            happened_on=date(2025, 9, 1),
            new_outcome=Outcome.WORKED,
            previous_outcome=Outcome.DID_NOT_WORK,
            published_at=first.published_at + timedelta(days=1),
        )
        db.session.commit()
    history = page_of(client, study_id)
    history = history[history.index('id="outcome-history"') :]
    history = history[: history.index("</ol>")]
    steps = re.findall(r"<strong>([^<]+)</strong>", history)
    assert steps == ["Ongoing", "Did not work", "Worked"]
