"""Six months on: a council tells the board what happened next, with a change of outcome; a
moderator from another council approves it from the queue; the study shows it on its
timeline. In a real browser, with axe on the form and the review page."""

from datetime import date, timedelta

from playwright.sync_api import expect

from board.extensions import db
from board.models import Outcome, Role
from board.models.base import utcnow
from tests.browser.signing_in import sign_in, sign_out
from tests.factories import make_council, make_study, make_user


def test_an_update_from_the_council_to_the_timeline(app, page, live_server, assert_accessible):
    with app.app_context():
        here = make_council("Newcastle City Council", domain="newcastle.gov.uk")
        there = make_council("Belfast City Council", domain="belfastcity.gov.uk")
        author = make_user(here, email="sam.officer@newcastle.gov.uk", name="Sam Officer")
        make_user(there, role=Role.MODERATOR, email="mo@belfastcity.gov.uk", name="Mo Derator")
        study = make_study(
            here,
            author,
            title="Smart parking sensors pilot",
            outcome=Outcome.ONGOING,
            published_at=utcnow() - timedelta(days=200),
        )
        db.session.commit()
        study_path = f"/studies/{study.id}/{study.slug}"
    last_month = date.today().replace(day=1) - timedelta(days=1)

    # A member of the study's council adds an update from the study's page.
    sign_in(page, live_server, "sam.officer@newcastle.gov.uk")
    page.goto(live_server + study_path)
    page.get_by_role("button", name="Add an update").click()
    expect(page.get_by_role("heading", name="Add an update")).to_be_visible()
    assert_accessible(page)
    # Nothing typed yet: the errors are summarised and beside the field, and the text is kept.
    page.get_by_label("Month").fill(str(last_month.month))
    page.get_by_label("Year").fill(str(last_month.year))
    page.get_by_label("Did not work").check()
    page.get_by_role("button", name="Submit update for review").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter what happened next")
    expect(page.get_by_label("Month")).to_have_value(str(last_month.month))
    expect(page.get_by_label("Did not work")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("What happened next").fill(
        "We switched the sensors off: **a third** failed in the first frost."
    )
    page.get_by_role("button", name="Submit update for review").click()
    expect(page.get_by_text("Your update is submitted")).to_be_visible()
    expect(page.locator("#open-update")).to_contain_text("Waiting for review")
    sign_out(page)

    # A moderator from another council opens it from the queue and approves it.
    sign_in(page, live_server, "mo@belfastcity.gov.uk")
    page.get_by_role("link", name="Moderation", exact=True).click()
    page.get_by_role("link", name="Update: Smart parking sensors pilot").click()
    expect(page.locator("#update-body strong")).to_have_text("a third")
    expect(page.get_by_text("Change of outcome")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Approve and add it to the timeline").check()
    page.get_by_role("button", name="Save decision").click()
    banner = page.get_by_role("alert").filter(has_text="You approved the update")
    expect(banner).to_contain_text("Smart parking sensors pilot")
    assert_accessible(page)
    sign_out(page)

    # Anyone reading the study sees what happened next and the outcome history.
    page.goto(live_server + study_path)
    timeline = page.locator("#updates")
    expect(timeline.get_by_role("heading", name="What happened next")).to_be_visible()
    expect(timeline).to_contain_text("Outcome changed from Ongoing to Did not work")
    expect(timeline.locator("strong", has_text="a third")).to_be_visible()
    expect(page.locator("#outcome-history")).to_contain_text("Did not work from")
    assert_accessible(page)
    # The board marks it as recently updated, and sorts it first by "Recently updated".
    page.goto(live_server + "/?sort=updated")
    first = page.locator(".app-study-card").first
    expect(first).to_contain_text("Smart parking sensors pilot")
    expect(first.locator(".app-study-card__updated")).to_contain_text("Updated")
