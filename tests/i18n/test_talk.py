"""The discussion and "Ask the network" in Welsh: a comment keeps the language it was written
in, problems are told in Welsh with what was typed kept, and whoever is told of a comment is
told in their own language."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, ngettext

from board.extensions import db
from board.i18n import COOKIE
from board.models import Comment, Notification, User
from tests.conftest import csrf_token_from
from tests.factories import make_study


def in_welsh(client) -> None:
    client.set_cookie(COOKIE, "cy")


def post(client, path, page="/", **data):
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


@pytest.fixture
def study(app, world):
    with app.app_context():
        study = make_study(world.here, world.people.author, title="Chatbot that failed")
        db.session.commit()
        return study.id


def stored_comments(app) -> list[Comment]:
    with app.app_context():
        return db.session.scalars(db.select(Comment).order_by(Comment.id)).all()


def test_a_comment_written_in_the_welsh_interface_is_stored_and_marked_as_welsh(
    app, client, as_role, study
):
    as_role("outsider")
    in_welsh(client)
    response = post(client, f"/studies/{study}/comments", body="Faint gostiodd hyn?")
    assert response.status_code == 302
    [comment] = stored_comments(app)
    assert comment.language == "cy"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mae eich sylw wedi&#39;i bostio." in page
    assert 'app-comment__body" lang="cy"><p>Faint gostiodd hyn?</p>' in page
    assert "Trafodaeth (1 sylw)" in page


def test_a_comment_written_in_the_english_interface_is_marked_as_english(
    app, client, as_role, study
):
    as_role("outsider")
    response = post(client, f"/studies/{study}/comments", body="What did it cost?")
    [comment] = stored_comments(app)
    assert comment.language == "en"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your comment has been posted." in page
    assert 'app-comment__body" lang="en"><p>What did it cost?</p>' in page


def test_a_welsh_reply_posted_in_place_is_announced_in_welsh(app, client, as_role, study, world):
    with app.app_context():
        top = Comment(case_study_id=study, author_id=world.people.author.id, body="Hello")
        db.session.add(top)
        db.session.commit()
        top_id = top.id
    as_role("outsider")
    in_welsh(client)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post(
        f"/studies/{study}/comments",
        data={"csrf_token": token, "reply_to": top_id, f"reply-{top_id}-body": "Diolch!"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Ymateb wedi" in response.headers["HX-Trigger-After-Settle"]
    assert stored_comments(app)[-1].language == "cy"


def test_a_problem_is_told_in_welsh_and_keeps_what_was_typed(app, client, as_role, study):
    as_role("outsider")
    in_welsh(client)
    typed = "Sylw hir iawn " + "a" * 5000
    response = post(client, f"/studies/{study}/comments", body=typed)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Mae problem wedi codi" in html
    assert "Rhaid i sylwadau fod yn 5,000 nod neu lai" in html
    assert typed in html
    assert stored_comments(app) == []


def test_a_question_in_welsh_must_end_with_a_question_mark_too(app, client, as_role, world):
    as_role("author")
    in_welsh(client)
    with app.app_context():
        topic_id = db.session.execute(db.text("SELECT id FROM topics LIMIT 1")).scalar()
    fields = {"details": "", "topics": str(topic_id), "visibility": "public"}
    refused = post(
        client,
        "/questions/new",
        page="/questions/new",
        title="A oes cyngor wedi defnyddio sgwrsfot",
        **fields,
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Rhaid i&#39;ch cwestiwn orffen gyda marc cwestiwn" in html
    assert "A oes cyngor wedi defnyddio sgwrsfot" in html
    assert "Un llinell, yn gorffen gyda marc cwestiwn." in html
    posted = post(
        client,
        "/questions/new",
        page="/questions/new",
        title="A oes cyngor wedi defnyddio sgwrsfot?",
        **fields,
    )
    assert posted.status_code == 302
    page = client.get(posted.headers["Location"]).get_data(as_text=True)
    assert "Mae eich cwestiwn wedi&#39;i bostio." in page
    assert "Gofynnwyd ar" in page


def test_a_welsh_speaking_author_is_told_of_a_comment_in_welsh(
    app, client, as_role, world, study, outbox
):
    with app.app_context():
        author = db.session.get(User, world.people.author.id)
        author.language = "cy"
        author.email_on_comments = True
        db.session.commit()
    as_role("outsider")  # writing in the English interface
    post(client, f"/studies/{study}/comments", body="What did it cost?")
    welsh = "Mae Otto Outsider wedi gwneud sylw ar “Chatbot that failed”"
    with app.app_context():
        subjects = db.session.scalars(
            db.select(Notification.subject).where(Notification.user_id == world.people.author.id)
        ).all()
    assert subjects == [welsh]
    [message] = outbox
    assert message["Subject"] == welsh


def test_an_english_speaking_author_is_told_in_english_whatever_the_commenter_reads(
    app, client, as_role, world, study
):
    as_role("outsider")
    in_welsh(client)
    post(client, f"/studies/{study}/comments", body="Faint gostiodd hyn?")
    with app.app_context():
        subjects = db.session.scalars(
            db.select(Notification.subject).where(Notification.user_id == world.people.author.id)
        ).all()
    assert subjects == ["Otto Outsider commented on “Chatbot that failed”"]


WELSH_HEADINGS = {
    0: "Trafodaeth",
    1: "Trafodaeth (1 sylw)",
    2: "Trafodaeth (2 sylw)",
    3: "Trafodaeth (3 sylw)",
    6: "Trafodaeth (6 sylw)",
    20: "Trafodaeth (20 sylw)",
}


@pytest.mark.parametrize("count", sorted(WELSH_HEADINGS))
def test_the_comment_count_reads_right_in_welsh(app, client, world, study, count):
    with app.app_context():
        for number in range(count):
            db.session.add(
                Comment(case_study_id=study, author_id=world.people.outsider.id, body=f"#{number}")
            )
        db.session.commit()
    in_welsh(client)
    page = client.get(f"/studies/{study}", follow_redirects=True).get_data(as_text=True)
    heading = page.split('id="discussion-heading"', 1)[1].split("</h2>", 1)[0]
    assert heading.split(">", 1)[1] == WELSH_HEADINGS[count]
    if count == 0:
        assert "Dim sylwadau eto." in page


USEFUL = {
    0: "Does dim aelodau wedi cael hyn yn ddefnyddiol.",
    1: "Mae 1 aelod wedi cael hyn yn ddefnyddiol.",
    2: "Mae 2 aelod wedi cael hyn yn ddefnyddiol.",
    3: "Mae 3 aelod wedi cael hyn yn ddefnyddiol.",
    6: "Mae 6 aelod wedi cael hyn yn ddefnyddiol.",
    20: "Mae 20 aelod wedi cael hyn yn ddefnyddiol.",
}


@pytest.mark.parametrize("count", sorted(USEFUL))
def test_counts_of_useful_marks_and_answers_read_right_in_welsh(app, count):
    from board.comments.routes import useful_words

    with app.test_request_context(), force_locale("cy"):
        assert useful_words(count, marked=False) == USEFUL[count]
        answers = ngettext("%(num)d answer", "%(num)d answers", count)
        assert answers == ("Dim atebion" if count == 0 else f"{count} ateb")
