"""The study page's comments drawn once and reused (board/comments/drawn.py): the same markup
as the comment_item macro for every viewer, state and language, and a change shows at once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from board import permissions
from board.comments import queries
from board.comments.drawn import MAX_DRAWN, drawn_threads, forget_drawn
from board.extensions import db
from board.models import CaseStudy, Comment, Role, User
from board.models.base import utcnow
from tests.factories import make_study, make_user


@pytest.fixture
def discussion(app, world):
    """A study with every kind of comment: plain, replied to, hidden (with and without replies),
    deleted (with and without replies), edited, by someone of no council, in Welsh, old (its
    edit window closed) and new."""
    with app.app_context():
        people = world.people
        study = make_study(world.here, people.author, title="Chatbot that failed")
        db.session.flush()

        def comment(author, body, parent=None, **fields):
            made = Comment(
                case_study_id=study.id,
                author_id=author.id,
                body=body,
                parent_id=parent.id if parent else None,
                **fields,
            )
            db.session.add(made)
            db.session.flush()
            return made

        now = utcnow()
        first = comment(people.outsider, "We tried **this** too.")
        comment(people.author, "Thanks, <b>really</b>?", first)
        comment(people.colleague, "Rude reply", first, hidden_at=now, hidden_reason="Unkind & rude")
        comment(people.colleague, "Gone", first, deleted_at=now)
        hidden = comment(
            people.author, "Our own hidden one", hidden_at=now, hidden_reason="Off topic"
        )
        comment(people.moderator, "A reply to a hidden one", hidden)
        comment(people.outsider, "Deleted alone", deleted_at=now)
        deleted = comment(people.outsider, "Deleted with replies", deleted_at=now)
        comment(people.colleague, "Still here", deleted)
        comment(
            people.admin,
            "Fe wnaethon ni roi cynnig ar hyn.",
            language="cy",
            created_at=now - timedelta(days=40),
            edited_at=now - timedelta(days=39),
        )
        comment(people.unverified, "Hidden alone", hidden_at=now, hidden_reason="Spam")
        comment(people.author, "Just written by the author")
        db.session.commit()
        return study.id


VIEWERS = ["moderator", "home_moderator", "author", "colleague", "outsider", "admin", "visitor"]


def viewer_named(world, name):
    if name == "visitor":
        return None
    if name == "home_moderator":
        moderator = db.session.scalar(db.select(User).where(User.name == "Home Moderator"))
        return moderator or make_user(world.here, role=Role.MODERATOR, name="Home Moderator")
    return db.session.merge(getattr(world.people, name))


def macro_threads(app, study, viewer, can_discuss, take_part, moderate) -> list[str]:
    comments = db.session.scalars(queries.COMMENTS, {"study_id": study.id}).unique().all()
    macro = app.jinja_env.get_template("macros/comments.html").module.comment_item
    return [
        str(macro(thread.comment, thread.replies, viewer, can_discuss, take_part, moderate))
        for thread in queries.threads(comments)
    ]


def drawn(study, viewer, can_discuss, take_part, moderate) -> list[str]:
    threads = queries.threads(queries.shown_comments(study))
    return [str(html) for html in drawn_threads(threads, viewer, can_discuss, take_part, moderate)]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_drawn_as_the_macro_draws_for_every_viewer(app, world, discussion, language):
    with app.app_context():
        study = db.session.get(CaseStudy, discussion)
        # Every viewer twice, one after another in the same process: the second time from the
        # store, filled by the others, and still exactly what the macro draws for them.
        for _round in range(2):
            for name in VIEWERS:
                with app.test_request_context(
                    f"/studies/{study.id}/{study.slug}", headers={"Accept-Language": language}
                ):
                    viewer = viewer_named(world, name)
                    flags = (
                        permissions.can_discuss(study, viewer),
                        permissions.can_take_part(viewer),
                        permissions.can_moderate(viewer),
                    )
                    expected = macro_threads(app, study, viewer, *flags)
                    assert drawn(study, viewer, *flags) == expected, name
        db.session.rollback()


def test_what_each_viewer_is_shown(app, world, discussion):
    """The store never hands one viewer what another may see."""
    with app.app_context():
        study = db.session.get(CaseStudy, discussion)
        pages = {}
        for name in VIEWERS:
            with app.test_request_context(f"/studies/{study.id}/{study.slug}"):
                viewer = viewer_named(world, name)
                flags = (
                    permissions.can_discuss(study, viewer),
                    permissions.can_take_part(viewer),
                    permissions.can_moderate(viewer),
                )
                pages[name] = "".join(drawn(study, viewer, *flags))
        db.session.rollback()
    # The hidden comment's text and reason: its author and moderators (admins are) only.
    moderators = ("moderator", "home_moderator", "admin")
    for name, html in pages.items():
        sees_hidden = name in ("author", *moderators)
        assert ("Our own hidden one" in html) is sees_hidden, name
        assert ("Off topic" in html) is sees_hidden, name
        # The colleague's hidden reply: the colleague and moderators, however it was drawn before.
        sees_reply = name in ("colleague", *moderators)
        assert ("Unkind &amp; rude" in html) is sees_reply, name
        assert "Deleted alone" not in html and "Gone" not in html
    # Placeholders where replies hang from a comment the viewer may not read.
    assert "This comment was hidden by a moderator." in pages["visitor"]
    assert "This comment was deleted." in pages["visitor"]
    # Hide and restore: the moderator of another council, not the study's own council's.
    assert "/hide?next=" in pages["moderator"] and "/restore?next=" in pages["moderator"]
    assert "/hide?" not in pages["home_moderator"] and "/restore?" not in pages["home_moderator"]
    # Edit: the author's new comment only, within its window; never a visitor's.
    assert pages["author"].count("/edit") == 2  # "Thanks" and "Just written"
    assert "/edit" not in pages["visitor"]
    assert pages["colleague"].count("/edit") == 1  # "Still here": not the hidden one
    assert "/edit" not in pages["admin"]  # the admin's own comment is 40 days old
    assert "/reply" not in pages["visitor"] and "/report" not in pages["visitor"]


def page(client, study_id, **headers) -> str:
    with client.application.app_context():
        study = db.session.get(CaseStudy, study_id)
        path = f"/studies/{study.id}/{study.slug}"
    return client.get(path, headers=headers).text


def test_an_edited_comment_shows_at_once(app, client, discussion):
    assert "We tried <strong>this</strong> too." in page(client, discussion)
    with app.app_context():
        comment = db.session.scalar(db.select(Comment).where(Comment.body.startswith("We tried")))
        comment.body = "We tried *that* too."
        comment.edited_at = utcnow()
        db.session.commit()
    html = page(client, discussion)
    assert "We tried <em>that</em> too." in html
    assert "We tried <strong>this</strong> too." not in html


def test_a_hidden_comment_leaves_the_page_at_once(app, client, discussion):
    assert "Thanks, " in page(client, discussion)
    with app.app_context():
        comment = db.session.scalar(db.select(Comment).where(Comment.body.startswith("Thanks")))
        comment.hidden_at = utcnow()
        comment.hidden_reason = "Sarcasm"
        db.session.commit()
    html = page(client, discussion)
    assert "Thanks, " not in html
    assert "Sarcasm" not in html


def test_a_renamed_author_shows_at_once(app, client, world, discussion):
    assert "Otto Outsider" in page(client, discussion)
    with app.app_context():
        db.session.get(User, world.people.outsider.id).name = "Otto Renamed"
        db.session.commit()
    html = page(client, discussion)
    assert "Otto Renamed" in html
    assert "Otto Outsider" not in html


def test_the_edit_link_goes_when_the_window_closes(app, client, as_role, discussion):
    as_role("author")
    with app.app_context():
        comment_id = db.session.scalar(
            db.select(Comment.id).where(Comment.body == "Just written by the author")
        )
    edit = f"/comments/{comment_id}/edit"
    assert edit in page(client, discussion)
    with app.app_context():
        db.session.get(Comment, comment_id).created_at = utcnow() - timedelta(minutes=16)
        db.session.commit()
    assert edit not in page(client, discussion)


def test_welsh_and_english_each_get_their_own(app, client, discussion):
    english = page(client, discussion)
    welsh = page(client, discussion, **{"Accept-Language": "cy"})
    assert "This comment was deleted." in english
    assert "This comment was deleted." not in welsh
    # English again, after Welsh was drawn: English.
    assert "This comment was deleted." in page(client, discussion)


def test_the_store_is_bounded(app, world, discussion, monkeypatch):
    monkeypatch.setattr("board.comments.drawn.MAX_DRAWN", 3)
    assert MAX_DRAWN > 3
    with app.app_context():
        study = db.session.get(CaseStudy, discussion)
        with app.test_request_context(f"/studies/{study.id}/{study.slug}"):
            forget_drawn()
            drawn(study, None, False, False, False)
            assert len(app.extensions["drawn_comments"]) <= 3


def test_a_visitors_threads_are_kept_whole_and_never_a_members(app, world, discussion):
    with app.app_context():
        study = db.session.get(CaseStudy, discussion)
        with app.test_request_context(f"/studies/{study.id}/{study.slug}"):
            forget_drawn()
            moderator = db.session.merge(world.people.moderator)
            drawn(study, moderator, *flags_of(study, moderator))
            assert not app.extensions.get("drawn_visitors_threads")
            first = drawn(study, None, False, False, False)
            assert len(app.extensions["drawn_visitors_threads"]) == 1
            assert drawn(study, None, False, False, False) == first
            assert "Our own hidden one" not in "".join(first)
            # Something other than a visitor, even with no rights, draws for itself.
            unverified = db.session.merge(world.people.unverified)
            drawn(study, unverified, *flags_of(study, unverified))
            assert len(app.extensions["drawn_visitors_threads"]) == 1


def flags_of(study, viewer) -> tuple[bool, bool, bool]:
    return (
        permissions.can_discuss(study, viewer),
        permissions.can_take_part(viewer),
        permissions.can_moderate(viewer),
    )


def test_the_visitors_store_is_bounded(app, discussion, monkeypatch):
    monkeypatch.setattr("board.comments.drawn.MAX_VISITORS_DRAWN", 1)
    with app.app_context():
        study = db.session.get(CaseStudy, discussion)
        forget_drawn()
        for language in ("en", "cy"):
            with app.test_request_context(
                f"/studies/{study.id}/{study.slug}", headers={"Accept-Language": language}
            ):
                drawn(study, None, False, False, False)
        assert len(app.extensions["drawn_visitors_threads"]) == 1


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_visitors_discussion_as_its_template_draws_it(app, discussion, language):
    from flask import render_template_string
    from flask_login import current_user

    from board.comments.discussion import load_discussion
    from board.comments.drawn import visitors_discussion

    with app.app_context():
        forget_drawn()
        study = db.session.get(CaseStudy, discussion)
        for _round in range(2):
            with app.test_request_context(
                f"/studies/{study.id}/{study.slug}", headers={"Accept-Language": language}
            ):
                loaded = load_discussion(study, current_user)
                expected = render_template_string(
                    '{% include "comments/_discussion.html" %}', study=study, discussion=loaded
                )
                assert str(visitors_discussion(loaded)) == expected
        assert len(app.extensions["drawn_visitors_discussions"]) == 1


def test_a_visitors_discussion_follows_a_change_and_is_never_a_members(
    app, client, sign_in, world, discussion
):
    html = page(client, discussion)
    assert "0 members found this useful." in html and "to join the discussion." in html
    with app.app_context():
        db.session.get(CaseStudy, discussion).useful_count = 3
        db.session.commit()
    assert "3 members found this useful." in page(client, discussion)
    sign_in(world.people.outsider)
    member = page(client, discussion)
    assert "to join the discussion." not in member and 'id="useful-button"' in member
