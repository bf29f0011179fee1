"""The moderation pages at 320 CSS px: nothing scrolls sideways, and axe finds nothing."""

from playwright.sync_api import expect

from board.extensions import db
from board.models import Role, Status
from tests.browser.test_lifecycle_journey import sign_in
from tests.factories import make_comment, make_council, make_report, make_study, make_user


def test_moderation_pages_fit_320_px(app, page, live_server, assert_accessible):
    with app.app_context():
        here = make_council("Newcastle City Council", domain="newcastle.gov.uk")
        there = make_council("Belfast City Council", domain="belfastcity.gov.uk")
        study = make_study(
            here,
            status=Status.SUBMITTED,
            title="A study with a reasonably long title about parking permits",
        )
        make_user(there, role=Role.MODERATOR, email="mo@belfastcity.gov.uk", name="Mo Derator")
        # Content on every page: a reported comment, a published study, someone waiting.
        published = make_study(here, title="Telecare for families who had no smartphones")
        comment = make_comment(published.id, make_user(here), "Rude *and* off topic " * 5)
        make_report(make_user(there), comment, details="It insults a named officer. " * 4)
        make_user(
            None,
            email="a.very.long.address.for.a.parish.clerk@somewhere-parish-council.org.uk",
            name="Pat Waiting",
        )
        db.session.commit()
        study_id, published_id = study.id, published.id
    sign_in(page, live_server, "mo@belfastcity.gov.uk")
    # After signing in: at 320 px the header's links sit behind its Menu button.
    page.set_viewport_size({"width": 320, "height": 800})
    # A decision, so that the log has a row.
    page.goto(f"{live_server}/moderation/studies/{study_id}")
    page.get_by_role("radio", name="Reject").check()
    page.get_by_label("Why is it rejected?").fill("A duplicate of an earlier study.")
    page.get_by_role("button", name="Save decision").click()
    for path in [
        "/moderation",
        f"/moderation/studies/{study_id}",
        "/moderation/reports",
        "/moderation/members",
        "/moderation/log",
        f"/studies/{published_id}",
    ]:
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide at 320 px"
        assert_accessible(page)

    # The unpublish form's page, with its problem, at 320 px too.
    page.goto(f"{live_server}/studies/{published_id}")
    page.get_by_role("button", name="Unpublish").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the unpublish page is {width} px wide at 320 px"
    assert_accessible(page)
