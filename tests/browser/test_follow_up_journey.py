"""Six months on: a follow-up prompt is sent, the member opens the notification, reaches "What
happened next?", chooses "No change yet" and is told when they will be asked again."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from board.extensions import db
from board.follow_ups import services
from board.models import Outcome
from board.models.base import utcnow
from tests.browser.signing_in import sign_in
from tests.factories import make_council, make_study, make_user


def test_a_prompt_leads_to_no_change_yet(app, page, live_server, assert_accessible, outbox):
    with app.app_context():
        council = make_council("Hereshire Council", domain="hereshire.gov.uk")
        member = make_user(council, email="ava@hereshire.gov.uk", name="Ava Author")
        study = make_study(
            council,
            member,
            title="Smart bins with fill sensors",
            outcome=Outcome.ONGOING,
            published_at=utcnow() - timedelta(days=200),
        )
        db.session.commit()
        study_id = study.id
        sending = services.send_due_prompts(utcnow())
    assert (sending.sent, sending.members_told) == (1, 1)
    assert [message["To"] for message in outbox] == ["ava@hereshire.gov.uk"]

    sign_in(page, live_server, "ava@hereshire.gov.uk")
    page.goto(live_server + "/notifications")
    subject = "What happened next with “Smart bins with fill sensors”?"
    why = "It is six months since it was published on Case Board."
    expect(page.get_by_text(why)).to_be_visible()
    page.get_by_role("link", name=subject).click()

    expect(page).to_have_url(re.compile(rf"/studies/{study_id}/follow-up$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("What happened next?")
    expect(page.get_by_role("button", name="Write an update")).to_have_attribute(
        "href", f"/studies/{study_id}/updates/new"
    )
    assert_accessible(page)

    page.get_by_role("button", name="No change yet").click()
    due = services.snoozed_due(utcnow())
    expect(page).to_have_url(re.compile(rf"/studies/{study_id}/smart-bins-with-fill-sensors$"))
    expect(page.get_by_role("alert")).to_contain_text(
        f"We will ask your council again on {due.day} {due:%B %Y}."
    )
    assert_accessible(page)

    # Back on the page, it says when, and there is nothing to press twice.
    page.goto(live_server + f"/studies/{study_id}/follow-up")
    expect(page.get_by_text(f"We will ask again on {due.day} {due:%B %Y}.")).to_be_visible()
    expect(page.get_by_role("button", name="No change yet")).to_have_count(0)
    assert_accessible(page)
