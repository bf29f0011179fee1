"""The board on a phone, with and without JavaScript; its title, its live region and where
focus goes after each kind of update; a <select> that waits for a settled choice."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from board.extensions import db
from board.models import Outcome, Role, Visibility
from tests.browser.signing_in import sign_in
from tests.factories import make_council, make_study, make_user

RESULTS = "#results .app-study-card__title"
PHONE_HEIGHT = 667


@pytest.fixture
def listing(app):
    """45 failed cyber experiments (three pages), a few others, one of them members only."""
    with app.app_context():
        council = make_council("Derry City and Strabane District Council", domain="derry.gov.uk")
        for number in range(45):
            make_study(
                council,
                title=f"Phishing drill number {number} that backfired",
                summary="Staff felt tricked and stopped reporting real phishing emails.",
                topics=["cyber-security", "digital-in-social-care"],
                outcome=Outcome.DID_NOT_WORK,
            )
        make_study(council, title="Library laptop loans", outcome=Outcome.WORKED)
        make_study(
            council,
            title="Ransomware near miss",
            topics=["cyber-security"],
            outcome=Outcome.WORKED,
            visibility=Visibility.MEMBERS,
        )
        make_user(council, email="member@derry.gov.uk")
        make_user(council, role=Role.MODERATOR, email="moderator@derry.gov.uk")
        make_user(None, verified=False, email="unverified@example.org")
        db.session.commit()


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("who", ["visitor", "member", "moderator"])
def test_on_a_phone_the_results_come_first_and_nothing_scrolls_sideways(
    page, live_server, listing, assert_accessible, who
):
    if who != "visitor":
        sign_in(page, live_server, f"{who}@derry.gov.uk")
    for width in (375, 320):
        page.set_viewport_size({"width": width, "height": PHONE_HEIGHT})
        for path in (
            "/",
            "/topics/cyber-security",
            "/councils/derry-city-and-strabane-district-council",
        ):
            page.goto(live_server + path)
            # The filters wait behind a button; the first result is on the first screen.
            show = page.get_by_role("button", name="Show filter")
            expect(show).to_be_visible()
            expect(show).to_have_attribute("aria-expanded", "false")
            expect(page.get_by_label("Outcome")).to_be_hidden()
            first = page.locator(RESULTS).first
            expect(first).to_be_visible()
            box = first.bounding_box()
            assert box["y"] + box["height"] <= PHONE_HEIGHT, (width, path, box)
            assert scroll_width(page) <= width, (width, path)
            if width == 320:
                assert_accessible(page)

        # The filters open over the page, work there, and close back to their button.
        page.goto(live_server + "/")
        page.get_by_role("button", name="Show filter").click()
        outcome = page.get_by_label("Outcome")
        expect(outcome).to_be_visible()
        assert scroll_width(page) <= width
        assert_accessible(page)
        outcome.select_option("worked")
        expect(page.locator("#result-status")).to_have_text(
            "2 case studies" if who != "visitor" else "1 case study"
        )
        page.get_by_role("button", name="Close").click()
        expect(outcome).to_be_hidden()
        expect(page.get_by_role("button", name="Show filter")).to_be_focused()
        expect(page.locator(RESULTS).first).to_have_text("Library laptop loans")
        assert scroll_width(page) <= width

        # "Apply filters" closes the panel and takes the person to the results.
        page.get_by_role("button", name="Show filter").click()
        outcome.select_option("did-not-work")
        expect(page.locator("#result-status")).to_have_text("45 case studies")
        page.get_by_role("button", name="Apply filters").click()
        expect(outcome).to_be_hidden()
        expect(page.locator("#results-heading")).to_be_focused()
        expect(page.locator("#results-heading")).to_have_text("45 case studies, page 1 of 3")
        expect(page.get_by_role("button", name="Show filter")).to_have_attribute(
            "aria-expanded", "false"
        )


def test_without_javascript_a_phone_can_skip_the_filters_and_still_filter(
    browser, live_server, listing
):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": PHONE_HEIGHT}
    )
    try:
        page = context.new_page()
        page.goto(live_server + "/")
        # No button to show the filters without JavaScript: they are on the page, with a link
        # past them to the results.
        expect(page.get_by_role("button", name="Show filter")).to_have_count(0)
        expect(page.get_by_label("Outcome")).to_be_visible()
        skip = page.get_by_role("link", name="Skip to the results")
        expect(skip).to_be_visible()
        assert scroll_width(page) <= 320
        skip.click()
        expect(page).to_have_url(re.compile("#results-heading$"))
        expect(page.locator("#results-heading")).to_be_in_viewport()

        # The plain GET form filters; the filter links are plain links.
        page.get_by_label("Outcome").select_option("worked")
        page.get_by_role("button", name="Apply filters").click()
        expect(page).to_have_url(re.compile(r"outcome=worked"))
        expect(page.locator(RESULTS)).to_have_text(["Library laptop loans"])
        assert page.title() == "Worked \N{EN DASH} Case studies \N{EN DASH} Case Board"
        page.get_by_role("link", name="Clear all filters").click()
        expect(page.locator(RESULTS)).to_have_count(20)
        assert scroll_width(page) <= 320
    finally:
        context.close()


def test_the_title_says_what_is_shown_on_a_full_page_and_after_each_update(
    page, live_server, listing, assert_accessible
):
    dash = " \N{EN DASH} "
    page.goto(live_server + "/?topic=cyber-security&outcome=did-not-work&page=2")
    expect(page).to_have_title(
        f"Did not work, Cyber security (page 2 of 3){dash}Case studies{dash}Case Board"
    )

    # The form changes the results only; their <title> comes with them.
    page.get_by_label("Outcome").select_option("worked")
    expect(page).to_have_title(f"Worked, Cyber security{dash}Case studies{dash}Case Board")
    assert (
        page.evaluate("document.title")
        == f"Worked, Cyber security{dash}Case studies{dash}Case Board"
    )
    assert page.locator("title").count() == 1

    # A filter link redraws the whole board, title included.
    page.get_by_role("link", name="Remove filter Outcome: Worked").click()
    expect(page).to_have_title(f"Cyber security (page 1 of 3){dash}Case studies{dash}Case Board")

    # So does a page link.
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_title(f"Cyber security (page 2 of 3){dash}Case studies{dash}Case Board")
    expect(page).to_have_url(re.compile(r"page=2"))
    assert_accessible(page)

    # A topic page says which topic.
    page.goto(live_server + "/topics/cyber-security?outcome=worked")
    expect(page).to_have_title(f"Worked{dash}Cyber security{dash}Case Board")
    page.get_by_label("Outcome").select_option("")
    expect(page).to_have_title(f"Cyber security (page 1 of 3){dash}Case Board")


def test_stepping_through_a_select_with_the_arrow_keys_sends_one_request(
    page, live_server, listing
):
    page.goto(live_server + "/")
    expect(page.locator(RESULTS)).to_have_count(20)
    sent: list[str] = []
    page.on(
        "request",
        lambda request: request.headers.get("hx-request") == "true" and sent.append(request.url),
    )
    outcome = page.get_by_label("Outcome")
    outcome.focus()
    # Two quick steps: "Worked", then "Partly worked".
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(outcome).to_have_value("partly-worked")
    expect(page).to_have_url(re.compile(r"outcome=partly-worked"))
    expect(page.get_by_role("heading", name="0 case studies")).to_be_visible()
    page.wait_for_timeout(1_000)
    assert len(sent) == 1, sent
    assert "outcome=partly-worked" in sent[0]
    # Focus stayed where the person was.
    assert page.evaluate("document.activeElement.id") == "outcome"

    # A tick box answers at once, on its own.
    page.get_by_label("Data and research").check()
    expect(page).to_have_url(re.compile(r"topic=data-and-research"))
    page.wait_for_timeout(700)
    assert len(sent) == 2, sent


def test_focus_and_announcements_after_each_kind_of_update(
    page, live_server, listing, assert_accessible
):
    page.goto(live_server + "/")
    status = page.locator("#result-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("")
    # The same live region all along: marked now, checked after each update.
    page.evaluate("window.statusAtLoad = document.getElementById('result-status')")

    def same_status_region() -> bool:
        return page.evaluate(
            "document.getElementById('result-status') === window.statusAtLoad"
            " && document.querySelectorAll('#result-status').length === 1"
        )

    # Changing a filter: focus stays on it, the new count is announced.
    outcome = page.get_by_label("Outcome")
    outcome.focus()
    outcome.select_option("did-not-work")
    expect(status).to_have_text("45 case studies")
    expect(page.locator("#results-heading")).to_have_text("45 case studies, page 1 of 3")
    assert page.evaluate("document.activeElement.id") == "outcome"
    assert same_status_region()
    page.get_by_label("Cyber security").check()
    expect(page.locator("#results-heading")).to_have_text(re.compile("^45 case studies"))
    assert page.evaluate("document.activeElement.id") == "topic-cyber-security"
    assert same_status_region()
    assert_accessible(page)
    # On a wide screen "Apply filters" leaves focus on itself, beside the results.
    with page.expect_response(lambda response: response.request.headers.get("hx-request")):
        page.get_by_role("button", name="Apply filters").click()
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.textContent.trim()") == "Apply filters"
    expect(status).to_have_text("45 case studies")

    # A page link: the link is gone, so focus goes to the results' heading, which says where
    # we are; the live region is emptied rather than saying it twice.
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("#results-heading")).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "results-heading"
    expect(page.locator("#results-heading")).to_have_text("45 case studies, page 2 of 3")
    expect(status).to_have_text("")
    assert same_status_region()
    assert_accessible(page)

    # A filter link redraws the whole board: focus on the heading again.
    page.get_by_role("link", name="Remove filter Topic: Cyber security").click()
    expect(page).not_to_have_url(re.compile(r"topic="))
    expect(page.locator("#results-heading")).to_be_focused()
    expect(page.locator("#results-heading")).to_have_text("45 case studies, page 1 of 3")
    assert same_status_region()
    page.get_by_role("link", name="Clear all filters").click()
    expect(page.locator("#results-heading")).to_have_text("46 case studies, page 1 of 3")
    expect(page.locator("#results-heading")).to_be_focused()
    assert same_status_region()
    assert_accessible(page)
