"""A registrant whose council is not on the board asks for it; an admin adds it; the registrant
can then write up a study, in a real browser."""

import re

from playwright.sync_api import expect

from board.extensions import db
from board.models import Role
from board.models.base import utcnow
from tests.browser.signing_in import sign_in, sign_out
from tests.factories import make_council, make_user


def test_ask_for_a_council_an_admin_adds_it_and_the_registrant_writes(
    app, page, live_server, assert_accessible, outbox
):
    with app.app_context():
        make_council("Hereshire Council", domain="hereshire.gov.uk")
        newcomer = make_user(
            None, verified=False, email="ffion@ceredigion.gov.uk", name="Ffion Evans"
        )
        newcomer.email_confirmed_at = utcnow()
        make_user(None, role=Role.ADMIN, email="ada@caseboard.example", name="Ada Admin")
        db.session.commit()

    # The registrant, unverified, follows the banner's link and asks, with a mistake first.
    sign_in(page, live_server, "ffion@ceredigion.gov.uk")
    page.get_by_role("link", name="Ask for it to be added").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for your council to be added")
    assert_accessible(page)
    page.get_by_label("Council name").fill("Ceredigion County Council")
    page.get_by_label("Your role at the council").fill("Digital transformation officer")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the council's website address")
    expect(page.get_by_label("Council name")).to_have_value("Ceredigion County Council")
    assert_accessible(page)
    page.get_by_role("link", name="Enter the council's website address").click()
    expect(page.get_by_label("Council website")).to_be_focused()
    page.get_by_label("Council website").fill("www.ceredigion.gov.uk")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("alert")).to_contain_text("You have asked for Ceredigion")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your request to add your council")
    assert_accessible(page)
    sign_out(page)

    # The admin sees it, checks the council's details and adds it.
    sign_in(page, live_server, "ada@caseboard.example")
    page.goto(live_server + "/admin/council-requests")
    assert_accessible(page)
    page.get_by_role("link", name="Ceredigion County Council").click()
    expect(page.get_by_label("Slug")).to_have_value("ceredigion-county-council")
    expect(page.get_by_label("Email domains that join this council")).to_have_value(
        "ceredigion.gov.uk"
    )
    page.get_by_role("button", name="Add the council and approve").click()
    # The nation and the type are the admin's to choose: the errors say so.
    expect(page.get_by_role("alert")).to_contain_text("Choose the council's nation")
    assert_accessible(page)
    page.get_by_label("Nation").select_option("wales")
    page.get_by_label("Type of council").select_option("welsh-principal-area")
    page.get_by_role("button", name="Add the council and approve").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Ffion Evans is now a verified member of Ceredigion County Council"
    )
    expect(page.get_by_text("Approved by Ada Admin")).to_be_visible()
    assert_accessible(page)
    sign_out(page)
    told = [message for message in outbox if message["To"] == "ffion@ceredigion.gov.uk"]
    assert len(told) == 1 and "Ceredigion County Council" in told[0]["Subject"]

    # The registrant is now a member: no banner, and they can write up a study.
    sign_in(page, live_server, "ffion@ceredigion.gov.uk")
    expect(page.locator("#unverified-banner")).to_have_count(0)
    page.goto(live_server + "/studies/new")
    expect(page).to_have_url(re.compile(r"/studies/new$"))
    expect(page.get_by_label("Title")).to_be_visible()
