"""The board with a keyboard alone: filter, turn the page, open a study."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_board_layout import RESULTS, listing  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("listing")


def active(page, expression: str = "document.activeElement.id"):
    return page.evaluate(expression)


def tab_until(page, expression: str, presses: int = 200) -> None:
    """Press Tab until ``expression`` (about document.activeElement) is true."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(expression):
            return
    raise AssertionError(f"Tab never reached {expression}")


def test_filter_page_and_open_a_study_with_the_keyboard(
    page,
    live_server,
    assert_accessible,
):
    page.goto(live_server + "/")
    expect(page.locator(RESULTS)).to_have_count(20)
    page.evaluate("window.stillTheSamePage = true")

    # Tab to the outcome filter and step to "Did not work" with the arrow keys.
    tab_until(page, "document.activeElement.id === 'outcome'")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Outcome")).to_have_value("did-not-work")
    expect(page).to_have_url(re.compile(r"outcome=did-not-work"))
    expect(page.locator("#results-heading")).to_have_text("45 case studies, page 1 of 3")
    expect(page.locator("#result-status")).to_have_text("45 case studies")
    assert active(page) == "outcome"
    assert page.evaluate("window.stillTheSamePage") is True

    # On to the next page, with Enter: focus lands on the results' heading.
    tab_until(page, "document.activeElement.getAttribute('rel') === 'next'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"outcome=did-not-work&page=2"))
    expect(page.locator("#results-heading")).to_have_text("45 case studies, page 2 of 3")
    assert active(page) == "results-heading"
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)

    # From the heading, Tab reaches the first study on this page; Enter opens it.
    first_title = page.locator(RESULTS).first.inner_text()
    tab_until(page, "document.activeElement.closest('.app-study-card__title') !== null", 10)
    assert active(page, "document.activeElement.textContent.trim()") == first_title
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/studies/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(first_title)
    # A new page: focus is at its top, and the next Tab is the skip link.
    assert active(page, "document.activeElement === document.body")
    page.keyboard.press("Tab")
    assert active(page, "document.activeElement.classList.contains('govuk-skip-link')")
