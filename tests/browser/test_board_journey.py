"""Someone narrows the board to failed cyber experiments about phishing, without a page load,
shares the address, and goes back through their filters."""

import re

from playwright.sync_api import Error, expect

from board.extensions import db
from board.models import Outcome
from tests.factories import make_council, make_study

RESULTS = "#results .app-study-card__title"


def wait_for_a_new_document(page, seconds: float = 10) -> None:
    """Until the document marked with ``window.stillTheSamePage`` has been replaced. Polled from
    here: Playwright's wait_for_function evaluates a string, which the CSP forbids."""
    for _ in range(int(seconds * 10)):
        try:
            if page.evaluate("window.stillTheSamePage") is None:
                return
        except Error:  # the old document went away while we asked
            pass
        page.wait_for_timeout(100)
    raise AssertionError("the page was not loaded again")


def test_filter_search_share_and_go_back(app, page, live_server, assert_accessible):
    with app.app_context():
        council = make_council("Fife Council", domain="fife.gov.uk")
        make_study(
            council,
            title="Phishing drill that backfired",
            summary="Staff felt tricked and stopped reporting real phishing emails.",
            topics=["cyber-security"],
            outcome=Outcome.DID_NOT_WORK,
        )
        make_study(
            council,
            title="Password manager for every officer",
            topics=["cyber-security"],
            outcome=Outcome.DID_NOT_WORK,
        )
        make_study(
            council,
            title="Phishing training that worked",
            topics=["cyber-security"],
            outcome=Outcome.WORKED,
        )
        make_study(
            council, title="Library laptop loans", topics=["digital-inclusion-and-connectivity"]
        )
        db.session.commit()

    page.goto(live_server + "/")
    expect(page.locator(RESULTS)).to_have_count(4)
    assert_accessible(page)
    # Marks this document: it survives only if the page is never loaded again.
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Cyber security").check()
    expect(page.locator(RESULTS)).to_have_count(3)
    expect(page).to_have_url(live_server + "/?topic=cyber-security")

    page.get_by_label("Outcome").select_option("did-not-work")
    expect(page.locator(RESULTS)).to_have_count(2)
    expect(page).to_have_url(re.compile(r"outcome=did-not-work"))

    page.get_by_role("searchbox", name="Search").press_sequentially("phishing", delay=40)
    expect(page.locator(RESULTS)).to_have_count(1)
    expect(page.locator(RESULTS)).to_have_text("Phishing drill that backfired")
    expect(page.get_by_role("heading", name="1 case study")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("1 case study")
    expect(page).to_have_url(re.compile(r"q=phishing"))
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)

    # The address, opened in a new page, shows the same results and the same filters.
    shared = page.url
    other = page.context.new_page()
    other.goto(shared)
    expect(other.locator(RESULTS)).to_have_text(["Phishing drill that backfired"])
    expect(other.get_by_label("Cyber security")).to_be_checked()
    expect(other.get_by_label("Outcome")).to_have_value("did-not-work")
    expect(other.get_by_role("searchbox", name="Search")).to_have_value("phishing")
    assert_accessible(other)
    other.close()

    # A chip removes one filter; back and forward walk through the pushed addresses.
    page.get_by_role("link", name="Remove filter Outcome: Did not work").click()
    expect(page.locator(RESULTS)).to_have_count(2)
    expect(page).not_to_have_url(re.compile("outcome="))
    # htmx keeps no history cache, so each step back or forward loads the page again: wait for
    # that new document before the next step, as a person would see it arrive.
    page.go_back()
    wait_for_a_new_document(page)
    expect(page).to_have_url(re.compile("outcome=did-not-work"))
    expect(page.locator(RESULTS)).to_have_count(1)
    page.evaluate("window.stillTheSamePage = true")
    page.go_forward()
    wait_for_a_new_document(page)
    expect(page).not_to_have_url(re.compile("outcome="))
    expect(page.locator(RESULTS)).to_have_count(2)

    page.get_by_role("link", name="Clear all filters").click()
    expect(page.locator(RESULTS)).to_have_count(4)
    expect(page).to_have_url(live_server + "/")
    expect(page.get_by_label("Cyber security")).not_to_be_checked()
    assert_accessible(page)


def test_type_a_council_with_the_keyboard(app, page, live_server, assert_accessible):
    with app.app_context():
        fife = make_council("Fife Council", domain="fife.gov.uk")
        coast = make_council("Fife Coast Council", domain="fifecoast.gov.uk")
        falkirk = make_council("Falkirk Council", domain="falkirk.gov.uk")
        make_study(fife, title="Kiosks in Fife libraries", outcome=Outcome.WORKED)
        make_study(coast, title="Flood sensors on the coast", outcome=Outcome.DID_NOT_WORK)
        make_study(falkirk, title="Falkirk chatbot", outcome=Outcome.DID_NOT_WORK)
        db.session.commit()

    page.goto(live_server + "/?outcome=did-not-work")
    expect(page.locator(RESULTS)).to_have_count(2)
    page.evaluate("window.stillTheSamePage = true")
    council = page.get_by_role("textbox", name="Council")
    status = page.get_by_role("status")

    # Typing sends nothing; leaving the field (Tab) asks once. Two councils match: the error
    # is beside the field with a link to each, said in the live region, and focus moves on
    # to the next field as it would anyway.
    council.focus()
    with page.expect_response(lambda response: "council=fife" in response.url):
        council.press_sequentially("fife", delay=40)
        page.keyboard.press("Tab")
    error = page.locator("#council-error")
    expect(error).to_have_text("Error: More than one council matches “fife”: choose one")
    expect(status).to_have_text("More than one council matches “fife”: choose one. 2 case studies")
    expect(council).to_have_value("fife")
    expect(page.locator(RESULTS)).to_have_count(2)
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    assert page.evaluate("document.activeElement.id") == "nation"
    expect(page).to_have_url(re.compile(r"council=fife"))
    assert_accessible(page)

    # Enter in the field: one council matches; the field shows its name, the address its
    # slug, the error is gone, focus stays in the field.
    council.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("fife coast", delay=40)
    page.keyboard.press("Enter")
    expect(council).to_have_value("Fife Coast Council")
    expect(page.locator(RESULTS)).to_have_text(["Flood sensors on the coast"])
    expect(page).to_have_url(live_server + "/?outcome=did-not-work&council=fife-coast-council")
    expect(error).to_have_count(0)
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(status).to_have_text("1 case study")
    assert page.evaluate("document.activeElement.id") == "council"
    assert page.evaluate("window.stillTheSamePage") is True

    # No council matches: the text is kept, the outcome still filters.
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Fyfe", delay=40)
    page.keyboard.press("Tab")
    expect(error).to_have_text("Error: No council matches “Fyfe”. Check the spelling")
    expect(council).to_have_value("Fyfe")
    expect(page.locator(RESULTS)).to_have_count(2)
    assert_accessible(page)

    # Without htmx the same address shows the same, with the summary at the top of the form.
    page.goto(live_server + "/?outcome=did-not-work&council=fife")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    page.get_by_role("list", name="Councils that match").get_by_role(
        "link", name="Fife Coast Council"
    ).click()
    expect(council).to_have_value("Fife Coast Council")
    expect(page.locator(RESULTS)).to_have_text(["Flood sensors on the coast"])
