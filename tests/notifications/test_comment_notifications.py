"""What people are told about comments: a reply is a reply, and the excerpt is plain text,
never Markdown, on /notifications and in the email."""

import pytest

from board.extensions import db
from board.models import Comment, Notification
from board.notifications.services import excerpt, notify_comment_posted, plain_text
from tests.factories import make_comment, make_study


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("We tried *reporting* it", "We tried reporting it"),
        ("**Bold** and `code` and [a link](https://example.org)", "Bold and code and a link"),
        ("# Heading\n\n- one\n- two", "Heading one two"),
        ("First line\nsecond line\n\nNew paragraph", "First line second line New paragraph"),
        ("2 * 3 = 6", "2 * 3 = 6"),
    ],
)
def test_plain_text_shows_what_a_reader_sees(source, shown):
    assert plain_text(source) == shown


def test_an_excerpt_is_cut_at_a_word():
    text = excerpt("word " * 100, limit=30)
    assert text.endswith("…") and len(text) <= 30
    assert "wor…" not in text


def _comment(app, world, body, reply_to=None, author=None):
    with app.app_context():
        study = make_study(world.here, world.people.author, title="Smart bins")
        parent = None
        if reply_to == "author":
            parent = make_comment(study.id, world.people.author, "Ask me anything")
        elif reply_to == "colleague":
            parent = make_comment(study.id, world.people.colleague, "Did it work?")
        comment = Comment(
            case_study_id=study.id,
            author_id=(author or world.people.outsider).id,
            body=body,
            parent_id=parent.id if parent else None,
        )
        db.session.add(comment)
        db.session.commit()
        return comment.id


def _notify(app, comment_id):
    with app.test_request_context():
        comment = db.session.get(Comment, comment_id)
        notify_comment_posted(comment, f"/studies/{comment.case_study_id}#comment-{comment_id}")
        db.session.commit()
        return [
            (n.user_id, n.subject, n.body)
            for n in db.session.scalars(db.select(Notification).order_by(Notification.id))
        ]


def test_a_reply_to_the_authors_comment_is_called_a_reply(app, world):
    comment_id = _comment(app, world, "We found the *same*", reply_to="author")
    [(user_id, subject, body)] = _notify(app, comment_id)
    assert user_id == world.people.author.id
    assert subject == "Otto Outsider replied to your comment on “Smart bins”"
    assert body == "We found the same"


def test_a_reply_to_someone_else_tells_both(app, world):
    comment_id = _comment(app, world, "Yes, **mostly**", reply_to="colleague")
    told = {user_id: subject for user_id, subject, _ in _notify(app, comment_id)}
    assert told == {
        world.people.author.id: "Otto Outsider replied to a comment on “Smart bins”",
        world.people.colleague.id: "Otto Outsider replied to your comment on “Smart bins”",
    }


def test_a_comment_on_a_study_and_nobody_told_about_their_own(app, world):
    comment_id = _comment(app, world, "Thanks")
    [(_, subject, _)] = _notify(app, comment_id)
    assert subject == "Otto Outsider commented on “Smart bins”"
    own = _comment(app, world, "Mine", author=world.people.author)
    assert len(_notify(app, own)) == 1  # still only the first one


def test_the_email_and_the_page_show_plain_text(app, world, outbox, client, sign_in):
    with app.app_context():
        world.people.author.email_on_comments = True
        db.session.merge(world.people.author)
        db.session.commit()
    comment_id = _comment(app, world, "Try *reporting* it [here](https://example.org)", "author")
    _notify(app, comment_id)
    email = outbox[-1].get_content()
    assert "Try reporting it here" in email and "*" not in email
    sign_in(world.people.author)
    page = client.get("/notifications").text
    assert "replied to your comment on “Smart bins”" in page
    assert "Try reporting it here" in page and "*reporting*" not in page
