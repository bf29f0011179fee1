"""Updates in the open data: the API's study and list, and the Atom feed's entries. Only
published public studies, as everywhere in the open data."""

from __future__ import annotations

from datetime import date, timedelta

import feedparser

from board.extensions import db
from board.models import CaseStudy, Outcome, RevisionStatus, Visibility
from board.models.base import utcnow
from tests.updates.helpers import make_update, published_study


def with_updates(app, world, **study_fields) -> int:
    study_id = published_study(app, world, title="Kiosk pilot", **study_fields)
    now = utcnow()
    with app.app_context():
        make_update(
            study_id,
            world.people.author,
            status=RevisionStatus.APPROVED,
            happened_on=date(2026, 1, 1),
            body="Usage *fell* <script>alert(1)</script>",
            published_at=now - timedelta(days=10),
        )
        make_update(
            study_id,
            world.people.author,
            status=RevisionStatus.APPROVED,
            happened_on=date(2026, 3, 1),
            body="We switched it off.",
            new_outcome=Outcome.DID_NOT_WORK,
            previous_outcome=Outcome.ONGOING,
            published_at=now - timedelta(days=2),
        )
        make_update(study_id, world.people.author, body="Waiting: never in open data")
        study = db.session.get(CaseStudy, study_id)
        study.outcome = Outcome.DID_NOT_WORK
        study.last_update_at = now - timedelta(days=2)
        db.session.commit()
    return study_id


def test_the_api_study_carries_its_approved_updates(app, client, world):
    study_id = with_updates(app, world)
    body = client.get(f"/api/v1/studies/{study_id}").get_json()
    assert body["last_update_at"].endswith("+00:00")
    assert [update["month"] for update in body["updates"]] == ["2026-01", "2026-03"]
    first, second = body["updates"]
    assert first["markdown"] == "Usage *fell* <script>alert(1)</script>"
    assert "<em>fell</em>" in first["html"] and "<script>" not in first["html"]
    assert first["outcome_change"] is None
    assert second["outcome_change"] == {"from": "ongoing", "to": "did-not-work"}
    assert second["published_at"].endswith("+00:00")
    assert "never in open data" not in str(body)


def test_the_api_list_carries_last_update_at(app, client, world):
    study_id = with_updates(app, world)
    plain = published_study(app, world)
    studies = {study["id"]: study for study in client.get("/api/v1/studies").get_json()["studies"]}
    assert studies[study_id]["last_update_at"].endswith("+00:00")
    assert studies[plain]["last_update_at"] is None


def test_the_openapi_document_describes_updates(client):
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    study = schemas["Study"]["properties"]
    assert "updates" in study and "last_update_at" in study
    assert "last_update_at" in schemas["StudySummary"]["properties"]
    update = schemas["Update"]["properties"]
    assert {"month", "markdown", "html", "outcome_change", "published_at"} <= set(update)


def test_members_only_updates_stay_out_of_the_open_data(app, client, as_role, world):
    study_id = with_updates(app, world, visibility=Visibility.MEMBERS)
    as_role("outsider")
    assert client.get(f"/api/v1/studies/{study_id}").status_code == 404
    assert "Kiosk pilot" not in client.get("/feeds/latest.atom").text


def test_a_feed_entry_is_updated_by_its_latest_update_and_lists_them(app, client, world):
    study_id = with_updates(app, world)
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        # Published long ago, and not edited since: only the update is recent.
        study.published_at = utcnow() - timedelta(days=300)
        db.session.commit()
        db.session.execute(
            db.update(CaseStudy)
            .where(CaseStudy.id == study_id)
            .values(updated_at=utcnow() - timedelta(days=300))
        )
        db.session.commit()
        last_update_at = db.session.get(CaseStudy, study_id).last_update_at
    raw = client.get("/feeds/latest.atom").text
    # The content is HTML escaped once: a script tag in it would read "&lt;script".
    assert "&lt;script" not in raw and "&amp;lt;script&amp;gt;" in raw
    parsed = feedparser.parse(raw)
    (entry,) = [entry for entry in parsed.entries if entry.title == "Kiosk pilot"]
    assert entry.updated == last_update_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    content = entry.content[0].value
    assert "What happened next" in content
    assert content.index("January 2026") < content.index("March 2026")
    assert "Outcome changed from Ongoing to Did not work" in content
    assert "<em>fell</em>" in content and "<script>" not in content
    assert "never in open data" not in content
