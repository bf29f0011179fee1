"""A newcomer registers, signs in, browses the board and reads a study, in a real browser."""

import re

from playwright.sync_api import expect

from board.extensions import db
from board.models import Visibility
from tests.factories import make_council, make_study


def test_register_sign_in_browse_and_read(app, page, live_server, assert_accessible, outbox):
    with app.app_context():
        council = make_council("Pembrokeshire County Council", domain="pembrokeshire.gov.uk")
        make_study(
            council,
            title="Smart bins that filled up with rainwater",
            summary="Sensors reported full bins after every storm; crews stopped trusting them.",
            what_we_learned="Pilot **one street** for a winter before buying for a county.",
        )
        make_study(council, title="Members only phishing drill", visibility=Visibility.MEMBERS)
        db.session.commit()

    # The board, as a visitor: the public study only.
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("What councils tried")
    expect(page.get_by_text("Smart bins that filled up with rainwater")).to_be_visible()
    expect(page.get_by_text("Members only phishing drill")).to_have_count(0)
    assert_accessible(page)

    # Register, first with a mistake: the error is summarised and the input kept.
    page.get_by_role("link", name="Register").click()
    expect(page).to_have_title(re.compile("Register"))
    assert_accessible(page)
    page.get_by_label("Full name").fill("Amira Hughes")
    page.get_by_label("Work email address").fill("amira.hughes@pembrokeshire.gov.uk")
    page.get_by_label("Councillor").check()
    page.get_by_label("Job title").fill("Cabinet Member for Transformation")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_contain_text("at least 12 characters")
    expect(page.get_by_label("Full name")).to_have_value("Amira Hughes")
    assert_accessible(page)
    page.get_by_role("link", name="Password must be at least 12 characters long").click()
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.get_by_label("Password", exact=True).fill("slate harbour kettle violin")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    # Confirm the address with the emailed link: a council address joins the council.
    link = re.search(r"http://\S+/auth/confirm/\S+", outbox[-1].get_content()).group(0)
    page.goto(live_server + link[link.index("/auth/") :])
    expect(page.get_by_role("status")).to_contain_text("joined Pembrokeshire County Council")

    # Sign in, with a wrong password first.
    page.get_by_label("Email address").fill("amira.hughes@pembrokeshire.gov.uk")
    page.get_by_label("Password", exact=True).fill("wrong password entirely")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct email address and password")
    expect(page.get_by_label("Email address")).to_have_value("amira.hughes@pembrokeshire.gov.uk")
    assert_accessible(page)
    page.get_by_label("Password", exact=True).fill("slate harbour kettle violin")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Amira Hughes").first).to_be_visible()

    # A verified member sees the members-only study too, and can open a study.
    expect(page.get_by_text("Members only phishing drill")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Smart bins that filled up with rainwater").click()
    expect(page).to_have_url(re.compile(r"/studies/\d+/smart-bins-that-filled-up-with-rainwater$"))
    expect(page.get_by_role("heading", name="What we learned")).to_be_visible()
    expect(page.locator(".prose strong")).to_have_text("one street")
    assert_accessible(page)

    # Sign out.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_skip_link_moves_focus_to_the_main_content(page, live_server):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()


def test_error_pages_are_accessible(page, live_server, assert_accessible):
    response = page.goto(live_server + "/studies/424242")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)
