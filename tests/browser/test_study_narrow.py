"""The study page and every state of its discussion on a 320 px wide screen, for a visitor, a
member and a moderator: no sideways scrolling and nothing axe objects to, after each swap too.
Also how a study prints, and deleting a comment after being asked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from board.extensions import db
from board.models import Role
from tests.browser.test_lifecycle_journey import sign_in
from tests.factories import make_comment, make_council, make_study, make_user

LONG_TITLE = (
    "Replacing every paper form for residents' parking permits, blue badges and bulky waste "
    "collections with one online account, and what happened when we switched the forms off"
)


@pytest.fixture
def places(app):
    with app.app_context():
        here = make_council("Gwynedd Council", domain="gwynedd.llyw.cymru")
        there = make_council("Fife Council", domain="fife.gov.uk")
        ailsa = make_user(there, email="ailsa@fife.gov.uk", name="Ailsa Reid")
        make_user(there, email="rory@fife.gov.uk", name="Rory Bell")
        make_user(there, role=Role.MODERATOR, email="mo@fife.gov.uk", name="Mo Derator")
        study = make_study(
            here,
            title="Telecare app for families",
            topics=["digital-in-social-care", "data-and-research"],
            what_we_tried="See https://example.org/a-very-long-address/that-does-not-break/ever",
        )
        quiet = make_study(here, title="A study nobody has discussed")
        # Fife's own write-ups, offered as "link to your council's write-up": long titles.
        make_study(there, author=ailsa, title=LONG_TITLE)
        make_study(there, author=ailsa, title="Smart bins " + "and sensors " * 12)
        make_comment(study.id, ailsa, "Did families **without smartphones** get anything?")
        db.session.commit()
        return {
            "study": f"/studies/{study.id}/{study.slug}",
            "quiet": f"/studies/{quiet.id}/{quiet.slug}",
        }


def assert_fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the page is {width} px wide at 320 px: it scrolls sideways"


def check(page, assert_accessible) -> None:
    assert_fits(page)
    assert_accessible(page)


def test_a_visitor_reads_a_study_at_320_px(page, live_server, places, assert_accessible):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(live_server + places["study"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Telecare app for families")
    check(page, assert_accessible)
    # The facts link to the council's and each topic's page.
    page.get_by_role("link", name="Digital in social care and shielding vulnerable people").click()
    expect(page).to_have_url(live_server + "/topics/digital-in-social-care")
    page.go_back()
    page.get_by_role("link", name="Gwynedd Council").click()
    expect(page).to_have_url(live_server + "/councils/gwynedd-council")


def test_every_discussion_state_of_a_member_at_320_px(
    page, live_server, places, assert_accessible, expected_error_statuses
):
    expected_error_statuses.add(422)  # a form with a problem comes back with it, on purpose
    sign_in(page, live_server, "rory@fife.gov.uk")
    page.set_viewport_size({"width": 320, "height": 700})

    # A study with no comments yet; the first comment posted in place replaces the note.
    page.goto(live_server + places["quiet"])
    expect(page.get_by_text("No comments yet.")).to_be_visible()
    check(page, assert_accessible)
    page.get_by_role("button", name="Post comment").click()  # empty: every problem, at once
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["Enter your comment"])
    check(page, assert_accessible)
    page.get_by_label("Add a comment").fill("The first word on this.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".app-comment").filter(has_text="The first word on this.")).to_be_focused()
    expect(page.get_by_text("No comments yet.")).to_be_hidden()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    check(page, assert_accessible)

    # A study that already has comments: posting adds to them, with no error in the console
    # (the page fixture fails the test on any, CSP refusals included).
    page.goto(live_server + places["study"])
    check(page, assert_accessible)
    page.get_by_label("Add a comment").fill("Another " + "verylongwordwithoutspaces" * 6)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".app-comment")).to_have_count(2)
    check(page, assert_accessible)

    page.get_by_role("link", name="Reply to Ailsa Reid").click()
    expect(page.get_by_label("Your reply to Ailsa Reid")).to_be_focused()
    check(page, assert_accessible)
    page.get_by_role("button", name="Post reply").click()  # empty again
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    check(page, assert_accessible)
    page.get_by_label("Your reply to Ailsa Reid").fill("Some did, by phone.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator(".app-comment-list--replies .app-comment")).to_be_focused()
    check(page, assert_accessible)

    page.get_by_role("button", name="Mark as useful").click()
    expect(page.locator("#useful-button")).to_have_attribute("aria-pressed", "true")
    check(page, assert_accessible)

    # The write-up list has long titles: it must not widen the page.
    select = page.get_by_label("Link to your council's write-up (optional)")
    select.select_option(label=LONG_TITLE)
    check(page, assert_accessible)
    page.get_by_role("button", name="We tried this too").click()
    expect(page.get_by_role("link", name=LONG_TITLE)).to_be_visible()
    check(page, assert_accessible)
    page.get_by_role("button", name="Remove “we tried this too”").click()
    expect(page.get_by_label("Link to your council's write-up (optional)")).to_be_visible()
    check(page, assert_accessible)

    # The report page and the delete question.
    page.get_by_role("link", name="Report this comment by Ailsa Reid").click()
    check(page, assert_accessible)
    page.get_by_role("button", name="Send report").click()
    check(page, assert_accessible)


def test_a_moderator_reads_a_study_and_its_discussion_at_320_px(
    page, live_server, places, assert_accessible
):
    sign_in(page, live_server, "mo@fife.gov.uk")
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(live_server + places["study"])
    expect(page.get_by_role("link", name="Hide this comment")).to_be_visible()
    check(page, assert_accessible)


def test_deleting_a_comment_asks_first(page, live_server, places, assert_accessible):
    sign_in(page, live_server, "ailsa@fife.gov.uk")
    page.goto(live_server + places["study"])
    page.get_by_role("link", name="Delete your comment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Are you sure you want to delete your comment?"
    )
    assert_accessible(page)
    # Changing one's mind goes back to the comment, still there.
    page.get_by_role("link", name="No, keep it").click()
    expect(page.get_by_text("Did families without smartphones get anything?")).to_be_visible()
    page.get_by_role("link", name="Delete your comment").click()
    page.get_by_role("button", name="Yes, delete my comment").click()
    expect(page.get_by_text("Your comment has been deleted.")).to_be_visible()
    expect(page.get_by_text("Did families without smartphones get anything?")).to_have_count(0)
    assert_accessible(page)


def test_a_study_prints_without_navigation_or_forms_but_with_its_address(page, live_server, places):
    sign_in(page, live_server, "rory@fife.gov.uk")
    page.goto(live_server + places["study"])
    address = page.locator("#print-details")
    expect(address).to_be_hidden()  # on screen, the address bar says it
    page.emulate_media(media="print")
    expect(address).to_be_visible()
    expect(address).to_contain_text(places["study"])
    expect(address).to_contain_text("Published")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Did families without smartphones get anything?")).to_be_visible()
    for hidden in (
        page.locator(".govuk-service-navigation__list"),
        page.locator(".govuk-footer"),
        page.locator("#comment-form"),
        page.locator("#useful-control"),
        page.get_by_role("button", name="Sign out"),
        page.get_by_role("link", name="Reply to Ailsa Reid"),
    ):
        expect(hidden).to_be_hidden()
    visible_controls = page.evaluate(
        """() => [...document.querySelectorAll('form, button, input, select, textarea')]
            .filter(el => el.offsetParent !== null && el.type !== 'hidden').length"""
    )
    assert visible_controls == 0
