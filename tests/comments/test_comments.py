"""Comments and replies: who may post, edit and delete, and what others see."""

from datetime import timedelta

import pytest

from board.extensions import db
from board.models import Comment, ModerationLog, Notification, Status, Visibility
from board.models.base import utcnow
from tests.conftest import csrf_token_from
from tests.factories import ROLES, make_study


def token(client, path="/") -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


def post(client, path, **data):
    return client.post(path, data={"csrf_token": token(client), **data})


@pytest.fixture
def study(app, world):
    with app.app_context():
        study = make_study(world.here, world.people.author, title="Chatbot that failed")
        db.session.commit()
        return study.id


def comments(app) -> list[Comment]:
    with app.app_context():
        return db.session.scalars(db.select(Comment).order_by(Comment.id)).all()


def add_comment(app, study_id, author, body="An earlier comment", **fields) -> int:
    with app.app_context():
        comment = Comment(case_study_id=study_id, author_id=author.id, body=body, **fields)
        db.session.add(comment)
        db.session.commit()
        return comment.id


# Who may comment on a published public study, and the answer to everyone else.
COMMENT_ANSWERS = {
    "visitor": 401,  # the form comes back with their text and a way to sign in
    "unverified": 403,
    "author": 302,
    "colleague": 302,
    "outsider": 302,
    "moderator": 302,
    "admin": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_comment(app, client, as_role, study, role):
    as_role(role)
    response = post(client, f"/studies/{study}/comments", body="We tried this in **2021**.")
    assert response.status_code == COMMENT_ANSWERS[role]
    stored = comments(app)
    if COMMENT_ANSWERS[role] == 302:
        assert response.headers["Location"].endswith(f"#comment-{stored[0].id}")
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "We tried this in <strong>2021</strong>." in page
    else:
        assert stored == []
    if role == "visitor":
        assert "We tried this in **2021**." in response.get_data(as_text=True)


def test_no_comments_on_unpublished_or_invisible_studies(app, client, as_role, world):
    with app.app_context():
        draft = make_study(world.here, world.people.author, status=Status.DRAFT).id
        members = make_study(world.here, visibility=Visibility.MEMBERS).id
        db.session.commit()
    as_role("author")
    assert post(client, f"/studies/{draft}/comments", body="Too soon").status_code == 403
    client.post("/auth/logout", data={"csrf_token": token(client)})
    # A members-only study does not exist for someone signed out: its discussion neither.
    assert post(client, f"/studies/{members}/comments", body="Hello").status_code == 404
    assert comments(app) == []


def test_members_only_discussion_is_members_only(app, client, as_role, world):
    with app.app_context():
        members = make_study(world.here, visibility=Visibility.MEMBERS)
        db.session.commit()
        members_id, slug = members.id, members.slug
    add_comment(app, members_id, world.people.outsider, body="Private lesson learned")
    assert client.get(f"/studies/{members_id}/{slug}").status_code == 404
    as_role("outsider")
    assert "Private lesson learned" in client.get(f"/studies/{members_id}/{slug}").text


def test_an_empty_or_long_comment_keeps_what_was_typed(app, client, as_role, study):
    as_role("author")
    response = post(client, f"/studies/{study}/comments", body="   ")
    assert response.status_code == 422
    assert "Enter your comment" in response.text
    long = "x" * 5001
    response = post(client, f"/studies/{study}/comments", body=long)
    assert response.status_code == 422 and long in response.text
    assert "5,000 characters or fewer" in response.text


def test_htmx_gets_the_new_comment_and_a_fresh_form(app, client, as_role, study):
    as_role("colleague")
    response = client.post(
        f"/studies/{study}/comments",
        data={"body": "Posted with htmx"},
        headers={"HX-Request": "true", "X-CSRFToken": token(client)},
    )
    assert response.status_code == 200
    html = response.text
    assert 'hx-swap-oob="beforeend:#comments-list"' in html
    assert "Posted with htmx" in html and 'id="comment-form"' in html
    assert "<html" not in html
    bad = client.post(
        f"/studies/{study}/comments",
        data={"body": ""},
        headers={"HX-Request": "true", "X-CSRFToken": token(client)},
    )
    assert bad.status_code == 422 and "Enter your comment" in bad.text and "<html" not in bad.text


def test_replies_are_one_level_deep(app, client, as_role, world, study):
    top = add_comment(app, study, world.people.outsider)
    as_role("author")
    page = client.get(f"/comments/{top}/reply")
    assert page.status_code == 200 and 'name="reply_to"' in page.text
    response = post(
        client, f"/studies/{study}/comments", reply_to=top, **{f"reply-{top}-body": "Thanks!"}
    )
    assert response.status_code == 302
    reply = comments(app)[-1]
    assert reply.parent_id == top
    # No reply to a reply.
    assert client.get(f"/comments/{reply.id}/reply").status_code == 403
    response = post(
        client,
        f"/studies/{study}/comments",
        reply_to=reply.id,
        **{f"reply-{reply.id}-body": "Deeper"},
    )
    assert response.status_code == 422
    assert len(comments(app)) == 2
    # The outsider is told of the reply; the author of the study is the one replying.
    with app.app_context():
        told = db.session.scalars(db.select(Notification.subject)).all()
    assert any("replied to your comment" in subject for subject in told)


def test_the_study_author_is_told_of_comments(app, client, as_role, world, study, outbox):
    as_role("outsider")
    post(client, f"/studies/{study}/comments", body="What did it cost?")
    with app.app_context():
        notes = db.session.scalars(
            db.select(Notification).where(Notification.user_id == world.people.author.id)
        ).all()
    assert [note.subject for note in notes] == [
        f"{world.people.outsider.name} commented on “Chatbot that failed”"
    ]
    assert outbox == []  # email only for those who ask for it


def test_edit_own_comment_within_fifteen_minutes(app, client, as_role, world, study):
    mine = add_comment(app, study, world.people.author)
    old = add_comment(app, study, world.people.author, created_at=utcnow() - timedelta(minutes=16))
    theirs = add_comment(app, study, world.people.outsider)
    as_role("author")
    assert client.get(f"/comments/{mine}/edit").status_code == 200
    response = post(client, f"/comments/{mine}/edit", body="Corrected figure: £12,000")
    assert response.status_code == 302
    assert post(client, f"/comments/{old}/edit", body="Too late").status_code == 403
    assert post(client, f"/comments/{theirs}/edit", body="Not mine").status_code == 403
    assert post(client, f"/comments/{mine}/edit", body="").status_code == 422
    edited = {comment.id: comment for comment in comments(app)}
    assert edited[mine].body == "Corrected figure: £12,000" and edited[mine].edited_at
    assert edited[old].body == edited[theirs].body == "An earlier comment"


def test_delete_leaves_a_placeholder_only_when_there_are_replies(
    app, client, as_role, world, study
):
    lonely = add_comment(app, study, world.people.author, body="Nobody answered this")
    answered = add_comment(app, study, world.people.author, body="Somebody answered this")
    add_comment(app, study, world.people.outsider, body="An answer", parent_id=answered)
    as_role("outsider")
    assert post(client, f"/comments/{lonely}/delete").status_code == 403
    client.post("/auth/logout", data={"csrf_token": token(client)})
    as_role("author")
    for comment_id in (lonely, answered):
        assert post(client, f"/comments/{comment_id}/delete").status_code == 302
    page = client.get(f"/studies/{study}", follow_redirects=True).text
    assert "Nobody answered this" not in page and "Somebody answered this" not in page
    assert page.count("This comment was deleted.") == 1
    assert "An answer" in page


def test_comments_are_sanitised(app, client, as_role, study):
    as_role("author")
    post(
        client,
        f"/studies/{study}/comments",
        body="<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>",
    )
    page = client.get(f"/studies/{study}", follow_redirects=True).text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert 'href="javascript:' not in page and "<img" not in page


def test_comment_posting_is_rate_limited(app, client, as_role, study):
    app.config["COMMENT_RATE_LIMIT"] = "3 per minute"
    as_role("author")
    answers = [
        post(client, f"/studies/{study}/comments", body=f"Comment {n}").status_code
        for n in range(4)
    ]
    assert answers == [302, 302, 302, 429]
    assert len(comments(app)) == 3


def test_study_page_queries_do_not_grow_with_comments(app, client, as_role, world, study):
    from board.related import forget_kept
    from tests.browse.test_board import count_queries

    as_role("colleague")
    add_comment(app, study, world.people.outsider)
    # The first page reads the topics, kept for the board's counter (comments do not move it).
    client.get(f"/studies/{study}/chatbot-that-failed")
    with app.app_context():
        forget_kept()
    few = count_queries(app, client, f"/studies/{study}/chatbot-that-failed")
    for number in range(15):
        parent = add_comment(app, study, world.people.outsider, body=f"Comment {number}")
        add_comment(app, study, world.people.author, body="Reply", parent_id=parent)
    # As a new process would (comments do not move the board's counter, under which the
    # related studies are kept).
    with app.app_context():
        forget_kept()
    assert count_queries(app, client, f"/studies/{study}/chatbot-that-failed") == few


def test_hidden_comments_are_seen_by_moderators_and_their_author_only(
    app, client, sign_in, world, study
):
    add_comment(
        app,
        study,
        world.people.outsider,
        body="Their names and phone numbers",
        hidden_at=utcnow(),
        hidden_reason="Personal data about residents",
    )
    path = f"/studies/{study}/chatbot-that-failed"
    assert "Their names" not in client.get(path).text
    for person, sees in [
        (world.people.colleague, False),
        (world.people.moderator, True),
        (world.people.outsider, True),
    ]:
        sign_in(person)
        page = client.get(path).text
        assert ("Their names and phone numbers" in page) is sees, person.name
        if person is world.people.outsider:
            assert "Personal data about residents" in page
        client.post("/auth/logout", data={"csrf_token": token(client)})


def test_moderation_log_is_written_for_hiding(app, client, sign_in, world, study):
    comment_id = add_comment(app, study, world.people.outsider, body="Spam link")
    sign_in(world.people.moderator)
    response = post(client, f"/moderation/comments/{comment_id}/hide", reason="Advertising")
    assert response.status_code == 302
    assert post(client, f"/moderation/comments/{comment_id}/hide", reason="").status_code == 422
    response = post(
        client, f"/moderation/comments/{comment_id}/restore", reason="Not spam after all"
    )
    assert response.status_code == 302
    with app.app_context():
        rows = db.session.scalars(db.select(ModerationLog).order_by(ModerationLog.id)).all()
        subjects = db.session.scalars(
            db.select(Notification.subject).where(Notification.user_id == world.people.outsider.id)
        ).all()
    assert [(row.action, row.target_type, row.reason) for row in rows] == [
        ("comment.hidden", "comment", "Advertising"),
        ("comment.restored", "comment", "Not spam after all"),
    ]
    assert subjects == ["A moderator hid your comment", "A moderator restored your comment"]


def test_email_about_comments_only_for_those_who_ask(app, client, sign_in, world, study, outbox):
    sign_in(world.people.author)
    response = post(client, "/notifications/preferences", email_on_comments="yes")
    assert response.status_code == 302
    client.post("/auth/logout", data={"csrf_token": token(client)})
    sign_in(world.people.outsider)
    post(client, f"/studies/{study}/comments", body="How long did the pilot run?")
    assert [message["To"] for message in outbox] == [world.people.author.email]
    assert "How long did the pilot run?" in outbox[0].get_content()
