"""The discussion on the Design System: its forms through govuk-frontend-wtf (every problem at
once, what was typed kept, with and without htmx), what each htmx answer says about focus and
announcements, and deleting only after a confirmation page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from board.extensions import db
from board.models import Comment
from tests.conftest import csrf_token_from
from tests.factories import make_comment, make_study

ROOT = Path(__file__).resolve().parents[2]
HTMX = {"HX-Request": "true"}


def token(client, path="/") -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


def htmx_post(client, path, **data):
    return client.post(path, data=data, headers={**HTMX, "X-CSRFToken": token(client)})


def after_swap(response) -> dict:
    """What the answer tells static/js/app.js to do once it is in place."""
    header = response.headers.get("HX-Trigger-After-Settle")
    assert header, "no HX-Trigger-After-Settle header"
    return json.loads(header)["app:swapped"]


@pytest.fixture
def study(app, world):
    with app.app_context():
        study = make_study(world.here, world.people.author, title="Chatbot that failed")
        db.session.commit()
        return study.id


@pytest.fixture
def comment(app, world, study):
    with app.app_context():
        comment = make_comment(study, world.people.outsider, "We tried a chatbot too.")
        db.session.commit()
        return comment.id


def old_classes(html: str) -> set[str]:
    names = {name for attr in re.findall(r'class="([^"]*)"', html) for name in attr.split()}
    return names & {
        "form-group",
        "error-summary",
        "button",
        "label",
        "textarea",
        "select",
        "visually-hidden",
        "heading-m",
        "heading-l",
        "notification",
        "hint",
    }


def test_the_comment_form_is_the_design_systems(client, as_role, study):
    as_role("colleague")
    html = client.get(f"/studies/{study}", follow_redirects=True).text
    form = html[html.index('<form id="comment-form"') :]
    form = form[: form.index("</form>")]
    assert '<label class="govuk-label govuk-label--s" for="body">' in form
    assert 'class="govuk-textarea' in form and 'class="govuk-hint"' in form
    assert 'class="govuk-button"' in form and 'id="comment-form-submit"' in form
    assert old_classes(html[html.index('id="discussion"') :]) == set()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_comment_with_a_problem_comes_back_with_the_error_and_the_text(
    client, as_role, study, htmx
):
    as_role("colleague")
    long = "Too long. " * 501
    if htmx:
        response = htmx_post(client, f"/studies/{study}/comments", body=long)
    else:
        response = client.post(
            f"/studies/{study}/comments", data={"body": long, "csrf_token": token(client)}
        )
    assert response.status_code == 422
    html = response.text
    assert ("<html" in html) is not htmx
    if not htmx:
        assert "<title>Error: Chatbot that failed" in html
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#body">Comments must be 5,000 characters or fewer</a>' in html
    assert 'id="body-error"' in html and "govuk-textarea--error" in html
    assert long.strip() in html
    # Errors are shown, not a focus instruction: the Error summary takes focus itself.
    assert "HX-Trigger-After-Settle" not in response.headers


def test_posting_in_place_focuses_and_announces_the_new_comment(app, client, as_role, study):
    as_role("colleague")
    response = htmx_post(client, f"/studies/{study}/comments", body="Posted with htmx")
    with app.app_context():
        new = db.session.scalar(db.select(Comment.id).order_by(Comment.id.desc()))
    assert after_swap(response) == {"focus": f"#comment-{new}", "announce": "Comment posted"}
    html = response.text
    assert f'id="comment-{new}" tabindex="-1"' in html
    # The answer updates only what every study page has: the list, the heading and the form.
    assert re.findall(r'hx-swap-oob="([^"]*)"', html) == ["beforeend:#comments-list", "true"]
    assert re.search(r'id="discussion-heading" hx-swap-oob="true">Discussion \(1\)</h2>', html)
    assert "no-comments" not in html


def test_no_comments_yet_only_on_a_study_without_comments(app, client, world, study):
    path = f"/studies/{study}/chatbot-that-failed"
    assert "No comments yet." in client.get(path).text
    with app.app_context():
        make_comment(study, world.people.outsider, "A first comment")
        db.session.commit()
    assert "No comments yet." not in client.get(path).text


def test_a_reply_opens_in_place_with_focus_in_its_text_box(client, as_role, study, comment):
    as_role("author")
    response = client.get(f"/comments/{comment}/reply", headers=HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert after_swap(response) == {"focus": f"#reply-{comment}-body", "announce": ""}
    assert f'<textarea class="govuk-textarea" id="reply-{comment}-body"' in response.text
    assert 'hx-post="' in response.text


def test_the_reply_slot_is_right_under_its_comment_above_the_replies(
    app, client, as_role, world, study, comment
):
    with app.app_context():
        reply = Comment(
            case_study_id=study,
            author_id=world.people.author.id,
            body="An answer",
            parent_id=comment,
        )
        db.session.add(reply)
        db.session.commit()
    as_role("colleague")
    html = client.get(f"/studies/{study}", follow_redirects=True).text
    assert html.index(f'id="reply-slot-{comment}"') < html.index(f'id="replies-{comment}"')
    assert html.index(f'id="replies-{comment}"') < html.index("An answer")


def test_the_reply_page_without_javascript_posts_as_a_page(client, as_role, study, comment):
    as_role("author")
    html = client.get(f"/comments/{comment}/reply").text
    form = html[html.index(f'<form id="reply-form-{comment}"') :]
    form = form[: form.index(">")]
    assert "hx-post" not in form


def test_a_reply_posted_in_place_is_focused_and_announced(app, client, as_role, study, comment):
    as_role("author")
    response = htmx_post(
        client, f"/studies/{study}/comments", reply_to=comment, **{f"reply-{comment}-body": "Hi"}
    )
    with app.app_context():
        new = db.session.scalar(db.select(Comment.id).order_by(Comment.id.desc()))
    assert after_swap(response) == {"focus": f"#comment-{new}", "announce": "Reply posted"}
    assert f'hx-swap-oob="beforeend:#replies-{comment}"' in response.text
    assert "<form" not in response.text  # the reply form goes: its work is done


def test_mark_as_useful_is_a_toggle_with_one_label(client, as_role, study):
    as_role("outsider")
    first = htmx_post(client, f"/studies/{study}/useful")
    second = htmx_post(client, f"/studies/{study}/useful")
    for response, pressed in ((first, "true"), (second, "false")):
        button = re.search(r"<button[^>]*id=\"useful-button\"[^>]*>(.*?)</button>", response.text)
        assert button and button.group(1).strip() == "Mark as useful"
        assert f'aria-pressed="{pressed}"' in button.group(0)
    assert after_swap(first) == {
        "focus": "#useful-button",
        "announce": "Marked as useful. 1 member found this useful, including you.",
    }
    assert after_swap(second) == {
        "focus": "#useful-button",
        "announce": "No longer marked as useful. 0 members found this useful.",
    }


def test_tried_too_returns_focus_to_its_button_and_says_what_happened(
    app, client, as_role, world, study
):
    with app.app_context():
        make_study(world.there, world.people.outsider, title="Our own chatbot " + "x" * 150)
        db.session.commit()
    as_role("outsider")
    page = client.get(f"/studies/{study}", follow_redirects=True).text
    assert 'class="govuk-select app-select--fluid"' in page
    assert '<label class="govuk-label" for="own_study">' in page
    said = htmx_post(client, f"/studies/{study}/tried-too", own_study="0")
    assert after_swap(said) == {
        "focus": "#tried-too-button",
        "announce": "Thank you: your council is listed as having tried this too.",
    }
    assert 'id="tried-too-button"' in said.text and "Remove “we tried this too”" in said.text
    unsaid = htmx_post(client, f"/studies/{study}/tried-too")
    assert after_swap(unsaid)["announce"] == (
        "Your council is no longer listed as having tried this."
    )


def test_delete_asks_first_and_deletes_only_when_confirmed(app, client, as_role, study, comment):
    as_role("outsider")
    page = client.get(f"/studies/{study}", follow_redirects=True).text
    # The comment's Delete is a link to the question, not a button that deletes at once.
    assert f'<a class="govuk-link" href="/comments/{comment}/delete">Delete' in page
    question = client.get(f"/comments/{comment}/delete")
    assert question.status_code == 200
    html = question.text
    assert "Are you sure you want to delete your comment?" in html
    assert "We tried a chatbot too." in html
    assert "govuk-button govuk-button--warning" in html
    assert f'href="/studies/{study}/chatbot-that-failed#comment-{comment}">No, keep it' in html
    with app.app_context():
        assert db.session.get(Comment, comment).deleted_at is None
    response = client.post(f"/comments/{comment}/delete", data={"csrf_token": token(client)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Comment, comment).deleted_at is not None


def test_only_the_author_is_asked_about_deleting(client, as_role, comment):
    as_role("colleague")
    assert client.get(f"/comments/{comment}/delete").status_code == 403


def test_the_report_form_lists_every_problem_and_keeps_what_was_typed(
    client, as_role, study, comment
):
    as_role("colleague")
    details = "Too much. " * 201
    response = client.post(
        "/reports",
        data={"csrf_token": token(client), "target": f"comment:{comment}", "details": details},
    )
    assert response.status_code == 422
    html = response.text
    summary = html[html.index('class="govuk-error-summary"') :]
    summary = summary[: summary.index("</ul>")]
    assert re.findall(r'<a href="#([^"]+)">', summary) == ["reason", "details"]
    assert "Choose why you are reporting this" in summary
    assert "Keep it to 2,000 characters or fewer" in summary
    assert 'class="govuk-radios__input"' in html and details.strip() in html
    assert old_classes(html[html.index("<main") :]) == set()


def test_the_edit_form_is_the_design_systems(client, as_role, world, study, app):
    with app.app_context():
        mine = make_comment(study, world.people.author, "Typo here").id
        db.session.commit()
    as_role("author")
    response = client.post(f"/comments/{mine}/edit", data={"csrf_token": token(client), "body": ""})
    assert response.status_code == 422
    assert '<a href="#body">Enter your comment</a>' in response.text
    assert 'class="govuk-textarea govuk-textarea--error"' in response.text
    assert old_classes(response.text[response.text.index("<main") :]) == set()


OWN_TEMPLATES = [
    *sorted((ROOT / "templates" / "comments").glob("*.html")),
    ROOT / "templates" / "case_studies" / "show.html",
    ROOT / "templates" / "case_studies" / "_status_panel.html",
    ROOT / "templates" / "case_studies" / "_preview.html",
    ROOT / "templates" / "macros" / "studies.html",
    ROOT / "static" / "js" / "app.js",
]


@pytest.mark.parametrize("path", OWN_TEMPLATES, ids=lambda path: path.name)
def test_no_inline_style_or_handler_that_the_csp_would_block(path):
    text = path.read_text()
    assert not re.search(r"\sstyle\s*=", text), "the CSP refuses inline styles"
    assert "hx-on" not in text, "the CSP refuses hx-on (it evaluates code)"
    assert ".style." not in text and 'setAttribute("style"' not in text
