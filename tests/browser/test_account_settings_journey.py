"""A member changes their email address and password, and another deletes their account, in a
real browser."""

import re

from playwright.sync_api import expect

from board.comments import services as discussion
from board.extensions import db
from board.models import User
from tests.browser.signing_in import sign_in
from tests.factories import PASSWORD, make_council, make_study, make_user

NEW_PASSWORD = "slate harbour kettle violin"


def _member(app, email: str, name: str):
    with app.app_context():
        council = make_council("Conwy County Borough Council", domain="conwy.gov.uk")
        person = make_user(council, email=email, name=name, job_title="Digital lead")
        db.session.commit()
        return person


def test_a_member_changes_email_and_password(app, page, live_server, assert_accessible, outbox):
    _member(app, "gwen@conwy.gov.uk", "Gwen Roberts")
    sign_in(page, live_server, "gwen@conwy.gov.uk")
    page.goto(live_server + "/account")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert_accessible(page)

    # Ask for the change, first with a wrong password: the error is summarised, the address kept.
    page.get_by_role("link", name="Change email address").click()
    expect(page).to_have_title(re.compile("Change your email address"))
    assert_accessible(page)
    page.get_by_label("New email address").fill("gwen.roberts@example.org")
    page.get_by_label("Current password").fill("not my password")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("alert")).to_contain_text("Your current password is not correct")
    expect(page.get_by_label("New email address")).to_have_value("gwen.roberts@example.org")
    assert_accessible(page)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your new email address")
    assert_accessible(page)

    # The old address is told; the new one gets the link, which changes the address.
    told = [message for message in outbox if message["To"] == "gwen@conwy.gov.uk"]
    assert "gwen.roberts@example.org" in told[-1].get_content()
    (confirm,) = [message for message in outbox if message["To"] == "gwen.roberts@example.org"]
    link = re.search(r"http://\S+/account/email/confirm/\S+", confirm.get_content()).group(0)
    page.goto(live_server + link[link.index("/account/") :])
    expect(page.get_by_role("alert")).to_contain_text(
        "Your email address is now gwen.roberts@example.org"
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text("gwen.roberts@example.org")

    # Opening the link again does nothing more.
    page.goto(live_server + link[link.index("/account/") :])
    expect(page.get_by_role("heading", level=1)).to_have_text("Your link did not work")
    assert_accessible(page)

    # Change the password.
    page.goto(live_server + "/account")
    page.get_by_role("link", name="Change password").click()
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_contain_text("Your password has been changed")

    # Signed out, the new address and password sign in; the old address does not.
    page.get_by_role("button", name="Sign out").click()
    page.goto(live_server + "/auth/login")
    page.get_by_label("Email address").fill("gwen@conwy.gov.uk")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct email address and password")
    page.get_by_label("Email address").fill("gwen.roberts@example.org")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Gwen Roberts").first).to_be_visible()


def test_a_member_deletes_their_account(app, page, live_server, assert_accessible):
    person = _member(app, "huw@conwy.gov.uk", "Huw Jones")
    with app.test_request_context():  # a notification links to the comment
        author = db.session.get(User, person.id)
        study = make_study(author.council, title="Free wifi in town centres")
        discussion.post_comment(study, author, "We found the same in Llandudno.", None)
        db.session.commit()
        study_path = f"/studies/{study.id}/{study.slug}"

    sign_in(page, live_server, "huw@conwy.gov.uk")
    page.goto(live_server + "/account")
    page.get_by_role("link", name="Delete your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    assert_accessible(page)

    # Without a choice or the password: both are asked for.
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("alert")).to_contain_text("Select what should happen to your comments")
    expect(page.get_by_role("alert")).to_contain_text("Enter your password")
    assert_accessible(page)

    page.get_by_label("Keep them, shown as from a former member of my council").check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account has been deleted")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert_accessible(page)

    # The comment stays, as from a former member of the council.
    page.goto(live_server + study_path)
    expect(page.locator(".app-comment__author").first).to_have_text("Former member")
    expect(page.get_by_text("Former member, Conwy County Borough Council")).to_be_visible()
    expect(page.get_by_text("Huw Jones")).to_have_count(0)

    # The old address and password no longer sign in.
    page.goto(live_server + "/auth/login")
    page.get_by_label("Email address").fill("huw@conwy.gov.uk")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct email address and password")
