"""The follow-up page, "What happened next?", for the study's council; its "No change yet"
answer; and answering prompts when an update is written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from board.extensions import db
from board.follow_ups import services
from board.models import CaseStudy, Outcome, Status, Visibility
from board.models.base import utcnow
from board.models.case_study import RevisionStatus
from board.models.follow_up import FollowUpPrompt, FollowUpReason
from board.models.study_update import StudyUpdate
from tests.conftest import csrf_token_from
from tests.factories import make_study
from tests.follow_ups.helpers import at, prompts


def _study(app, world, **fields) -> CaseStudy:
    with app.app_context():
        study = make_study(
            world.here,
            world.people.author,
            title="Smart bins with fill sensors",
            outcome=fields.pop("outcome", Outcome.ONGOING),
            ended_on=fields.pop("ended_on", date(2026, 3, 1)),
            published_at=fields.pop("published_at", at("2025-06-04 10:00")),
            **fields,
        )
        db.session.commit()
        db.session.expunge(study)
        return study


def _sent_prompt(app, study_id: int, reason=FollowUpReason.SIX_MONTHS, days_ago: int = 3):
    with app.app_context():
        moment = utcnow() - timedelta(days=days_ago)
        db.session.add(
            FollowUpPrompt(study_id=study_id, reason=reason, due_at=moment, sent_at=moment)
        )
        db.session.commit()


def _no_change(client, study_id: int):
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    return client.post(f"/studies/{study_id}/follow-up/no-change", data={"csrf_token": token})


# Who may open it -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", 302),
        ("unverified", 403),
        ("author", 200),
        ("colleague", 200),
        ("outsider", 403),
        ("moderator", 403),
        ("admin", 403),
    ],
)
def test_only_the_councils_members_open_it(app, client, as_role, world, role, expected):
    study = _study(app, world)
    as_role(role)
    response = client.get(f"/studies/{study.id}/follow-up")
    assert response.status_code == expected
    if role == "visitor":
        assert "/auth/login" in response.headers["Location"]
    answer = _no_change(client, study.id)
    assert answer.status_code == (302 if expected in (200, 302) else expected)
    if role == "visitor":
        # Signed in, they come back to the page (the form's address answers POST only).
        assert answer.headers["Location"] == f"/auth/login?next=/studies/{study.id}/follow-up"
        assert prompts(app) == []


@pytest.mark.parametrize("role", ["visitor", "unverified"])
def test_a_members_only_study_is_not_found_by_those_who_cannot_see_it(
    app, client, as_role, world, role
):
    study = _study(app, world, visibility=Visibility.MEMBERS)
    as_role(role)
    expected = 302 if role == "visitor" else 404
    assert client.get(f"/studies/{study.id}/follow-up").status_code == expected
    assert _no_change(client, study.id).status_code == expected
    assert prompts(app) == []


@pytest.mark.parametrize("role", ["author", "outsider", "moderator"])
@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED])
def test_a_study_not_published_has_no_follow_up(app, client, as_role, world, status, role):
    study = _study(app, world, status=status)
    as_role(role)
    assert client.get(f"/studies/{study.id}/follow-up").status_code == 404
    assert _no_change(client, study.id).status_code == 404
    assert prompts(app) == []


def test_a_study_that_does_not_exist(client, as_role):
    as_role("author")
    assert client.get("/studies/999999/follow-up").status_code == 404


def test_no_change_needs_the_csrf_token(app, client, as_role, world):
    study = _study(app, world)
    _sent_prompt(app, study.id)
    as_role("author")
    client.get("/")
    response = client.post(f"/studies/{study.id}/follow-up/no-change", data={})
    assert response.status_code == 400
    assert prompts(app) == [("six-months", prompts(app)[0][1], True, "")]


# What it shows ---------------------------------------------------------------------------------


def test_the_page_shows_the_study_and_both_paths(app, client, as_role, world):
    study = _study(app, world)
    _sent_prompt(app, study.id, FollowUpReason.END_PASSED)
    as_role("colleague")
    html = client.get(f"/studies/{study.id}/follow-up").get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">What happened next?</h1>' in html
    assert "Smart bins with fill sensors" in html
    assert "Ongoing" in html
    assert "4 June 2025" in html
    assert "March 2026" in html
    assert "Its planned end in March 2026 has passed while it is marked ongoing." in html
    assert f'href="/studies/{study.id}/updates/new"' in html
    assert "Write an update" in html
    assert f'action="/studies/{study.id}/follow-up/no-change"' in html
    assert "No change yet" in html


def test_the_page_says_when_an_update_is_waiting_for_review(app, client, as_role, world):
    study = _study(app, world)
    as_role("author")
    waiting = "An update from your council is waiting for a moderator"
    assert waiting not in client.get(f"/studies/{study.id}/follow-up").get_data(as_text=True)
    with app.app_context():
        db.session.add(
            StudyUpdate(
                study_id=study.id,
                author_id=world.people.author.id,
                happened_on=date(2026, 5, 1),
                body="We switched it off.",
                status=RevisionStatus.SUBMITTED,
            )
        )
        db.session.commit()
    assert waiting in client.get(f"/studies/{study.id}/follow-up").get_data(as_text=True)


def test_with_no_question_waiting_the_page_says_when_we_will_ask(app, client, as_role, world):
    """Members may open the page before they are asked: it offers the update, says when the
    council will be asked, and "No change yet" has nothing to answer."""
    study = _study(app, world, ended_on=None, outcome=Outcome.WORKED)
    as_role("author")
    html = client.get(f"/studies/{study.id}/follow-up").get_data(as_text=True)
    assert "Worked" in html and "Not given" in html and "Write an update" in html
    assert f'action="/studies/{study.id}/follow-up/no-change"' not in html
    assert "We will ask again on" not in html  # six months after publication has passed
    response = _no_change(client, study.id)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "No question about this case study was waiting for an answer." in page
    assert prompts(app) == []


def test_a_new_study_is_asked_six_months_after_publication(app, client, as_role, world):
    published = utcnow() - timedelta(days=30)
    study = _study(app, world, published_at=published, ended_on=None)
    as_role("colleague")
    html = client.get(f"/studies/{study.id}/follow-up").get_data(as_text=True)
    due = services.six_months_due(published)
    assert f"We will ask again on {due.day} {due:%B %Y}." in html


def test_an_ongoing_study_is_asked_when_its_planned_end_passes(app, world):
    with app.app_context():
        study = make_study(
            world.here,
            world.people.author,
            published_at=at("2026-01-10 10:00"),
            outcome=Outcome.ONGOING,
            ended_on=date(2026, 4, 1),
        )
        assert services.next_question_at(study, at("2026-02-01 09:00")) == at("2026-05-01 00:00")
        assert services.next_question_at(study, at("2026-06-01 09:00")) == at("2026-07-10 00:00")
        assert services.next_question_at(study, at("2026-08-01 09:00")) is None
        study.outcome = Outcome.WORKED
        assert services.next_question_at(study, at("2026-02-01 09:00")) == at("2026-07-10 00:00")


# No change yet ---------------------------------------------------------------------------------


def test_no_change_yet_snoozes_for_six_months_once(app, client, as_role, world):
    study = _study(app, world)
    _sent_prompt(app, study.id, FollowUpReason.SIX_MONTHS, days_ago=40)
    _sent_prompt(app, study.id, FollowUpReason.END_PASSED)
    author = as_role("author")
    response = _no_change(client, study.id)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/studies/{study.id}/smart-bins-with-fill-sensors"
    due = services.snoozed_due(utcnow())
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"We will ask your council again on {due.day} {due:%B %Y}." in page
    with app.app_context():
        rows = db.session.scalars(db.select(FollowUpPrompt).order_by(FollowUpPrompt.id)).all()
        assert [(row.reason, row.answer, row.answered_by_id) for row in rows] == [
            (FollowUpReason.SIX_MONTHS, "no-change", author.id),
            (FollowUpReason.END_PASSED, "no-change", author.id),
            (FollowUpReason.SNOOZED, "", None),
        ]
        assert rows[2].due_at == due and rows[2].sent_at is None

    # Pressed again (or by a colleague): nothing was waiting; still one snoozed prompt.
    again = _no_change(client, study.id)
    assert again.status_code == 302
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "No question about this case study was waiting for an answer." in page
    assert f"We will ask your council again on {due.day} {due:%B %Y}." in page
    assert [reason for reason, *_ in prompts(app)].count("snoozed") == 1
    # The page says so, and offers no button while nothing is waiting for an answer.
    html = client.get(f"/studies/{study.id}/follow-up").get_data(as_text=True)
    assert f"We will ask again on {due.day} {due:%B %Y}." in html
    assert f'action="/studies/{study.id}/follow-up/no-change"' not in html


def test_snoozing_twice_at_the_same_moment_keeps_one(app, world):
    """Two presses whose checks both found nothing waiting: the unique constraint keeps one."""
    study = _study(app, world)
    with app.app_context():
        due = services.snoozed_due(utcnow())
        assert services._add_once(study.id, FollowUpReason.SNOOZED, due)
        db.session.commit()
        assert not services._add_once(study.id, FollowUpReason.SNOOZED, due)
        db.session.commit()
    assert len(prompts(app)) == 1


# answer_open_prompts ---------------------------------------------------------------------------


def test_an_update_answers_the_open_prompts(app, world):
    study = _study(app, world)
    other = _study(app, world)
    _sent_prompt(app, study.id, FollowUpReason.SIX_MONTHS, days_ago=40)
    _sent_prompt(app, study.id, FollowUpReason.END_PASSED)
    _sent_prompt(app, other.id)
    with app.app_context():
        # Not yet sent (a snooze waiting): not answered by this update.
        db.session.add(
            FollowUpPrompt(
                study_id=study.id,
                reason=FollowUpReason.SNOOZED,
                due_at=utcnow() + timedelta(days=100),
            )
        )
        db.session.commit()
        author = db.session.merge(world.people.author)
        answered = services.answer_open_prompts(db.session.merge(study), author, "updated")
        db.session.commit()
        assert answered == 2
        # Answered ones stay answered as they were.
        assert services.answer_open_prompts(db.session.merge(study), author, "no-change") == 0
        with pytest.raises(ValueError, match="not an answer"):
            services.answer_open_prompts(db.session.merge(study), author, "maybe")
    assert [answer for *_, answer in prompts(app, study.id)] == ["updated", "updated", ""]
    assert [answer for *_, answer in prompts(app, other.id)] == [""]
    with app.app_context():
        answered_by = set(
            db.session.scalars(
                db.select(FollowUpPrompt.answered_by_id).where(
                    FollowUpPrompt.study_id == study.id, FollowUpPrompt.answered_at.is_not(None)
                )
            )
        )
    assert answered_by == {world.people.author.id}


def test_answering_a_later_prompt_keeps_the_snooze_already_waiting(app, world):
    study = _study(app, world)
    with app.app_context():
        waiting_due = utcnow() + timedelta(days=60)
        db.session.add(
            FollowUpPrompt(study_id=study.id, reason=FollowUpReason.SNOOZED, due_at=waiting_due)
        )
        db.session.commit()
    _sent_prompt(app, study.id, FollowUpReason.END_PASSED)
    with app.app_context():
        colleague = db.session.merge(world.people.colleague)
        assert services.snooze(db.session.merge(study), colleague) == waiting_due
        db.session.commit()
    assert [(reason, answer) for reason, _, _, answer in prompts(app)] == [
        ("snoozed", ""),
        ("end-passed", "no-change"),
    ]
