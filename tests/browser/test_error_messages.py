"""When an htmx request fails, the person is told where they are looking, it is announced, and
what they typed is still there. In a real browser, with axe on the page showing the message."""

import re

import pytest
from playwright.sync_api import expect

from board.extensions import db
from tests.browser.test_lifecycle_journey import sign_in
from tests.factories import make_council, make_study, make_user

COMMENT = "We tried this in 2023: **families liked it**, but staff needed training first."


@pytest.fixture
def study_path(app):
    with app.app_context():
        here = make_council("Gwynedd Council", domain="gwynedd.llyw.cymru")
        there = make_council("Fife Council", domain="fife.gov.uk")
        make_user(there, email="ailsa@fife.gov.uk", name="Ailsa Reid")
        study = make_study(here, title="Telecare app for families")
        db.session.commit()
        return f"/studies/{study.id}/{study.slug}"


def error_message(page):
    return page.locator(".app-request-error")


def test_too_many_comments_says_how_long_to_wait_and_keeps_the_comment(
    app, page, live_server, study_path, assert_accessible, expected_error_statuses
):
    expected_error_statuses.add(429)
    app.config["COMMENT_RATE_LIMIT"] = "1 per 3 minutes"
    sign_in(page, live_server, "ailsa@fife.gov.uk")
    page.goto(live_server + study_path)
    page.evaluate("window.stillTheSamePage = true")
    # A first comment, from another tab as it were, uses up the limit.
    token = page.locator("#comment-form input[name=csrf_token]").input_value()
    first = page.request.post(
        live_server + study_path.rsplit("/", 1)[0] + "/comments",
        form={"body": "A first comment.", "csrf_token": token},
        max_redirects=0,
    )
    assert first.status == 302

    comment_box = page.get_by_label("Add a comment")
    comment_box.fill(COMMENT)
    page.get_by_role("button", name="Post comment").click()

    message = error_message(page)
    expect(message).to_be_visible()
    expect(message).to_contain_text(
        "You have posted a lot of comments in a short time. Wait 3 minutes and post again. "
        "Your comment has not been lost."
    )
    expect(message).to_be_focused()
    expect(page.locator("#app-announcer")).to_contain_text("Wait 3 minutes and post again")
    # Above the form that sent it, and the comment is still in the box.
    assert message.evaluate(
        "el => el.parentElement.nextElementSibling === document.getElementById('comment-form')"
    )
    expect(comment_box).to_have_value(COMMENT)
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)

    # Once the wait is over (here: the limit is raised), posting again works and the message
    # goes away.
    app.config["COMMENT_RATE_LIMIT"] = "100 per minute"
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".app-comment").filter(has_text="families liked it")).to_be_visible()
    expect(error_message(page)).to_have_count(0)


def test_an_out_of_date_page_says_reload_and_keeps_the_comment(
    app, page, live_server, study_path, assert_accessible, expected_error_statuses
):
    expected_error_statuses.add(400)
    sign_in(page, live_server, "ailsa@fife.gov.uk")
    page.goto(live_server + study_path)
    comment_box = page.get_by_label("Add a comment")
    comment_box.fill(COMMENT)
    # The page is older than the session: its token is no longer the one the server expects.
    page.locator("#comment-form input[name=csrf_token]").evaluate("el => el.value = 'stale'")
    page.get_by_role("button", name="Post comment").click()

    message = error_message(page)
    expect(message).to_be_visible()
    expect(message).to_contain_text("Your session has expired or the page is out of date")
    expect(message).to_contain_text("Copy your text, reload the page and try again.")
    expect(message).to_be_focused()
    expect(page.locator("#app-announcer")).to_contain_text("reload the page and try again")
    expect(comment_box).to_have_value(COMMENT)
    assert_accessible(page)


def test_a_lost_connection_says_so_and_keeps_the_comment(
    page, live_server, study_path, expected_error_statuses
):
    expected_error_statuses.add(0)
    sign_in(page, live_server, "ailsa@fife.gov.uk")
    page.goto(live_server + study_path)
    comment_box = page.get_by_label("Add a comment")
    comment_box.fill(COMMENT)
    page.route(re.compile(r".*/comments$"), lambda route: route.abort("internetdisconnected"))
    page.get_by_role("button", name="Post comment").click()

    message = error_message(page)
    expect(message).to_contain_text("Case Board could not be reached")
    expect(message).to_contain_text("Your text is still in the form.")
    expect(message).to_be_focused()
    expect(comment_box).to_have_value(COMMENT)
