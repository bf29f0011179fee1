"""Asking the network, the whole loop, in a real browser: a member of one council asks "Has any
council tried...?", another council answers with the pilot that failed, the asker marks the
answer "This helped", the answerer writes it up as a case study, a moderator publishes it, the
asker is told, and the study is listed among "Councils that tried something similar" on the
question."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from board.extensions import db
from board.models import Role
from tests.browser.signing_in import sign_in, sign_out
from tests.factories import make_council, make_user

QUESTION = "Has any council tried a chatbot for council tax queries?"
ANSWER = "We did, in 2024. Residents **gave up** on it within a month and phoned instead."


def _councils(app) -> None:
    with app.app_context():
        cardiff = make_council("Cardiff Council", domain="cardiff.gov.uk")
        fife = make_council("Fife Council", domain="fife.gov.uk")
        belfast = make_council("Belfast City Council", domain="belfastcity.gov.uk")
        make_user(cardiff, email="sam@cardiff.gov.uk", name="Sam Officer")
        make_user(fife, email="ailsa@fife.gov.uk", name="Ailsa Reid")
        make_user(belfast, role=Role.MODERATOR, email="mo@belfastcity.gov.uk", name="Mo")
        db.session.commit()


def test_ask_answer_helped_write_up_publish_and_related(
    app, page, live_server, assert_accessible, outbox
):
    _councils(app)

    # Sam, at Cardiff, asks.
    sign_in(page, live_server, "sam@cardiff.gov.uk")
    page.get_by_role("link", name="Questions", exact=True).click()
    page.get_by_role("button", name="Ask a question").click()
    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_label("Details (optional)").fill("We get thousands of calls every March.")
    page.get_by_label("Digital communications").check()
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    question_address = page.url
    sign_out(page)

    # Ailsa, at Fife, finds it unanswered and answers with the pilot that did not work.
    sign_in(page, live_server, "ailsa@fife.gov.uk")
    page.get_by_role("link", name="Questions", exact=True).click()
    page.get_by_role("link", name=QUESTION).click()
    assert_accessible(page)
    page.get_by_label("Your answer").fill(ANSWER)
    page.get_by_role("button", name="Post answer").click()
    answer = page.locator(".app-answer").filter(has_text="gave up on it within a month")
    expect(answer).to_be_focused()
    expect(page.locator("#app-announcer")).to_have_text("Answer posted")
    sign_out(page)

    # Sam marks it "This helped": the question shows as answered.
    sign_in(page, live_server, "sam@cardiff.gov.uk")
    page.goto(question_address)
    page.get_by_role("button", name="This helped").click()
    expect(page.get_by_role("button", name="This helped")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#app-announcer")).to_have_text(
        "Marked as helpful. The question shows as answered."
    )
    page.get_by_role("link", name="Questions", exact=True).click()
    card = page.locator(".app-question-card").filter(has_text=QUESTION)
    expect(card).to_contain_text("Answered")
    sign_out(page)

    # Ailsa writes her answer up: a draft prefilled from it, which she completes and submits.
    sign_in(page, live_server, "ailsa@fife.gov.uk")
    page.goto(question_address)
    page.get_by_role("button", name="Write this up as a case study").click()
    expect(page.get_by_text("A draft case study has been made from your answer.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value(re.compile("chatbot for council tax"))
    expect(page.get_by_label("What we tried")).to_have_value(re.compile("gave up"))
    page.get_by_label("Summary").fill("A council tax chatbot that residents abandoned.")
    page.get_by_label("Did not work").check()
    page.get_by_label("What we learned").fill("Test with residents before buying.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text(re.compile("submitted for review", re.I)).first).to_be_visible()
    study_title = page.get_by_role("heading", level=1).inner_text()
    sign_out(page)

    # A moderator publishes it.
    sign_in(page, live_server, "mo@belfastcity.gov.uk")
    page.get_by_role("link", name="Moderation", exact=True).click()
    page.get_by_role("link", name=study_title).click()
    page.get_by_label("Approve and publish").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("alert")).to_contain_text("You approved")
    sign_out(page)

    # Sam is told, in the service and by email, and the study links back to the question.
    mail = [message for message in outbox if message["To"] == "sam@cardiff.gov.uk"]
    assert any("wrote up its answer" in message["Subject"] for message in mail), [
        message["Subject"] for message in mail
    ]
    sign_in(page, live_server, "sam@cardiff.gov.uk")
    page.get_by_role("link", name=re.compile("Notifications")).click()
    page.get_by_role("link", name=re.compile("Fife Council wrote up its answer")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(study_title)
    expect(page.get_by_text("Written in answer to:")).to_be_visible()

    # On the question, the study is among "Councils that tried something similar".
    page.get_by_role("link", name=QUESTION).click()
    related = page.locator("#related")
    expect(related.get_by_role("heading")).to_have_text("Councils that tried something similar")
    expect(related.get_by_role("link", name=study_title)).to_be_visible()
    expect(related).to_contain_text("Fife Council")
    assert_accessible(page)
