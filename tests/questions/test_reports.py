"""Reporting a question or an answer, and a moderator hiding or restoring it with a reason its
writer is told (in their notifications and by email) and the moderation log keeps."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from board.extensions import db
from board.models import (
    Answer,
    ModerationLog,
    Notification,
    Question,
    Report,
    ReportReason,
    ReportTarget,
    Visibility,
)
from board.models.base import utcnow
from tests.conftest import csrf_token_from
from tests.factories import make_answer, make_question


@pytest.fixture
def thread(app, world):
    """A question from "here" and an answer to it from "there"."""
    with app.app_context():
        question = make_question(world.people.author, "Has any council tried smart bins?")
        answer = make_answer(question, world.people.outsider, "We tried them in **2022**.")
        secret = make_question(
            world.people.author, "A members-only one?", visibility=Visibility.MEMBERS
        )
        db.session.commit()
        return SimpleNamespace(question=question.id, answer=answer.id, secret=secret.id)


def post(client, path: str, data: dict):
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def test_a_member_reports_a_question(app, client, as_role, world, thread):
    as_role("outsider")
    page = client.get(f"/reports/new?target=question:{thread.question}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<h1 class="govuk-heading-l">Report a question</h1>' in html
    assert "Has any council tried smart bins?" in html
    response = post(client, "/reports", {"target": f"question:{thread.question}", "reason": "spam"})
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/questions/{thread.question}/has-any-council-tried-smart-bins"
    )
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.target_type is ReportTarget.QUESTION
        assert report.target_id == thread.question
        moderator_told = db.session.scalar(
            select(Notification).where(Notification.user_id == world.people.moderator.id)
        )
        assert moderator_told.subject == "New report: a question (spam or advertising)"


def test_a_member_reports_an_answer(app, client, as_role, thread):
    as_role("author")
    html = client.get(f"/reports/new?target=answer:{thread.answer}").get_data(as_text=True)
    assert "Report an answer" in html and "<strong>2022</strong>" in html
    response = post(
        client,
        "/reports",
        {"target": f"answer:{thread.answer}", "reason": "other", "details": "Not true"},
    )
    assert response.headers["Location"].endswith(f"#answer-{thread.answer}")
    with app.app_context():
        assert db.session.scalar(select(Report.target_type)) is ReportTarget.ANSWER


def test_an_empty_report_keeps_what_was_typed(client, as_role, thread):
    as_role("outsider")
    response = post(
        client, "/reports", {"target": f"question:{thread.question}", "details": "Kept words"}
    )
    assert response.status_code == 422
    assert "Kept words" in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["question:999999", "answer:999999", "answer:{hidden}"])
def test_what_a_person_may_not_see_cannot_be_reported(app, client, as_role, world, thread, target):
    with app.app_context():
        hidden = make_answer(
            db.session.get(Question, thread.question),
            world.people.colleague,
            hidden_at=utcnow(),
            hidden_reason="Rude",
        )
        db.session.commit()
        target = target.format(hidden=hidden.id)
    as_role("outsider")
    assert client.get(f"/reports/new?target={target}").status_code == 404
    response = post(client, "/reports", {"target": target, "reason": "spam"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Report)) is None


def test_members_only_questions_and_their_answers_are_not_reportable_by_the_unverified(
    app, client, as_role, world, thread
):
    with app.app_context():
        answer = make_answer(db.session.get(Question, thread.secret), world.people.outsider)
        db.session.commit()
        answer_id = answer.id
    as_role("unverified")
    assert client.get(f"/reports/new?target=question:{thread.secret}").status_code == 403
    # Taking part needs a verified account in any case; a verified member of no council who
    # cannot see members-only content does not exist, so the refusal comes first.
    assert client.get(f"/reports/new?target=answer:{answer_id}").status_code == 403


def test_the_reports_page_links_to_reported_questions_and_answers(
    app, client, as_role, world, thread
):
    with app.app_context():
        for kind, target in (
            (ReportTarget.QUESTION, thread.question),
            (ReportTarget.ANSWER, thread.answer),
        ):
            db.session.add(
                Report(
                    reporter_id=world.people.colleague.id,
                    target_type=kind,
                    target_id=target,
                    reason=ReportReason.OFFENSIVE,
                )
            )
        db.session.commit()
    as_role("moderator")
    html = client.get("/moderation/reports").get_data(as_text=True)
    assert f'href="/questions/{thread.question}/has-any-council-tried-smart-bins"' in html
    assert (
        f'href="/questions/{thread.question}/has-any-council-tried-smart-bins#answer-{thread.answer}"'
        in html
    )
    assert f'action="/moderation/questions/{thread.question}/hide"' in html
    # The answer comes from the moderator's own council: another moderator decides.
    assert f'action="/moderation/answers/{thread.answer}/hide"' not in html
    assert "a moderator from another council handles it" in html


def test_hiding_a_question_tells_its_asker_and_resolves_its_reports(
    app, client, as_role, world, thread, outbox
):
    with app.app_context():
        db.session.add(
            Report(
                reporter_id=world.people.outsider.id,
                target_type=ReportTarget.QUESTION,
                target_id=thread.question,
                reason=ReportReason.SPAM,
            )
        )
        db.session.commit()
    as_role("moderator")
    path = f"/moderation/questions/{thread.question}/hide"
    assert client.get(path).status_code == 200
    empty = post(client, path, {"reason": ""})
    assert empty.status_code == 422
    assert "Enter a reason" in empty.get_data(as_text=True)
    response = post(client, path, {"reason": "Advertising a product"})
    assert response.status_code == 302
    with app.app_context():
        question = db.session.get(Question, thread.question)
        assert question.hidden_at is not None
        assert question.hidden_reason == "Advertising a product"
        log = db.session.scalars(select(ModerationLog).order_by(ModerationLog.id)).all()
        assert [(row.action, row.target_type) for row in log] == [
            ("question.hidden", "question"),
            ("report.resolved", "report"),
        ]
        told = db.session.scalar(
            select(Notification).where(Notification.user_id == world.people.author.id)
        )
        assert told.subject == "A moderator hid your question"
        assert told.body == "Advertising a product"
        assert told.link == f"/questions/{thread.question}/has-any-council-tried-smart-bins"
        assert db.session.scalar(select(Report.resolved_at)) is not None
    assert [mail["To"] for mail in outbox] == [world.people.author.email]
    # The asker sees why; the list no longer shows it.
    post(client, "/auth/logout", {})
    as_role("author")
    html = client.get(told.link).get_data(as_text=True)
    assert "Hidden by a moderator: Advertising a product" in html
    assert "Has any council tried smart bins?" not in client.get("/questions").get_data(
        as_text=True
    )
    # Restoring it.
    post(client, "/auth/logout", {})
    as_role("moderator")
    again = post(client, path, {"reason": "Twice"})
    assert again.status_code == 302
    restore = post(
        client, f"/moderation/questions/{thread.question}/restore", {"reason": "Reviewed"}
    )
    assert restore.status_code == 302
    with app.app_context():
        assert db.session.get(Question, thread.question).hidden_at is None
        actions = db.session.scalars(select(ModerationLog.action).order_by(ModerationLog.id)).all()
        assert actions[-1] == "question.restored"
        subjects = db.session.scalars(
            select(Notification.subject).where(Notification.user_id == world.people.author.id)
        ).all()
        assert "A moderator restored your question" in subjects


def test_hiding_an_answer_tells_its_author(app, client, as_role, world, thread):
    as_role("admin")  # admins moderate too, and belong to no council
    path = f"/moderation/answers/{thread.answer}/hide"
    response = post(client, path, {"reason": "Personal data", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/questions/{thread.question}/has-any-council-tried-smart-bins"
    )
    with app.app_context():
        answer = db.session.get(Answer, thread.answer)
        assert answer.hidden_reason == "Personal data"
        told = db.session.scalar(
            select(Notification).where(Notification.user_id == world.people.outsider.id)
        )
        assert told.subject == "A moderator hid your answer"
        assert told.link.endswith(f"#answer-{thread.answer}")
        assert db.session.scalars(select(ModerationLog.action)).all() == ["answer.hidden"]
    assert (
        post(client, f"/moderation/answers/{thread.answer}/restore", {"reason": "OK"}).status_code
        == 302
    )
    with app.app_context():
        assert db.session.get(Answer, thread.answer).hidden_at is None


def test_moderators_do_not_decide_on_their_own_councils_questions(
    app, client, as_role, world, thread
):
    as_role("moderator")  # of "there", which wrote the answer
    assert client.get(f"/moderation/answers/{thread.answer}/hide").status_code == 403
    assert (
        post(client, f"/moderation/answers/{thread.answer}/hide", {"reason": "x"}).status_code
        == 403
    )
    with app.app_context():
        own = make_question(world.people.moderator, "Our own question?")
        db.session.commit()
        own_id = own.id
    assert post(client, f"/moderation/questions/{own_id}/hide", {"reason": "x"}).status_code == 403


@pytest.mark.parametrize("role", ["author", "outsider", "unverified"])
def test_members_cannot_hide(client, as_role, thread, role):
    as_role(role)
    assert client.get(f"/moderation/questions/{thread.question}/hide").status_code == 403
    assert (
        post(client, f"/moderation/questions/{thread.question}/hide", {"reason": "x"}).status_code
        == 403
    )


def test_the_moderation_log_names_and_links_hidden_questions_and_answers(
    app, client, as_role, thread
):
    as_role("admin")
    post(client, f"/moderation/questions/{thread.question}/hide", {"reason": "Spam"})
    post(client, f"/moderation/answers/{thread.answer}/hide", {"reason": "Rude"})
    html = client.get("/moderation/log").text
    assert "Question hidden" in html and "Answer hidden" in html
    assert f'href="/questions/{thread.question}">Has any council tried smart bins?</a>' in html
    assert (
        f'href="/questions/{thread.question}#answer-{thread.answer}">'
        "Answer to Has any council tried smart bins?</a>"
    ) in html


def test_hiding_a_helpful_answer_unanswers_its_question_and_restoring_answers_it_again(app):
    from board.models import Answer, Question, Role
    from board.models.base import utcnow
    from board.questions import services
    from tests.factories import make_answer, make_council, make_question, make_user

    with app.test_request_context():  # notifications link to the question
        here, there = make_council("Askshire Council"), make_council("Answershire Council")
        asker = make_user(here)
        moderator = make_user(make_council("Elsewhere Council"), role=Role.MODERATOR)
        question = make_question(asker, "Has anyone tried smart bins?")
        helpful = make_answer(question, make_user(there), helpful_at=utcnow())
        make_answer(question, make_user(there))
        question.answered_at = utcnow()
        question.answer_count = 2
        db.session.commit()

        services.hide_answer(db.session.get(Answer, helpful.id), moderator, "Personal data")
        db.session.commit()
        question = db.session.get(Question, question.id)
        assert question.answered_at is None
        assert question.answer_count == 1

        services.restore_answer(db.session.get(Answer, helpful.id), moderator, "Edited")
        db.session.commit()
        question = db.session.get(Question, question.id)
        assert question.answered_at is not None
        assert question.answer_count == 2


def test_answers_carry_report_and_moderation_links_for_those_who_may_use_them(
    app, client, as_role, world, thread
):
    with app.app_context():
        question = db.session.get(Question, thread.question)
        colleagues = make_answer(question, world.people.colleague, "We did too.")
        db.session.commit()
        colleagues_id = colleagues.id
    page = f"/questions/{thread.question}/has-any-council-tried-smart-bins"
    report = f"/reports/new?target=answer:{thread.answer}"

    as_role("author")
    html = client.get(page).get_data(as_text=True)
    assert report in html
    assert "/moderation/answers/" not in html
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(html)})

    as_role("outsider")  # who wrote that answer: nothing to report of their own
    html = client.get(page).get_data(as_text=True)
    assert report not in html
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(html)})

    as_role("moderator")  # of the outsider's council: hides the colleague's answer only
    html = client.get(page).get_data(as_text=True)
    assert f"/moderation/answers/{colleagues_id}/hide" in html
    assert f"/moderation/answers/{thread.answer}/hide" not in html
