"""A member follows a topic from its page with the keyboard (htmx swaps the control, focus stays
on it and the change is announced), saves a view of the board as a search, finds both on
/account/following and chooses a daily digest."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from board.extensions import db
from tests.browser.signing_in import sign_in
from tests.factories import make_council, make_study, make_user

NARROWEST = 320


def _board(app) -> None:
    with app.app_context():
        council = make_council("Conwy County Borough Council", domain="conwy.gov.uk")
        make_user(council, email="gwen@conwy.gov.uk", name="Gwen Roberts")
        for number in range(3):
            make_study(council, title=f"Phishing drill {number}", topics=["cyber-security"])
        db.session.commit()


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_a_member_follows_a_topic_and_a_search(app, page, live_server, assert_accessible):
    _board(app)
    sign_in(page, live_server, "gwen@conwy.gov.uk")

    # On the topic's page, with the keyboard alone: Tab to the button and press Enter.
    page.goto(live_server + "/topics/cyber-security")
    page.evaluate("window.stillTheSamePage = true")
    for _ in range(60):
        page.keyboard.press("Tab")
        if _focused_id(page) == "follow-button":
            break
    expect(page.locator("#follow-button")).to_have_text("Follow this topic")
    page.keyboard.press("Enter")
    expect(page.locator("#follow-button")).to_have_text("Unfollow this topic")
    expect(page.locator("#follow-control")).to_contain_text("You are following this topic.")
    expect(page.locator("#app-announcer")).to_contain_text("You are following Cyber security.")
    # Swapped in place: the same page, and focus on the new button.
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.locator("#follow-button")).to_be_focused()
    assert_accessible(page)

    # From the board, filtered to what did not work: save it as a search.
    page.goto(live_server + "/?outcome=did-not-work")
    page.get_by_role("link", name="Get emails about this search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get emails about this search")
    expect(page.locator(".app-search-description")).to_contain_text("Outcome: Did not work")
    name = page.get_by_label("Name this search")
    expect(name).to_have_value("Did not work")
    assert_accessible(page)
    name.fill("Failures to learn from")
    page.get_by_role("button", name="Follow this search").click()

    # Both are listed, each with a link and a button to unfollow.
    expect(page).to_have_url(re.compile(r"/account/following$"))
    expect(page.get_by_role("alert")).to_contain_text("You are following “Failures to learn from”")
    expect(page.get_by_role("link", name="Cyber security", exact=True)).to_have_attribute(
        "href", "/topics/cyber-security"
    )
    expect(page.get_by_role("link", name="Failures to learn from")).to_have_attribute(
        "href", "/?outcome=did-not-work"
    )
    expect(page.get_by_role("button", name="Unfollow Cyber security")).to_be_visible()
    expect(page.get_by_role("button", name="Unfollow Failures to learn from")).to_be_visible()

    # A daily digest.
    expect(page.get_by_label("Weekly")).to_be_checked()
    page.get_by_label("Daily").check()
    page.get_by_role("button", name="Save digest choice").click()
    expect(page.get_by_role("alert")).to_contain_text("You will get a daily digest email")
    expect(page.get_by_label("Daily")).to_be_checked()

    # The page on the narrowest screen: nothing wider than it, and axe finds nothing.
    page.set_viewport_size({"width": NARROWEST, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROWEST
    assert_accessible(page)


def test_a_long_search_word_fits_the_narrowest_screen(app, page, live_server):
    """Search words without a space in them (a pasted reference, say) wrap on the page that
    saves the search, rather than making it wider than a phone."""
    _board(app)
    sign_in(page, live_server, "gwen@conwy.gov.uk")
    page.set_viewport_size({"width": NARROWEST, "height": 800})
    page.goto(live_server + "/account/following/search?q=" + "x" * 80)
    expect(page.locator(".app-search-description")).to_contain_text("x" * 80)
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROWEST
    # Saved under a name without a space: the message saying so wraps too.
    page.get_by_label("Name this search").fill("z" * 120)
    page.get_by_role("button", name="Follow this search").click()
    expect(page.get_by_role("alert")).to_contain_text("z" * 120)
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROWEST
