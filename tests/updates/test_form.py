"""The update form: what it refuses, and that nothing typed is lost."""

from __future__ import annotations

from datetime import date

import pytest

from board.extensions import db
from board.models import RevisionStatus, StudyUpdate
from board.updates.forms import BODY_LIMIT
from tests.updates.helpers import make_update, new_update, post_form, published_study


def stored(app) -> list[StudyUpdate]:
    with app.app_context():
        return db.session.scalars(db.select(StudyUpdate)).all()


def next_month() -> tuple[str, str]:
    today = date.today()
    month = today.month % 12 + 1
    year = today.year + (1 if month == 1 else 0)
    return str(month), str(year)


@pytest.mark.parametrize(
    ("fields", "message", "field_id"),
    [
        ({"body": ""}, "Enter what happened next", "body"),
        ({"body": "x" * (BODY_LIMIT + 1)}, "5,000 characters or fewer", "body"),
        ({"happened_month": ""}, "Enter the month the update is about", "happened_month"),
        ({"happened_month": "13"}, "Enter the month as a number from 1 to 12", "happened_month"),
        ({"happened_year": ""}, "Enter the year the update is about", "happened_year"),
        ({"happened_year": "\uff11\uff12\uff13"}, "Enter a year from 2000", "happened_year"),
        ({"happened_year": "1999"}, "Enter a year from 2000", "happened_year"),
        ({"new_outcome": "ongoing"}, "Not a valid choice", "new_outcome"),  # the current one
        ({"new_outcome": "nonsense"}, "Not a valid choice", "new_outcome"),
    ],
)
def test_bad_input_is_explained_and_kept(app, client, as_role, world, fields, message, field_id):
    study_id = published_study(app, world)
    as_role("colleague")
    data = {"body": "Kept words", "new_outcome": "worked", **fields}
    response = new_update(client, study_id, **data)
    assert response.status_code == 422
    page = response.text
    assert "There is a problem" in page and message in page
    assert f'href="#{field_id}' in page  # the summary links to the field
    assert "<title>Error:" in page
    if fields.get("body") is None:
        assert "Kept words" in page
    if "happened_year" not in fields:
        assert 'value="2026"' in page
    assert stored(app) == []


def test_a_month_in_the_future_is_refused(app, client, as_role, world):
    study_id = published_study(app, world)
    as_role("colleague")
    month, year = next_month()
    response = new_update(client, study_id, happened_month=month, happened_year=year)
    assert response.status_code == 422
    assert "this month or before" in response.text or "Enter a year from" in response.text
    assert stored(app) == []


def test_month_names_are_understood(app, client, as_role, world):
    study_id = published_study(app, world)
    as_role("colleague")
    assert new_update(client, study_id, happened_month="Feb").status_code == 302
    assert stored(app)[0].happened_on == date(2026, 2, 1)


def test_a_bad_token_keeps_the_text(app, client, as_role, world):
    study_id = published_study(app, world)
    as_role("colleague")
    response = client.post(
        f"/studies/{study_id}/updates/new",
        data={
            "csrf_token": "stale",
            "happened_month": "3",
            "happened_year": "2026",
            "body": "A long story I must not lose",
        },
    )
    assert response.status_code == 400
    assert "A long story I must not lose" in response.text
    assert stored(app) == []


def test_markdown_is_sanitised(app, client, as_role, world):
    study_id = published_study(app, world)
    as_role("colleague")
    body = (
        '<script>alert("x")</script> **Stopped** '
        "<img src=x onerror=alert(1)> [link](javascript:alert(1)) [ok](https://example.org)"
    )
    assert new_update(client, study_id, body=body).status_code == 302
    (update,) = stored(app)
    html = update.body_html
    # Raw HTML is shown as text, never as elements; a javascript: link is no link.
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html
    assert "<strong>Stopped</strong>" in html
    assert 'rel="nofollow noopener"' in html


def test_posting_updates_is_rate_limited(app, client, as_role, world):
    app.config["POSTING_RATE_LIMIT"] = "2 per hour"
    study_id = published_study(app, world)
    as_role("colleague")
    statuses = [new_update(client, study_id, body="").status_code for _ in range(3)]
    assert statuses == [422, 422, 429]


def test_a_colleague_submitting_at_the_same_moment_keeps_the_text(
    app, client, as_role, world, monkeypatch
):
    """Two colleagues press Submit together: both pass the "one open update" check before
    either is saved. The database keeps one; the other is shown the colleague's update, with
    their own text still in the form."""
    from board.updates import services

    study_id = published_study(app, world)
    as_role("author")
    with app.app_context():
        # The colleague's update lands between this person's check and their save.
        make_update(study_id, world.people.colleague, body="The colleague's update.")
        db.session.commit()
    real_check, checks = services.open_update_of, []

    def not_yet_seen(study_id):
        # The form's check and the service's both ran before the colleague's update was saved.
        checks.append(study_id)
        return None if len(checks) <= 2 else real_check(study_id)

    monkeypatch.setattr(services, "open_update_of", not_yet_seen)
    response = new_update(client, study_id, body="My own words about what happened.")

    assert response.status_code == 409
    assert "My own words about what happened." in response.text
    with app.app_context():
        bodies = db.session.scalars(
            db.select(StudyUpdate.body).where(StudyUpdate.study_id == study_id)
        ).all()
    assert bodies == ["The colleague's update."]


def test_a_colleague_resubmitting_first_keeps_the_text_of_the_second(app, client, as_role, world):
    """Two colleagues correct the same sent-back update: the second to press Submit is shown
    the update as it now stands, with their own text kept, rather than losing it."""
    study_id = published_study(app, world)
    with app.app_context():
        update = make_update(
            study_id, world.people.colleague, status=RevisionStatus.CHANGES_REQUESTED
        )
        db.session.commit()
        update_id = update.id
    as_role("author")
    assert client.get(f"/studies/{study_id}/updates/{update_id}/edit").status_code == 200
    with app.app_context():
        # The colleague's corrected version goes in first.
        db.session.get(StudyUpdate, update_id).status = RevisionStatus.SUBMITTED
        db.session.commit()
    response = post_form(
        client,
        f"/studies/{study_id}/updates/{update_id}/edit",
        happened_month="3",
        happened_year="2026",
        body="My careful correction.",
        new_outcome="no-change",
    )
    assert response.status_code == 409
    assert "My careful correction." in response.text
    assert "waiting for a moderator" in response.text
