"""A member asks other councils a question (with a mistake first, and nothing typed is lost),
then filters the questions by topic without a page load (focus stays on the box, the count is
announced, the address follows), and the same filters work with JavaScript off."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from board.extensions import db
from tests.browser.signing_in import sign_in
from tests.factories import make_council, make_question, make_user


def test_ask_then_filter_with_and_without_javascript(
    app, browser, page, live_server, assert_accessible
):
    with app.app_context():
        here = make_council("Cardiff Council", domain="cardiff.gov.uk")
        there = make_council("Fife Council", domain="fife.gov.uk")
        make_user(here, email="sam@cardiff.gov.uk", name="Sam Officer")
        fife = make_user(there, email="ailsa@fife.gov.uk", name="Ailsa Reid")
        make_question(
            fife, "Are bin sensors worth it in rural areas?", topics=["smart-places-technology"]
        )
        make_question(fife, "Who tested phishing on councillors?", topics=["cyber-security"])
        db.session.commit()

    sign_in(page, live_server, "sam@cardiff.gov.uk")
    page.get_by_role("link", name="Questions", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questions to councils")
    page.get_by_role("button", name="Ask a question").click()
    assert_accessible(page)

    # A statement, not a question: said at the top and beside the field; the rest is kept.
    page.get_by_label("Your question").fill("Chatbots for council tax")
    page.get_by_label("Details (optional)").fill("We get **thousands** of calls in March.")
    page.get_by_label("Digital communications").check()
    page.get_by_label("Signed-in council members only").check()
    page.get_by_role("button", name="Post your question").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["Your question must end with a question mark"]
    )
    expect(page.get_by_label("Details (optional)")).to_have_value(
        "We get **thousands** of calls in March."
    )
    expect(page.get_by_label("Digital communications")).to_be_checked()
    expect(page.get_by_label("Signed-in council members only")).to_be_checked()
    assert_accessible(page)

    page.get_by_label("Your question").fill("Has any council used a chatbot for council tax?")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_text("Your question has been posted")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Has any council used a chatbot for council tax?"
    )
    expect(page.locator(".app-prose strong")).to_have_text("thousands")
    assert_accessible(page)

    # Filtering: only the results change; focus stays on the box; the count is announced.
    page.goto(live_server + "/questions")
    expect(page.locator("#results-heading")).to_have_text("3 questions")
    page.evaluate("window.stillTheSamePage = true")
    box = page.get_by_label("Cyber security")
    box.check()
    expect(page.locator("#results-heading")).to_have_text("1 question")
    expect(page.locator(".app-question-card")).to_have_text(re.compile("Who tested phishing"))
    expect(page).to_have_url(live_server + "/questions?topic=cyber-security")
    expect(page.locator("#app-announcer")).to_have_text("1 question")
    expect(box).to_be_focused()
    expect(page).to_have_title(re.compile("^Questions to councils: Cyber security"))
    page.get_by_label("Digital communications").check()
    expect(page.locator("#results-heading")).to_have_text("2 questions")
    expect(page).to_have_url(
        live_server + "/questions?topic=digital-communications&topic=cyber-security"
    )
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)
    # The address is a page of its own.
    page.reload()
    expect(page.locator("#results-heading")).to_have_text("2 questions")
    expect(page.get_by_label("Cyber security")).to_be_checked()

    # Without JavaScript the same form submits and the same address shows the whole page.
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(live_server + "/questions")
        expect(plain.locator("#results-heading")).to_have_text("2 questions")  # public only
        plain.get_by_label("Smart places technology").check()
        plain.get_by_role("button", name="Apply filters").click()
        expect(plain).to_have_url(live_server + "/questions?topic=smart-places-technology")
        expect(plain.locator("#results-heading")).to_have_text("1 question")
        expect(
            plain.get_by_role("link", name="Are bin sensors worth it in rural areas?")
        ).to_be_visible()
        # (axe runs in the page's JavaScript: it checked this page above, with JavaScript on.)
    finally:
        context.close()
