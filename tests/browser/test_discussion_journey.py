"""A member comments and another replies, without a page load; a third reports the comment, a
moderator hides it, and its author sees why. In a real browser, with axe on every page."""

import re

from playwright.sync_api import expect

from board.extensions import db
from board.models import Role
from tests.browser.test_lifecycle_journey import sign_in, sign_out
from tests.factories import make_council, make_study, make_user


def test_comment_reply_report_hide(app, page, live_server, assert_accessible):
    with app.app_context():
        here = make_council("Gwynedd Council", domain="gwynedd.llyw.cymru")
        there = make_council("Fife Council", domain="fife.gov.uk")
        author = make_user(here, email="cai@gwynedd.llyw.cymru", name="Cai Jones")
        make_user(there, email="ailsa@fife.gov.uk", name="Ailsa Reid")
        make_user(there, email="rory@fife.gov.uk", name="Rory Bell")
        # From another council: a moderator never decides on their own council's work.
        make_user(there, role=Role.MODERATOR, email="mo@fife.gov.uk", name="Mo Derator")
        study = make_study(here, author, title="Telecare app for families")
        db.session.commit()
        study_path = f"/studies/{study.id}/{study.slug}"

    # Ailsa comments; the comment appears without the page loading again.
    sign_in(page, live_server, "ailsa@fife.gov.uk")
    page.goto(live_server + study_path)
    assert_accessible(page)
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Add a comment").fill("Did families **without smartphones** get anything?")
    page.get_by_role("button", name="Post comment").click()
    comment = page.locator(".app-comment").filter(has_text="Did families without smartphones")
    expect(comment).to_be_visible()
    # Focus is on the new comment, and the live region says it was posted.
    expect(comment).to_be_focused()
    expect(page.locator("#app-announcer")).to_have_text("Comment posted")
    expect(page.get_by_label("Add a comment")).to_have_value("")
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)
    sign_out(page)

    # The study's author replies, in a form that opens in place.
    sign_in(page, live_server, "cai@gwynedd.llyw.cymru")
    page.goto(live_server + study_path)
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("link", name="Reply to Ailsa Reid").click()
    page.get_by_label("Your reply to Ailsa Reid").fill("No: we now offer a landline check-in.")
    page.get_by_role("button", name="Post reply").click()
    reply = page.locator(".app-comment-list--replies .app-comment")
    expect(reply).to_contain_text("we now offer a landline")
    expect(reply).to_be_focused()
    expect(page.locator("#app-announcer")).to_have_text("Reply posted")
    # The reply form has gone, its work done.
    expect(page.get_by_label("Your reply to Ailsa Reid")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)
    sign_out(page)

    # Rory reports Ailsa's comment.
    sign_in(page, live_server, "rory@fife.gov.uk")
    page.goto(live_server + study_path)
    page.get_by_role("link", name="Report this comment by Ailsa Reid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a comment")
    assert_accessible(page)
    page.get_by_role("button", name="Send report").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["Choose why you are reporting this"])
    expect(page.locator("#reason-error")).to_contain_text("Choose why you are reporting this")
    assert_accessible(page)
    page.get_by_label("Offensive or abusive").check()
    page.get_by_label("Tell the moderators more").fill("The tone is unkind to the team.")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("A moderator will look at your report")).to_be_visible()
    sign_out(page)

    # The moderator is told, reads the report and hides the comment with a reason, which
    # resolves the report.
    sign_in(page, live_server, "mo@fife.gov.uk")
    page.get_by_role("link", name=re.compile("Notifications")).click()
    page.get_by_role("link", name=re.compile("New report: a comment")).click()
    expect(page.get_by_role("heading", name="Offensive or abusive")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason for hiding it (its author sees this)").fill(
        "Please keep questions about the work, not the team."
    )
    page.get_by_role("button", name="Hide comment").click()
    expect(page.get_by_text("Comment hidden; its author has been told why.")).to_be_visible()
    # Hiding it resolved the report (the moderator did not choose to keep it open).
    expect(page.get_by_text("No open reports.")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # Others no longer see it; its author sees it, and why it was hidden.
    page.goto(live_server + study_path)
    expect(page.get_by_text("Did families without smartphones")).to_have_count(0)
    expect(page.get_by_text("This comment was hidden by a moderator.")).to_be_visible()
    sign_in(page, live_server, "ailsa@fife.gov.uk")
    page.get_by_role("link", name=re.compile("Notifications")).click()
    page.get_by_role("link", name="A moderator hid your comment").click()
    expect(page.get_by_text("Did families without smartphones")).to_be_visible()
    expect(page.locator(".app-comment--hidden")).to_contain_text(
        "Please keep questions about the work, not the team."
    )
    assert_accessible(page)
