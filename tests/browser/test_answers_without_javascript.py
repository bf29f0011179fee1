"""The answer form in a browser with JavaScript turned off: a problem comes back on a page of
its own, as the Design System asks (``Error:`` in the title, the Error summary linking to the
field, the text kept); put right, the answer is posted."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from board.extensions import db
from board.models import Answer
from tests.answers.conftest import add_answers_page, make_question
from tests.browser.signing_in import sign_in


@pytest.fixture(scope="module")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "java_script_enabled": False}


def test_an_answer_with_a_problem_and_then_without(
    app, world, page, live_server, assert_accessible
):
    add_answers_page(app)
    with app.app_context():
        question_id = make_question(world.people.author, title="Anyone tried webchat?").id
        db.session.commit()
    sign_in(page, live_server, world.people.outsider.email)
    page.goto(f"{live_server}/test/questions/{question_id}")
    page.get_by_label("Or the address or number of another council's case study").fill(
        "https://elsewhere.example/studies/1"
    )
    page.get_by_role("button", name="Post answer").click()
    expect(page).to_have_title(re.compile(r"^Error: Answer “Anyone tried webchat\?”"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Enter your answer")).to_have_attribute("href", "#body")
    expect(summary).to_contain_text("Enter the address of a case study on Case Board")
    expect(page.locator("#body-error")).to_contain_text("Enter your answer")
    expect(
        page.get_by_label("Or the address or number of another council's case study")
    ).to_have_value("https://elsewhere.example/studies/1")
    page.get_by_label("Your answer").fill("We did, for a year.")
    page.get_by_label("Or the address or number of another council's case study").fill("")
    page.get_by_role("button", name="Post answer").click()
    with app.app_context():
        [answer] = db.session.scalars(db.select(Answer)).all()
        assert answer.body == "We did, for a year." and answer.question_id == question_id
