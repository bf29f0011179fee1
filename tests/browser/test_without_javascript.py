"""Every form of the app, in a browser with JavaScript turned off.

Submitted empty or wrong, a form comes back as the GOV.UK Design System asks: "Error: " before
the page title, the Error summary listing each problem as a link to its field, the same message
by the field, and what was typed still there. Submitted right, it does what it says. Each form
has one test of each, so a failure names the form and which half is wrong.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from board.auth.services import reset_token
from board.comments import services as discussion
from board.extensions import db
from board.models import Comment, Outcome, Status, User
from board.models.base import utcnow
from tests.browser.signing_in import sign_in
from tests.factories import PASSWORD, make_comment, make_report, make_study, make_user

NEW_PASSWORD = "slate harbour kettle violin"


@pytest.fixture(scope="module")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "java_script_enabled": False}


@pytest.fixture
def places(app, world):
    """A published study of the "here" council with a comment by its author, one in review, and
    a cyber security failure to filter for."""
    with app.app_context():
        published = make_study(
            world.here, world.people.author, title="Parking sensors that drifted"
        )
        comment = make_comment(published.id, world.people.author, "We would do this again.")
        submitted = make_study(
            world.here, world.people.author, status=Status.SUBMITTED, title="Library chatbot"
        )
        make_study(
            world.here,
            title="Phishing drill that backfired",
            topics=["cyber-security"],
            outcome=Outcome.DID_NOT_WORK,
        )
        make_study(
            world.here, title="Firewall upgrade", topics=["cyber-security"], outcome=Outcome.WORKED
        )
        draft = make_study(
            world.here, world.people.author, status=Status.DRAFT, title="Chatbot for bin days"
        )
        report = make_report(world.people.outsider, comment)
        db.session.commit()
        return {
            "published": f"/studies/{published.id}/{published.slug}",
            "published_id": published.id,
            "comment_id": comment.id,
            "submitted_id": submitted.id,
            "draft": f"/studies/{draft.id}/{draft.slug}",
            "draft_id": draft.id,
            "report_id": report.id,
        }


def assert_errors(page, *messages: str) -> None:
    """The GOV.UK error pattern, with at least ``messages`` among the problems listed. Without
    JavaScript the page is final once loaded, so nothing here waits."""
    page.wait_for_load_state()
    where = page.url.removeprefix(page.url.split("/", 3)[0] + "//").partition("/")[2]
    assert page.title().startswith("Error: "), f"/{where}: title {page.title()!r} lacks 'Error: '"
    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 1, f"/{where}: no GOV.UK Error summary (.govuk-error-summary)"
    title = summary.locator(".govuk-error-summary__title").inner_text().strip()
    assert title == "There is a problem", f"/{where}: the summary's title is {title!r}"
    links = summary.locator(".govuk-error-summary__list a")
    problems = [link.inner_text().strip() for link in links.all()]
    assert problems, f"/{where}: the Error summary lists no problem"
    for message in messages:
        assert any(message in problem for problem in problems), f"{message!r} not in {problems}"
    for link, problem in zip(links.all(), problems, strict=True):
        target = link.get_attribute("href") or ""
        assert target.startswith("#"), f"/{where}: {problem!r} does not link to a field"
        # Each problem is said again by its field, inside the field's error group.
        group = page.locator(f".govuk-form-group--error:has({target})")
        assert group.count() == 1, f"/{where}: no .govuk-form-group--error around {target}"
        inline = group.locator(".govuk-error-message")
        assert inline.count() >= 1, f"/{where}: no .govuk-error-message by {target}"
        assert problem in inline.first.inner_text(), f"/{where}: {problem!r} not by {target}"


def flash(page):
    return page.locator("#main-content")


def test_javascript_is_off(page, live_server):
    page.goto(live_server + "/")
    # static/js/govuk-init.js puts this class on <body> when it runs.
    expect(page.locator("body")).not_to_have_class(re.compile("govuk-frontend-supported"))


# Signing in, registering and resetting a password.


def test_sign_in_errors(page, live_server, world):
    page.goto(live_server + "/auth/login")
    page.get_by_role("button", name="Sign in").click()
    assert_errors(page, "Enter your email address", "Enter your password")
    page.get_by_label("Email address").fill(world.people.author.email)
    page.get_by_label("Password", exact=True).fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    assert_errors(page, "Enter a correct email address and password")
    expect(page.get_by_label("Email address")).to_have_value(world.people.author.email)


def test_sign_in_and_out(page, live_server, world):
    sign_in(page, live_server, world.people.author.email)
    expect(flash(page)).to_contain_text("Signed in as Ava Author")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto(live_server + "/account")
    expect(page).to_have_url(re.compile(r"/auth/login"))


def test_register_errors(page, live_server):
    page.goto(live_server + "/auth/register")
    page.get_by_role("button", name="Create account").click()
    assert_errors(
        page,
        "Enter your full name",
        "Enter your email address",
        "Select whether you are a councillor or an officer",
        "Enter your job title",
        "Enter a password",
    )
    page.get_by_label("Full name").fill("Amira Hughes")
    page.get_by_label("Work email address").fill("amira.hughes@hereshire.gov.uk")
    page.get_by_label("Councillor").check()
    page.get_by_label("Job title").fill("Cabinet Member for Transformation")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_role("button", name="Create account").click()
    assert_errors(page, "at least 12 characters")
    expect(page.get_by_label("Full name")).to_have_value("Amira Hughes")
    expect(page.get_by_label("Work email address")).to_have_value("amira.hughes@hereshire.gov.uk")
    expect(page.get_by_label("Councillor")).to_be_checked()
    expect(page.get_by_label("Job title")).to_have_value("Cabinet Member for Transformation")


def test_register(page, live_server, outbox):
    page.goto(live_server + "/auth/register")
    page.get_by_label("Full name").fill("Amira Hughes")
    page.get_by_label("Work email address").fill("amira.hughes@example.org")
    page.get_by_label("Officer").check()
    page.get_by_label("Job title").fill("Digital lead")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert any("amira.hughes@example.org" in message["To"] for message in outbox)


def test_reset_request_errors(page, live_server):
    page.goto(live_server + "/auth/reset")
    page.get_by_role("button", name="Send the link").click()
    assert_errors(page, "Enter your email address")


def test_reset_request(page, live_server, world, outbox):
    page.goto(live_server + "/auth/reset")
    page.get_by_label("Email address").fill(world.people.author.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert any(world.people.author.email in message["To"] for message in outbox)


def test_reset_password_errors(app, page, live_server, world):
    with app.test_request_context():
        token = reset_token(world.people.author)
    page.goto(live_server + f"/auth/reset/{token}")
    page.get_by_role("button", name=re.compile("password", re.IGNORECASE)).click()
    assert_errors(page, "Enter a new password")


def test_reset_password(app, page, live_server, world):
    with app.test_request_context():
        token = reset_token(world.people.author)
    page.goto(live_server + f"/auth/reset/{token}")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name=re.compile("password", re.IGNORECASE)).click()
    expect(flash(page)).to_contain_text("Your password has been changed.")


def test_resend_confirmation(app, page, live_server, outbox):
    with app.app_context():
        person = make_user(None, verified=False, name="Una Confirmed")
        db.session.commit()
    sign_in(page, live_server, person.email)
    page.get_by_role("button", name="Send the link again").click()
    expect(flash(page)).to_contain_text("We have sent you a new confirmation link.")
    assert any(person.email in message["To"] for message in outbox)


# Your account and notifications.


def test_sign_out_of_other_devices(browser, page, live_server, world):
    elsewhere = browser.new_context(java_script_enabled=False)
    sign_in(elsewhere.new_page(), live_server, world.people.author.email)
    sign_in(page, live_server, world.people.author.email)
    page.goto(live_server + "/account")
    page.get_by_role("button", name="Sign out of every other device").click()
    expect(flash(page)).to_contain_text("You have signed out of 1 other device.")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    other = elsewhere.pages[0]
    other.goto(live_server + "/account")
    expect(other).to_have_url(re.compile(r"/auth/login"))
    elsewhere.close()


def test_notifications_forms(app, page, live_server, world, places):
    hide(app, world, places)  # the author is told
    sign_in(page, live_server, world.people.author.email)
    page.goto(live_server + "/notifications")
    page.get_by_role("button", name="Mark all as read").click()
    expect(flash(page)).to_contain_text("All notifications are marked as read.")
    page.get_by_label(re.compile("Email me when someone comments")).check()
    page.get_by_role("button", name="Save email setting").click()
    expect(flash(page)).to_contain_text("We will email you about comments")
    expect(page.get_by_label(re.compile("Email me when someone comments"))).to_be_checked()


def test_change_password_errors(page, live_server, world):
    sign_in(page, live_server, world.people.author.email)
    page.goto(live_server + "/account/password")
    page.get_by_role("button", name="Change password").click()
    assert_errors(page, "Enter your current password", "Enter a new password")
    page.get_by_label("Current password").fill("not my password at all")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    assert_errors(page, "Your current password is not correct")


def test_change_password(page, live_server, world):
    sign_in(page, live_server, world.people.author.email)
    page.goto(live_server + "/account/password")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(flash(page)).to_contain_text("password")
    page.get_by_role("button", name="Sign out").click()
    page.goto(live_server + "/auth/login")
    page.get_by_label("Email address").fill(world.people.author.email)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


# The board's filters.


def test_board_filters(page, live_server, places):
    page.goto(live_server + "/")
    page.get_by_label("Cyber security").check()
    page.get_by_label("Outcome").select_option("did-not-work")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"topic=cyber-security.*outcome=did-not-work"))
    results = page.locator("#results")
    expect(results).to_contain_text("Phishing drill that backfired")
    expect(results).not_to_contain_text("Firewall upgrade")
    expect(results).not_to_contain_text("Parking sensors that drifted")
    expect(page.get_by_label("Cyber security")).to_be_checked()


# Writing up an experiment.


def test_write_up_errors(page, live_server, world):
    sign_in(page, live_server, world.people.author.email)
    page.goto(live_server + "/studies/new")
    page.get_by_label("Title").fill("Parking app nobody downloaded")
    page.get_by_label("What we tried").fill("We bought an app and **advertised** it on buses.")
    page.get_by_role("button", name="Submit for review").click()
    assert_errors(page, "Enter a summary", "Choose at least one topic", "Enter what you learned")
    expect(page.get_by_label("Title")).to_have_value("Parking app nobody downloaded")
    expect(page.get_by_label("What we tried")).to_have_value(
        "We bought an app and **advertised** it on buses."
    )


def test_write_up_preview_and_submit(page, live_server, world):
    sign_in(page, live_server, world.people.author.email)
    page.goto(live_server + "/studies/new")
    page.get_by_label("Title").fill("Parking app nobody downloaded")
    page.get_by_label("Summary").fill("A resident parking app reached 2% take-up in a year.")
    page.get_by_label("Smart places technology").check()
    page.get_by_label("Did not work").check()
    page.get_by_label("What we tried").fill("We bought an app and **advertised** it on buses.")
    page.get_by_label("What we learned").fill("Residents wanted to pay by text.")
    page.get_by_role("button", name="Preview").click()
    # Without JavaScript the preview is the form again, with the study as it would be published.
    expect(page.locator("#preview .app-prose strong")).to_have_text("advertised")
    expect(page.get_by_label("Title")).to_have_value("Parking app nobody downloaded")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("heading", name="Status: Waiting for review")).to_be_visible()


def test_edit_save_submit_and_withdraw(page, live_server, world, places):
    sign_in(page, live_server, world.people.author.email)
    page.goto(live_server + f"/studies/{places['draft_id']}/edit")
    page.get_by_label("Title").fill("Chatbot for bin collection days")
    page.get_by_role("button", name="Save draft").click()
    expect(flash(page)).to_contain_text("Your draft is saved.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chatbot for bin collection days")
    page.get_by_role("button", name="Submit for review").click()
    expect(flash(page)).to_contain_text("Submitted for review.")
    page.get_by_role("button", name=re.compile("Withdraw")).click()
    expect(flash(page)).to_contain_text("withdrawn from review")


# Discussion: comments, replies, edits and reports.


def test_comment_errors(page, live_server, world, places):
    sign_in(page, live_server, world.people.outsider.email)
    page.goto(live_server + places["published"])
    page.get_by_role("button", name="Post comment").click()
    assert_errors(page, "Enter your comment")


def test_comment(page, live_server, world, places):
    sign_in(page, live_server, world.people.outsider.email)
    page.goto(live_server + places["published"])
    page.get_by_label("Add a comment").fill("We tried this too: **calibrate monthly**.")
    page.get_by_role("button", name="Post comment").click()
    expect(flash(page)).to_contain_text("Your comment has been posted.")
    expect(page.locator("#discussion strong", has_text="calibrate monthly")).to_be_visible()


def test_reply_errors(page, live_server, world, places):
    sign_in(page, live_server, world.people.outsider.email)
    page.goto(live_server + places["published"])
    page.get_by_role("link", name="Reply to Ava Author").click()
    page.get_by_role("button", name="Post reply").click()
    assert_errors(page, "Enter your comment")


def test_reply(page, live_server, world, places):
    sign_in(page, live_server, world.people.outsider.email)
    page.goto(live_server + places["published"])
    page.get_by_role("link", name="Reply to Ava Author").click()
    page.get_by_label("Your reply to Ava Author").fill("How often did you recalibrate?")
    page.get_by_role("button", name="Post reply").click()
    expect(flash(page)).to_contain_text("Your reply has been posted.")
    expect(page.locator("#discussion")).to_contain_text("How often did you recalibrate?")


def test_edit_comment_errors(page, live_server, world, places):
    sign_in(page, live_server, world.people.author.email)
    page.goto(live_server + f"/comments/{places['comment_id']}/edit")
    page.get_by_label("Your comment").fill("")
    page.get_by_role("button", name="Save changes").click()
    assert_errors(page, "Enter your comment")


def test_edit_comment(page, live_server, world, places):
    sign_in(page, live_server, world.people.author.email)
    page.goto(live_server + places["published"])
    page.get_by_role("link", name="Edit your comment").click()
    expect(page.get_by_label("Your comment")).to_have_value("We would do this again.")
    page.get_by_label("Your comment").fill("We would do this again, with better sensors.")
    page.get_by_role("button", name="Save changes").click()
    expect(flash(page)).to_contain_text("Your comment has been updated.")
    expect(page.locator("#discussion")).to_contain_text("with better sensors")


def test_delete_comment(page, live_server, world, places):
    sign_in(page, live_server, world.people.author.email)
    page.goto(live_server + places["published"])
    # Deleting cannot be undone: the link opens a page that asks first.
    page.get_by_role("link", name="Delete your comment").click()
    expect(page).to_have_url(re.compile(rf"/comments/{places['comment_id']}/delete$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Are you sure you want to delete your comment?"
    )
    expect(page.locator("#main-content blockquote")).to_contain_text("We would do this again.")
    expect(page.get_by_role("link", name="No, keep it")).to_be_visible()
    delete = page.get_by_role("button", name="Yes, delete my comment")
    expect(delete).to_have_class(re.compile(r"\bgovuk-button--warning\b"))
    delete.click()
    expect(flash(page)).to_contain_text("Your comment has been deleted.")
    expect(page.locator("#discussion")).not_to_contain_text("We would do this again.")


def test_report_errors(page, live_server, world, places):
    sign_in(page, live_server, world.people.outsider.email)
    page.goto(live_server + f"/reports/new?target=comment:{places['comment_id']}")
    page.get_by_role("button", name="Send report").click()
    assert_errors(page, "Choose why you are reporting this")
    page.get_by_label("Something else").check()
    page.get_by_role("button", name="Send report").click()
    assert_errors(page, "Tell the moderators what is wrong")
    expect(page.get_by_label("Something else")).to_be_checked()


def test_report(page, live_server, world, places):
    sign_in(page, live_server, world.people.outsider.email)
    page.goto(live_server + places["published"])
    page.get_by_role("link", name="Report this comment by Ava Author").click()
    page.get_by_label("Spam or advertising").check()
    page.get_by_role("button", name="Send report").click()
    expect(flash(page)).to_contain_text("Thank you. A moderator will look at your report.")


# Moderation.


def test_moderation_decision_errors(page, live_server, world, places):
    sign_in(page, live_server, world.people.moderator.email)
    page.goto(live_server + f"/moderation/studies/{places['submitted_id']}")
    page.get_by_role("button", name="Save decision").click()
    assert_errors(page, "Select whether to approve, request changes or reject")
    page.get_by_role("radio", name="Reject").check()
    page.get_by_role("button", name="Save decision").click()
    assert_errors(page, "Enter why it is rejected")
    expect(page.get_by_role("radio", name="Reject")).to_be_checked()


def test_moderation_decision(page, live_server, world, places):
    sign_in(page, live_server, world.people.moderator.email)
    page.goto(live_server + f"/moderation/studies/{places['submitted_id']}")
    page.get_by_role("radio", name="Reject").check()
    # Without JavaScript every note is shown; the one for the chosen decision is used.
    page.get_by_label("Why is it rejected?").fill("A duplicate of an earlier study.")
    page.get_by_role("button", name="Save decision").click()
    # Back to the queue, where the banner names the decision and the study.
    expect(page).to_have_url(re.compile(r"/moderation$"))
    expect(flash(page)).to_contain_text(
        "You rejected “Library chatbot”. The author has been told why."
    )


def test_unpublish_errors(page, live_server, world, places):
    sign_in(page, live_server, world.people.moderator.email)
    page.goto(live_server + places["published"])
    page.get_by_role("button", name="Unpublish").click()
    # The form sits on the study's page; with a problem in it, its own page shows the problem.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Take “Parking sensors that drifted” off the board"
    )
    assert_errors(page, "Enter why you are taking it off the board")
    too_long = "Out of date. " * 400  # over the 5,000 characters a reason may have
    page.get_by_label("Why are you taking it off the board?").fill(too_long)
    page.get_by_role("button", name="Unpublish").click()
    assert_errors(page, "Keep the reason to 5,000 characters or fewer")
    expect(page.get_by_label("Why are you taking it off the board?")).to_have_value(
        too_long.strip()
    )


def test_unpublish(page, live_server, world, places):
    sign_in(page, live_server, world.people.moderator.email)
    page.goto(live_server + places["published"])
    page.get_by_label("Why are you taking it off the board?").fill("Out of date.")
    page.get_by_role("button", name="Unpublish").click()
    expect(flash(page)).to_contain_text(
        "You took “Parking sensors that drifted” off the board. The author has been told why."
    )
    page.goto(live_server + "/")
    expect(page.locator("#results")).not_to_contain_text("Parking sensors that drifted")


def test_hide_comment_errors(page, live_server, world, places):
    sign_in(page, live_server, world.people.moderator.email)
    page.goto(live_server + f"/moderation/comments/{places['comment_id']}/hide")
    page.get_by_role("button", name="Hide comment").click()
    assert_errors(page, "Enter a reason")


def test_hide_comment(page, live_server, world, places):
    sign_in(page, live_server, world.people.moderator.email)
    page.goto(live_server + f"/moderation/comments/{places['comment_id']}/hide")
    page.get_by_label("Reason for hiding it (its author sees this)").fill("Names a resident.")
    page.get_by_role("button", name="Hide comment").click()
    expect(flash(page)).to_contain_text("Comment hidden; its author has been told why.")
    # Moderators still read a hidden comment; everyone else does not.
    page.get_by_role("button", name="Sign out").click()
    page.goto(live_server + places["published"])
    expect(page.locator("#discussion")).not_to_contain_text("We would do this again.")


def hide(app, world, places) -> None:
    with app.test_request_context():
        discussion.hide_comment(
            db.session.get(Comment, places["comment_id"]),
            db.session.get(User, world.people.moderator.id),
            "Names a resident.",
        )
        db.session.commit()


def test_restore_comment_errors(app, page, live_server, world, places):
    hide(app, world, places)
    sign_in(page, live_server, world.people.moderator.email)
    page.goto(live_server + f"/moderation/comments/{places['comment_id']}/restore")
    page.get_by_role("button", name="Restore comment").click()
    assert_errors(page, "Enter a reason")


def test_restore_comment(app, page, live_server, world, places):
    hide(app, world, places)
    sign_in(page, live_server, world.people.moderator.email)
    page.goto(live_server + f"/moderation/comments/{places['comment_id']}/restore")
    page.get_by_label("Reason for restoring it (its author sees this)").fill(
        "It was a public figure."
    )
    page.get_by_role("button", name="Restore comment").click()
    expect(flash(page)).to_contain_text("Comment restored; its author has been told.")
    # Everyone reads it again.
    page.get_by_role("button", name="Sign out").click()
    page.goto(live_server + places["published"])
    expect(page.locator("#discussion")).to_contain_text("We would do this again.")


def test_resolve_report(page, live_server, world, places):
    sign_in(page, live_server, world.people.moderator.email)
    page.goto(live_server + "/moderation/reports")
    page.get_by_role("button", name="Mark as resolved").first.click()
    expect(flash(page)).to_contain_text("Report resolved.")


def test_verify_member(app, page, live_server, world):
    with app.app_context():
        waiting = make_user(None, verified=False, name="Wendy Waiting")
        waiting.email_confirmed_at = utcnow()
        db.session.commit()
    sign_in(page, live_server, world.people.moderator.email)
    page.goto(live_server + "/moderation/members")
    verify = page.get_by_role("button", name="Verify Wendy Waiting")
    form = page.locator("form").filter(has=verify)
    form.get_by_label("Council").select_option(label="Hereshire Council")
    verify.click()
    expect(flash(page)).to_contain_text("Wendy Waiting is now a verified member of Hereshire")


def test_useful(page, live_server, world, places):
    sign_in(page, live_server, world.people.outsider.email)
    page.goto(live_server + places["published"])
    # A toggle button: its label stays the same and aria-pressed says whether it is on.
    expect(page.get_by_role("button", name="Mark as useful", pressed=False)).to_be_visible()
    page.get_by_role("button", name="Mark as useful").click()
    expect(flash(page)).to_contain_text("Marked as useful.")
    expect(page.get_by_role("button", name="Mark as useful", pressed=True)).to_be_visible()
    expect(page.locator("#useful-count")).to_have_text("1 member found this useful, including you.")


def test_tried_too(page, live_server, world, places):
    sign_in(page, live_server, world.people.outsider.email)
    page.goto(live_server + places["published"])
    page.get_by_role("button", name="We tried this too").click()
    expect(flash(page)).to_contain_text("your council is listed as having tried this too")
    expect(page.locator("#reactions")).to_contain_text("Thereshire Council")
