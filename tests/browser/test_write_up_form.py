"""The write-up form on the Design System: every error at once, error summary links that land
on the field with its label in view, character counts, and the preview."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from board.extensions import db
from tests.browser.test_lifecycle_journey import sign_in
from tests.factories import make_council, make_user

MISSING = [
    "Enter a title",
    "Enter a summary",
    "Choose at least one topic",
    "Select the outcome, including 'Did not work' if it did not",
    "Enter what you learned",
]


@pytest.fixture
def writer(app, page, live_server):
    with app.app_context():
        council = make_council("Newcastle City Council", domain="newcastle.gov.uk")
        make_user(council, email="sam.officer@newcastle.gov.uk", name="Sam Officer")
        db.session.commit()
    sign_in(page, live_server, "sam.officer@newcastle.gov.uk")
    page.goto(live_server + "/studies/new")
    return page


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    # The Design System scrolls the label to the top edge, which may land half a pixel above it.
    return box is not None and box["y"] >= -1 and box["y"] + box["height"] <= height


def test_an_empty_submit_lists_every_problem_and_each_link_finds_its_field(
    writer, assert_accessible
):
    page = writer
    page.get_by_role("button", name="Submit for review").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # the Design System's ErrorSummary moves focus to it
    expect(summary.get_by_role("link")).to_have_text(MISSING)
    assert_accessible(page)

    for link_text, field, label in [
        ("Enter what you learned", "#what_we_learned", "label[for=what_we_learned]"),
        ("Choose at least one topic", "#topics", "legend:has-text('Topics')"),
        ("Select the outcome", "#outcome", "legend:has-text('Outcome')"),
        ("Enter a summary", "#summary", "label[for=summary]"),
    ]:
        page.evaluate("window.scrollTo(0, 0)")
        page.get_by_role("link", name=link_text).click()
        expect(page.locator(field)).to_be_focused()
        assert in_view(page, page.locator(label)), f"{label} is scrolled out of view"


def test_the_character_count_warns_and_the_server_keeps_the_text(writer, assert_accessible):
    page = writer
    pasted = "Kiosks in libraries. " * 15  # 315 characters, nothing cut off
    page.get_by_label("Summary").fill(pasted)
    expect(page.get_by_label("Summary")).to_have_value(pasted)
    expect(page.locator(".govuk-character-count__status").nth(1)).to_have_text(
        "You have 15 characters too many"
    )
    page.get_by_label("Title").fill("Library kiosks")
    page.get_by_label("Did not work").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Summary must be 300 characters or fewer"
    )
    expect(page.get_by_label("Summary")).to_have_value(pasted.strip())
    assert_accessible(page)


def test_preview_in_place_shows_the_study_as_published(writer, assert_accessible):
    page = writer
    page.get_by_label("Title").fill("Library kiosks nobody used")
    page.get_by_label("Summary").fill("Used twice a week.")
    page.get_by_label("Smart places technology").check()
    page.get_by_label("Did not work").check()
    page.get_by_label("What we learned").fill("Ask **residents** first.")
    page.evaluate("window.noReloadMarker = true")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    expect(preview.get_by_role("heading", name="Library kiosks nobody used")).to_be_visible()
    expect(preview).to_contain_text("Used twice a week.")
    expect(preview).to_contain_text("Smart places technology")
    expect(preview.locator(".app-prose strong")).to_have_text("residents")
    assert page.evaluate("window.noReloadMarker") is True
    assert_accessible(page)
