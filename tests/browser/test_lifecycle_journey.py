"""A council writes up a failed experiment and a moderator reviews it, in a real browser."""

import re

from playwright.sync_api import expect

from board.extensions import db
from board.models import Role
from tests.browser.signing_in import sign_in, sign_out
from tests.factories import make_council, make_user


def test_failed_experiment_from_draft_to_board(app, page, live_server, assert_accessible):
    with app.app_context():
        here = make_council("Newcastle City Council", domain="newcastle.gov.uk")
        there = make_council("Belfast City Council", domain="belfastcity.gov.uk")
        make_user(here, email="sam.officer@newcastle.gov.uk", name="Sam Officer")
        make_user(there, role=Role.MODERATOR, email="mo@belfastcity.gov.uk", name="Mo Derator")
        db.session.commit()

    # A member writes up an experiment that did not work, and submits it.
    sign_in(page, live_server, "sam.officer@newcastle.gov.uk")
    page.get_by_role("link", name="Your council's studies").click()
    assert_accessible(page)
    # The page's own link, a Design System button (the header's Service navigation offers the
    # same link).
    page.locator("#main-content").get_by_role("button", name="Write up an experiment").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Parking app nobody downloaded")
    page.get_by_label("Summary").fill("A resident parking app reached 2% take-up in a year.")
    page.get_by_label("Smart places technology").check()
    page.get_by_label("Did not work").check()
    page.get_by_label("What we tried").fill("We bought an app and **advertised** it on buses.")
    page.get_by_role("button", name="Submit for review").click()
    # What we learned is required to submit: the error says so, and nothing typed is lost.
    expect(page.get_by_role("alert")).to_contain_text("Enter what you learned")
    expect(page.get_by_label("What we tried")).to_have_value(
        "We bought an app and **advertised** it on buses."
    )
    assert_accessible(page)
    page.get_by_role("link", name="Enter what you learned").click()
    expect(page.get_by_label("What we learned")).to_be_focused()
    page.get_by_label("What we learned").fill("Residents wanted to pay by text, not another app.")
    page.get_by_role("button", name="Preview").click()
    # The preview is the study as published; its outcome tag is a <strong> too.
    expect(page.locator("#preview .app-prose strong")).to_have_text("advertised")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("heading", name="Status: Waiting for review")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # A moderator opens it from the queue, reads it in full and asks for changes; a missing
    # note is an error that keeps the choice.
    sign_in(page, live_server, "mo@belfastcity.gov.uk")
    page.get_by_role("link", name="Moderation", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Parking app nobody downloaded").click()
    expect(page.get_by_role("heading", name="What we tried")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Request changes").check()
    expect(page.get_by_label("What should the author change?")).to_be_visible()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("link", name="Enter what the author should change")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What should the author change?").fill("Please add what it cost.")
    page.get_by_role("button", name="Save decision").click()
    # Back in the queue, the success banner has focus and says what was decided about which.
    banner = page.get_by_role("alert").filter(has_text="You asked for changes")
    expect(banner).to_contain_text("You asked for changes to “Parking app nobody downloaded”")
    expect(banner).to_be_focused()
    sign_out(page)

    # The author sees why, edits and resubmits.
    sign_in(page, live_server, "sam.officer@newcastle.gov.uk")
    page.get_by_role("link", name=re.compile("Notifications")).click()
    expect(page.get_by_text("Please add what it cost.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Changes requested")).click()
    expect(page.get_by_text("A moderator asked for changes")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("£10,000 to £50,000").check()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("heading", name="Status: Waiting for review")).to_be_visible()
    sign_out(page)

    # The moderator approves it from the review page.
    sign_in(page, live_server, "mo@belfastcity.gov.uk")
    page.get_by_role("link", name="Moderation", exact=True).click()
    page.get_by_role("link", name="Parking app nobody downloaded").click()
    page.get_by_label("Approve and publish").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "You approved “Parking app nobody downloaded”. It is now published on the board."
    )
    expect(page.get_by_text("Nothing is waiting for review.")).to_be_visible()
    page.get_by_role("link", name="Moderation log").click()
    expect(page.get_by_role("cell", name="Asked for changes")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # A visitor finds it on the board.
    page.goto(live_server + "/")
    page.get_by_role("link", name="Parking app nobody downloaded").click()
    expect(page.get_by_role("heading", name="What we learned")).to_be_visible()
    expect(page.get_by_text("£10,000 to £50,000")).to_be_visible()
    assert_accessible(page)
