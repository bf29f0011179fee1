"""When a reaction cannot reach the server, static/js/app.js's own message is a GOV.UK Error
summary, focused and announced, and the control is left as it was."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from board.extensions import db
from tests.browser.test_lifecycle_journey import sign_in
from tests.factories import make_council, make_study, make_user


def test_a_lost_connection_on_a_reaction_shows_a_govuk_error_summary(
    app, page, live_server, assert_accessible, expected_error_statuses
):
    expected_error_statuses.add(0)
    with app.app_context():
        here = make_council("Gwynedd Council", domain="gwynedd.llyw.cymru")
        there = make_council("Fife Council", domain="fife.gov.uk")
        make_user(there, email="ailsa@fife.gov.uk", name="Ailsa Reid")
        study = make_study(here, title="Telecare app for families")
        db.session.commit()
        path = f"/studies/{study.id}/{study.slug}"
    sign_in(page, live_server, "ailsa@fife.gov.uk")
    page.goto(live_server + path)
    page.route(re.compile(r".*/useful$"), lambda route: route.abort("internetdisconnected"))
    page.get_by_role("button", name="Mark as useful").click()

    message = page.locator(".app-request-error")
    expect(message).to_have_class(re.compile(r"\bgovuk-error-summary\b"))
    expect(message.locator("h2.govuk-error-summary__title")).to_have_text(
        "Case Board could not be reached"
    )
    expect(message.locator(".govuk-error-summary__body")).to_contain_text(
        "Check your internet connection and try again."
    )
    expect(message).to_be_focused()
    expect(page.locator("#app-announcer")).to_contain_text("Case Board could not be reached")
    # Above the control that sent it; the control is unchanged.
    assert message.evaluate(
        "el => el.parentElement.nextElementSibling === document.getElementById('useful-control')"
    )
    expect(page.locator("#useful-button")).to_have_attribute("aria-pressed", "false")
    assert_accessible(page)
