"""In a browser: the feed link in the page's <head> and the one beside the results follow the
filters as htmx changes them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from board.extensions import db
from board.models import Outcome
from tests.factories import make_council, make_study


@pytest.fixture
def listing(app):
    with app.app_context():
        council = make_council("Linkshire Council")
        make_study(council, title="Phishing drill", topics=["cyber-security"])
        make_study(council, title="Laptop loans", outcome=Outcome.WORKED)
        db.session.commit()


def test_the_feed_links_follow_the_filters(page, live_server, listing, assert_accessible):
    page.goto(live_server + "/?topic=cyber-security")
    head = page.locator("head link[rel=alternate][type='application/atom+xml']")
    visible = page.get_by_role("link", name="Follow this view in a feed reader")
    expect(head).to_have_attribute(
        "href", "http://localhost/feeds/latest.atom?topic=cyber-security"
    )
    expect(visible).to_have_attribute("href", "/feeds/latest.atom?topic=cyber-security")

    # The form changes the results only.
    page.get_by_label("Outcome").select_option("worked")
    expect(visible).to_have_attribute(
        "href", "/feeds/latest.atom?topic=cyber-security&outcome=worked"
    )
    expect(head).to_have_attribute(
        "href", "http://localhost/feeds/latest.atom?topic=cyber-security&outcome=worked"
    )
    assert head.count() == 1
    assert page.locator("body link").count() == 0

    # A filter link redraws the whole board.
    page.get_by_role("link", name="Remove filter Topic: Cyber security").click()
    expect(visible).to_have_attribute("href", "/feeds/latest.atom?outcome=worked")
    expect(head).to_have_attribute("href", "http://localhost/feeds/latest.atom?outcome=worked")
    assert head.count() == 1
    assert_accessible(page)
