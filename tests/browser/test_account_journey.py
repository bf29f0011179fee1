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
    expect(page.get_by_role("alert")).to_contain_text("joined Pembrokeshire County Council")

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
    expect(page.locator(".app-prose strong")).to_have_text("one street")
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


def _member_waiting(app, confirmed: bool) -> None:
    from tests.factories import make_user

    with app.app_context():
        make_user(None, verified=confirmed, email="wyn@community.example", name="Wyn Jones")
        db.session.commit()


def test_an_unconfirmed_member_sees_the_banner_in_a_landmark(
    app, page, live_server, assert_accessible, outbox
):
    from tests.browser.test_lifecycle_journey import sign_in

    _member_waiting(app, confirmed=False)
    sign_in(page, live_server, "wyn@community.example")
    banner = page.locator("main #unverified-banner")
    expect(banner).to_be_visible()
    # An Important banner: a region named by its title, and not focused on load.
    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "Confirm your email address to post"
    )
    assert_accessible(page)
    banner.get_by_role("button", name="Send the link again").click()
    success = page.get_by_role("alert").filter(has_text="We have sent you a new confirmation link")
    expect(success).to_be_focused()
    assert_accessible(page)


def test_a_member_waiting_for_verification_sees_why(app, page, live_server, assert_accessible):
    from tests.browser.test_lifecycle_journey import sign_in

    _member_waiting(app, confirmed=True)
    sign_in(page, live_server, "wyn@community.example")
    expect(page.locator("main #unverified-banner")).to_contain_text(
        "A moderator is checking which council you belong to"
    )
    page.goto(live_server + "/notifications")
    assert_accessible(page)
    page.goto(live_server + "/account")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert_accessible(page)


def test_the_password_forms_list_every_problem_and_keep_nothing_secret(
    app, page, live_server, assert_accessible
):
    from tests.browser.test_lifecycle_journey import sign_in
    from tests.factories import make_council, make_user

    with app.app_context():
        make_user(make_council(domain="conwy.gov.uk"), email="eli@conwy.gov.uk", name="Eli Jones")
        db.session.commit()

    # Asking for a reset link without an address.
    page.goto(live_server + "/auth/reset")
    page.get_by_role("button", name="Send the link").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert_accessible(page)
    summary.get_by_role("link", name="Enter your email address").click()
    expect(page.get_by_label("Email address")).to_be_focused()

    # Changing a password: a wrong current one and a weak new one, both at once.
    sign_in(page, live_server, "eli@conwy.gov.uk")
    page.goto(live_server + "/account/password")
    page.get_by_label("Current password").fill("not the password")
    page.get_by_label("New password").fill("short")
    page.get_by_role("button", name="Change password").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(summary).to_contain_text("Your current password is not correct")
    assert_accessible(page)


def test_the_pages_that_say_what_happened_are_accessible(app, page, live_server, assert_accessible):
    from tests.browser.test_lifecycle_journey import sign_in

    for path, heading in [
        ("/auth/reset/not-a-real-token", "This reset link does not work"),
        ("/auth/confirm/not-a-real-token", "Your link did not work"),
    ]:
        page.goto(live_server + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)

    page.goto(live_server + "/auth/reset")
    page.get_by_label("Email address").fill("nobody@nowhere.example")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_text("If nobody@nowhere.example has a Case Board account")).to_be_visible()
    assert_accessible(page)

    # Someone who cannot post yet is told why, in place of the form.
    _member_waiting(app, confirmed=False)
    sign_in(page, live_server, "wyn@community.example")
    page.goto(live_server + "/studies/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot post yet")
    assert_accessible(page)
