"""Journeys with the keyboard alone: Tab, Enter, Space and the arrow keys, as someone who does
not use a mouse moves. Each step checks where focus is, since that is all such a person has to
go on."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from board.extensions import db
from board.models import Role, Status
from tests.browser.test_lifecycle_journey import sign_in
from tests.factories import make_council, make_study, make_user

TAB_LIMIT = 120


def is_focused(page, selector: str) -> bool:
    return page.evaluate(
        "selector => !!document.activeElement && document.activeElement.matches(selector)",
        selector,
    )


def tab_to(page, selector: str) -> None:
    """Press Tab until the focused element matches ``selector``; fail if it never does."""
    for _ in range(TAB_LIMIT):
        if is_focused(page, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_writing_up_and_submitting_a_study_with_the_keyboard(app, page, live_server):
    with app.app_context():
        council = make_council("Newcastle City Council", domain="newcastle.gov.uk")
        make_user(council, email="sam.officer@newcastle.gov.uk", name="Sam Officer")
        db.session.commit()
    sign_in(page, live_server, "sam.officer@newcastle.gov.uk")

    # From the header's navigation to the form.
    tab_to(page, "a[href='/studies/new']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/studies/new$"))

    # Submitting the empty form: focus moves to the error summary.
    tab_to(page, "#submit")
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()

    # The first link in the summary leads to its field.
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link", name="Enter a title")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#title")).to_be_focused()
    page.keyboard.type("Parking app nobody downloaded")

    page.keyboard.press("Tab")
    expect(page.locator("#summary")).to_be_focused()
    page.keyboard.type("A resident parking app reached 2% take-up in a year.")

    # A topic: Space ticks the focused checkbox.
    tab_to(page, "input[name=topics]")
    page.keyboard.press("Space")
    expect(page.locator("input[name=topics]").first).to_be_checked()

    # The outcome: Space chooses the focused radio, the arrow keys move the choice.
    tab_to(page, "input[name=outcome]")
    page.keyboard.press("Space")
    while not page.get_by_label("Did not work").is_checked():
        page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Did not work")).to_be_focused()

    tab_to(page, "#what_we_learned")
    page.keyboard.type("Residents wanted to pay by text, not another app.")

    tab_to(page, "#submit")
    page.keyboard.press("Enter")

    # On the study's page, focus is on the banner saying it was submitted.
    expect(page.get_by_role("heading", name="Status: Waiting for review")).to_be_visible()
    banner = page.get_by_role("alert").filter(has_text="Submitted for review")
    expect(banner).to_be_focused()


def test_deciding_in_the_queue_with_the_keyboard(app, page, live_server, assert_accessible):
    with app.app_context():
        here = make_council("Newcastle City Council", domain="newcastle.gov.uk")
        there = make_council("Belfast City Council", domain="belfastcity.gov.uk")
        study = make_study(here, status=Status.SUBMITTED, title="Parking app nobody downloaded")
        make_user(there, role=Role.MODERATOR, email="mo@belfastcity.gov.uk", name="Mo Derator")
        db.session.commit()
        study_id = study.id
    sign_in(page, live_server, "mo@belfastcity.gov.uk")

    tab_to(page, "a[href='/moderation']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()

    # Open the review page from the queue.
    tab_to(page, f"a[href='/moderation/studies/{study_id}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Parking app nobody downloaded")

    # Choose "Request changes": the note it needs is revealed.
    note = page.get_by_label("What should the author change?")
    expect(note).to_be_hidden()
    tab_to(page, "input[name=decision]")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Request changes")).to_be_checked()
    expect(page.get_by_label("Request changes")).to_be_focused()
    expect(note).to_be_visible()

    # Saving without the note: focus on the error summary, the choice kept.
    tab_to(page, "#submit")
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter what the author should change")
    expect(page.get_by_label("Request changes")).to_be_checked()
    assert_accessible(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(note).to_be_focused()
    page.keyboard.type("Please add what it cost.")

    tab_to(page, "#submit")
    page.keyboard.press("Enter")

    # Back in the queue: focus on the banner saying what was decided about which study.
    expect(page).to_have_url(re.compile(r"/moderation$"))
    banner = page.get_by_role("alert")
    expect(banner).to_be_focused()
    expect(banner).to_contain_text(
        "You asked for changes to “Parking app nobody downloaded”. The author has been told"
    )
    assert_accessible(page)
