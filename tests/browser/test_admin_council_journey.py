"""An admin adds a council with its email domain; a newcomer with an address on that domain
registers, confirms it, and is a verified member of the new council. In a real browser."""

import re

from playwright.sync_api import expect

from board.extensions import db
from board.models import Council, ModerationLog, Role, User
from tests.browser.signing_in import sign_in, sign_out
from tests.factories import make_user


def test_an_admin_adds_a_council_and_a_newcomer_on_its_domain_joins_it(
    app, page, live_server, assert_accessible, outbox
):
    with app.app_context():
        make_user(None, role=Role.ADMIN, email="ada@caseboard.example", name="Ada Admin")
        db.session.commit()

    sign_in(page, live_server, "ada@caseboard.example")
    page.goto(live_server + "/admin")
    page.get_by_role("link", name="Councils", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Councils")
    page.get_by_role("link", name="Add a council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a council")

    # A mistake first: the error is summarised, linked to its field, and the input kept.
    page.get_by_label("Name", exact=True).fill("Cyngor Sir Ynys Môn")
    page.get_by_label("Wales").check()
    page.get_by_label("Type of council").select_option(label="Welsh principal council")
    page.get_by_label("Website").fill("www.anglesey.gov.wales")
    page.get_by_label("Email domains that join it (optional)").fill("Anglesey.gov.wales")
    page.get_by_role("button", name="Add council").click()
    expect(page.get_by_role("alert")).to_contain_text("starting https://")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Cyngor Sir Ynys Môn")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Enter the website as a full address")).click()
    expect(page.get_by_label("Website")).to_be_focused()
    page.get_by_label("Website").fill("https://www.anglesey.gov.wales")
    page.get_by_role("button", name="Add council").click()

    # Back on the list, found by its slug, with its domain.
    expect(page.get_by_role("alert")).to_contain_text("Cyngor Sir Ynys Môn is added")
    row = page.get_by_role("row").filter(has_text="Cyngor Sir Ynys Môn")
    expect(row).to_contain_text("cyngor-sir-ynys-mon")
    expect(row).to_contain_text("anglesey.gov.wales")
    assert_accessible(page)
    sign_out(page)

    # A newcomer registers with an address on the domain and confirms it.
    page.goto(live_server + "/auth/register")
    page.get_by_label("Full name").fill("Rhian Owen")
    page.get_by_label("Work email address").fill("rhian.owen@anglesey.gov.wales")
    page.get_by_label("Officer").check()
    page.get_by_label("Job title").fill("Digital Lead")
    page.get_by_label("Password", exact=True).fill("slate harbour kettle violin")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    link = re.search(r"http://\S+/auth/confirm/\S+", outbox[-1].get_content()).group(0)
    page.goto(live_server + link[link.index("/auth/") :])
    expect(page.get_by_role("alert")).to_contain_text("joined Cyngor Sir Ynys Môn")

    with app.app_context():
        council = db.session.scalar(db.select(Council).where(Council.slug == "cyngor-sir-ynys-mon"))
        newcomer = db.session.scalar(
            db.select(User).where(User.email == "rhian.owen@anglesey.gov.wales")
        )
        assert newcomer.council_id == council.id and newcomer.is_verified
        actions = db.session.scalars(
            db.select(ModerationLog.action).order_by(ModerationLog.id)
        ).all()
        assert actions == ["council.added", "member.verified"]
