"""The whole loop of following and "six months on", in a real browser: a member of one council
follows a topic and a study is published on it; their digest arrives in the outbox. Six months
later the study's council is asked "What happened next?", writes an update from the prompt, a
moderator approves it, and the follower hears of it in their next digest and sees it on the
study."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from board.digests.services import send_digests
from board.extensions import db
from board.follow_ups.services import send_due_prompts
from board.models import CaseStudy, Outcome, Role, Status
from board.models.base import utcnow
from tests.browser.signing_in import sign_in, sign_out
from tests.factories import make_council, make_study, make_user

TITLE = "Chatbot for council tax questions"


def _board(app) -> None:
    with app.app_context():
        here = make_council("Newcastle City Council", domain="newcastle.gov.uk")
        there = make_council("Conwy County Borough Council", domain="conwy.gov.uk")
        elsewhere = make_council("Belfast City Council", domain="belfastcity.gov.uk")
        author = make_user(here, email="sam.officer@newcastle.gov.uk", name="Sam Officer")
        make_user(there, email="gwen@conwy.gov.uk", name="Gwen Roberts")
        make_user(elsewhere, role=Role.MODERATOR, email="mo@belfastcity.gov.uk", name="Mo")
        make_study(
            here,
            author,
            title=TITLE,
            outcome=Outcome.ONGOING,
            status=Status.SUBMITTED,
        )
        db.session.commit()


def _approve_in_the_queue(page, live_server, link_name: str, decision: str) -> None:
    sign_in(page, live_server, "mo@belfastcity.gov.uk")
    page.get_by_role("link", name="Moderation", exact=True).click()
    page.get_by_role("link", name=link_name).click()
    page.get_by_label(decision).check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("alert")).to_contain_text("You approved")
    sign_out(page)


def _messages_to(outbox, address: str) -> list:
    return [message for message in outbox if message["To"] == address]


def test_follow_digest_follow_up_update_and_the_follower_hears(
    app, page, live_server, assert_accessible, outbox
):
    _board(app)
    with app.app_context():
        study = db.session.scalar(db.select(CaseStudy).where(CaseStudy.title == TITLE))
        study_id, topic = study.id, study.topics[0]
        topic_slug, topic_name = topic.slug, topic.name

    # Gwen, at another council, follows the study's topic from its page.
    sign_in(page, live_server, "gwen@conwy.gov.uk")
    page.goto(live_server + f"/topics/{topic_slug}")
    page.get_by_role("button", name="Follow this topic").click()
    expect(page.locator("#app-announcer")).to_contain_text(f"You are following {topic_name}.")
    sign_out(page)

    # A moderator publishes the study.
    _approve_in_the_queue(page, live_server, TITLE, "Approve and publish")

    # The next digest run: Gwen's weekly digest lists it, with one-click unsubscribe.
    first_run = utcnow()
    with app.app_context():
        report = send_digests(first_run)
    assert report.sent >= 1
    (digest,) = _messages_to(outbox, "gwen@conwy.gov.uk")
    assert digest["Subject"] == "Case Board: 1 new case study"
    assert TITLE in digest.get_content()
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<https?://[^>]+/unsubscribe/[^>]+>", digest["List-Unsubscribe"])

    # Gwen follows the study itself too, from its page.
    sign_in(page, live_server, "gwen@conwy.gov.uk")
    page.goto(live_server + f"/studies/{study_id}")
    page.get_by_role("button", name="Follow this case study").click()
    expect(page.get_by_role("button", name="Unfollow this case study")).to_be_visible()
    sign_out(page)

    # Six months on, the study's council is asked what happened next.
    with app.app_context():
        prompts = send_due_prompts(first_run + timedelta(days=190))
    assert prompts.sent == 1
    (prompt,) = _messages_to(outbox, "sam.officer@newcastle.gov.uk")[-1:]
    assert prompt["Subject"] == f"What happened next with “{TITLE}”?"
    assert f"/studies/{study_id}/follow-up" in prompt.get_content()

    # Sam follows the prompt to the update form and says what happened.
    sign_in(page, live_server, "sam.officer@newcastle.gov.uk")
    page.goto(live_server + "/notifications")
    page.get_by_role("link", name=f"What happened next with “{TITLE}”?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What happened next?")
    page.get_by_role("button", name="Write an update").click()
    last_month = date.today().replace(day=1) - timedelta(days=1)
    page.get_by_label("Month").fill(str(last_month.month))
    page.get_by_label("Year").fill(str(last_month.year))
    page.get_by_label("What happened next").fill(
        "We switched the chatbot off: residents kept asking for a person."
    )
    page.get_by_label("Did not work").check()
    page.get_by_role("button", name="Submit update for review").click()
    expect(page.get_by_text("Your update is submitted")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # A moderator from another council approves it.
    _approve_in_the_queue(
        page, live_server, f"Update: {TITLE}", "Approve and add it to the timeline"
    )

    # Gwen's next weekly digest tells her of the update to the study she follows...
    with app.app_context():
        send_digests(first_run + timedelta(days=8))
    digests = _messages_to(outbox, "gwen@conwy.gov.uk")
    assert len(digests) == 2
    assert digests[-1]["Subject"] == "Case Board: 1 update you follow"
    assert TITLE in digests[-1].get_content()

    # ...and the study shows it on its timeline, with the outcome changed.
    sign_in(page, live_server, "gwen@conwy.gov.uk")
    page.goto(live_server + f"/studies/{study_id}")
    timeline = page.locator("#updates")
    expect(timeline).to_contain_text("residents kept asking for a person")
    expect(timeline).to_contain_text("Outcome changed from Ongoing to Did not work")
    assert_accessible(page)
