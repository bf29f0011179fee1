"""'Write this up as a case study': a draft for the answerer's council made from their answer,
linked back to the question, and the asker told when it is published."""

from __future__ import annotations

import pytest

from board.extensions import db
from board.models import (
    Answer,
    CaseStudy,
    Notification,
    OutboxMessage,
    Outcome,
    Role,
    Status,
    Visibility,
)
from board.models.base import utcnow
from board.questions.answer_services import write_up_title
from tests.answers.conftest import make_answer, make_question, post, sign_out
from tests.conftest import csrf_token_from
from tests.factories import make_council, make_user


@pytest.fixture
def answered(app, world):
    """The author's question (Hereshire) answered by the outsider (Thereshire)."""
    with app.app_context():
        question = make_question(
            world.people.author, title="Has any council tried a chatbot for council tax?"
        )
        answer = make_answer(question, world.people.outsider, body="We ran *one* for a year.")
        db.session.commit()
        return question.id, answer.id


def write_ups(app):
    with app.app_context():
        return db.session.scalars(db.select(CaseStudy).order_by(CaseStudy.id)).all()


def test_the_answerer_gets_a_prefilled_draft(app, client, as_role, world, answered):
    question, answer = answered
    as_role("outsider")
    page = client.get(f"/test/questions/{question}").text
    assert "Write this up as a case study" in page
    response = post(client, f"/questions/{question}/answers/{answer}/write-up")
    [study] = write_ups(app)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/studies/{study.id}/edit")
    assert study.status is Status.DRAFT and study.council_id == world.there.id
    assert study.author_id == world.people.outsider.id
    assert study.title == "A chatbot for council tax"
    assert study.what_we_tried == "We ran *one* for a year."
    assert study.outcome is Outcome.ONGOING and study.visibility is Visibility.PUBLIC
    with app.app_context():
        study = db.session.get(CaseStudy, study.id)
        topics = [topic.slug for topic in study.topics]
        assert topics == ["digital-communications", "cyber-security"]
        assert db.session.get(Answer, answer).write_up_id == study.id
    edit = client.get(response.headers["Location"]).text
    assert "A draft case study has been made from your answer." in edit
    assert "A chatbot for council tax" in edit
    page = client.get(f"/test/questions/{question}").text
    assert "Your case study draft from this answer" in page
    assert "Write this up as a case study" not in page


def test_pressing_it_twice_makes_one_draft(app, client, as_role, answered):
    question, answer = answered
    as_role("outsider")
    first = post(client, f"/questions/{question}/answers/{answer}/write-up")
    second = post(client, f"/questions/{question}/answers/{answer}/write-up")
    assert first.headers["Location"] == second.headers["Location"]
    assert len(write_ups(app)) == 1
    assert "already been written up" in client.get(second.headers["Location"]).text


def test_a_deleted_write_up_can_be_made_again(app, client, as_role, answered):
    question, answer = answered
    as_role("outsider")
    post(client, f"/questions/{question}/answers/{answer}/write-up")
    with app.app_context():
        db.session.delete(db.session.scalars(db.select(CaseStudy)).one())
        db.session.commit()
        assert db.session.get(Answer, answer).write_up_id is None
    assert post(client, f"/questions/{question}/answers/{answer}/write-up").status_code == 302
    assert len(write_ups(app)) == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("visitor", 302),
        ("unverified", 403),
        ("author", 403),
        ("colleague", 403),
        ("moderator", 403),
        ("admin", 403),
    ],
)
def test_only_the_answerer_writes_it_up(app, client, as_role, answered, role, status):
    question, answer = answered
    as_role(role)
    response = post(client, f"/questions/{question}/answers/{answer}/write-up")
    assert response.status_code == status
    assert write_ups(app) == []
    assert "Write this up as a case study" not in client.get(f"/test/questions/{question}").text


def test_a_members_only_question_makes_a_members_only_draft(app, client, as_role, world):
    with app.app_context():
        question = make_question(
            world.people.author, title="Did any council run a pilot?", visibility=Visibility.MEMBERS
        )
        answer = make_answer(question, world.people.outsider)
        db.session.commit()
        ids = question.id, answer.id
    as_role("outsider")
    post(client, f"/questions/{ids[0]}/answers/{ids[1]}/write-up")
    [study] = write_ups(app)
    assert study.visibility is Visibility.MEMBERS


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Has any council tried a chatbot for council tax queries?",
            "A chatbot for council tax queries",
        ),
        ("Have other councils used Power BI?", "Power BI"),
        ("Chatbot for council tax queries?", "Chatbot for council tax queries"),
        ("Has any council tried?", "Has any council tried"),
        ("what about AI??", "What about AI"),
    ],
)
def test_the_draft_title(title, expected):
    assert write_up_title(title) == expected


def _publish(app, client, sign_in, study_id):
    """Fill in what review needs, submit, and approve as a moderator of a third council."""
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        study.summary = "A year of a chatbot."
        study.what_we_learned = "Start small."
        study.status = Status.SUBMITTED
        study.submitted_at = utcnow()
        moderator = make_user(make_council("Elsewhere Council"), role=Role.MODERATOR)
        db.session.commit()
    sign_out(client)
    sign_in(moderator)
    page = client.get(f"/moderation/studies/{study_id}").text
    response = client.post(
        f"/moderation/studies/{study_id}/decision",
        data={"decision": "approve", "csrf_token": csrf_token_from(page)},
    )
    assert response.status_code == 302, response.text
    with app.app_context():
        assert db.session.get(CaseStudy, study_id).status is Status.PUBLISHED


def test_the_asker_is_told_when_the_write_up_is_published(
    app, client, as_role, sign_in, world, outbox, answered
):
    question, answer = answered
    as_role("outsider")
    post(client, f"/questions/{question}/answers/{answer}/write-up")
    [study] = write_ups(app)
    with app.app_context():
        assert (
            db.session.scalars(
                db.select(Notification).where(Notification.user_id == world.people.author.id)
            ).all()
            == []
        )
    _publish(app, client, sign_in, study.id)
    subject = (
        "Thereshire Council wrote up its answer to your question as a case study: "
        "A chatbot for council tax"
    )
    with app.app_context():
        [told] = db.session.scalars(
            db.select(Notification).where(Notification.user_id == world.people.author.id)
        ).all()
        assert told.subject == subject
        assert told.link == f"/studies/{study.id}/a-chatbot-for-council-tax"
        assert "Has any council tried a chatbot for council tax?" in told.body
        mail = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.to_address == world.people.author.email)
        ).all()
        assert [message.subject for message in mail] == [subject]
    [email] = [message for message in outbox if message["To"] == world.people.author.email]
    assert f"/studies/{study.id}/a-chatbot-for-council-tax" in email.get_content()


def test_the_study_page_links_back_to_the_question(app, client, as_role, sign_in, answered):
    question, answer = answered
    as_role("outsider")
    post(client, f"/questions/{question}/answers/{answer}/write-up")
    [study] = write_ups(app)
    page = client.get(f"/studies/{study.id}/{study.slug}").text
    assert "Written in answer to:" in page
    assert f'href="/questions/{question}"' in page
    assert "Has any council tried a chatbot for council tax?" in page
    _publish(app, client, sign_in, study.id)
    sign_out(client)
    as_role("visitor")
    page = client.get(f"/studies/{study.id}/{study.slug}").text
    assert "Written in answer to:" in page
    # A hidden question is not linked.
    with app.app_context():
        from board.models import Question

        db.session.get(Question, question).hidden_at = utcnow()
        db.session.commit()
    assert "Written in answer to:" not in client.get(f"/studies/{study.id}/{study.slug}").text


def test_other_studies_say_nothing_of_questions(app, client, world):
    from tests.factories import make_study

    with app.app_context():
        study = make_study(world.here, title="Plain study")
        db.session.commit()
        path = f"/studies/{study.id}/{study.slug}"
    assert "Written in answer to" not in client.get(path).text
