"""A member answers a question with a study attached, without a page load; the asker marks it
"This helped"; the answerer writes it up as a case study. In a real browser, with axe.

The answers are shown on a page that includes templates/questions/_answers.html with
answers_context, as the question page does (tests/answers/conftest.py)."""

from playwright.sync_api import expect

from board.extensions import db
from tests.answers.conftest import add_answers_page, make_question
from tests.browser.signing_in import sign_in, sign_out
from tests.factories import make_council, make_study, make_user


def test_answer_mark_helpful_and_write_up(
    app, page, live_server, assert_accessible, expected_error_statuses
):
    expected_error_statuses.add(422)  # the answer with a problem comes back with its form
    add_answers_page(app)
    with app.app_context():
        here = make_council("Gwynedd Council", domain="gwynedd.llyw.cymru")
        there = make_council("Fife Council", domain="fife.gov.uk")
        asker = make_user(here, email="cai@gwynedd.llyw.cymru", name="Cai Jones")
        make_user(there, email="ailsa@fife.gov.uk", name="Ailsa Reid")
        study = make_study(there, title="Webchat for housing repairs")
        question = make_question(asker, title="Has any council tried webchat for repairs?")
        db.session.commit()
        path = f"{live_server}/test/questions/{question.id}"
        study_address = f"{live_server}/studies/{study.id}/{study.slug}"

    # Ailsa answers, naming her council's study by its address; no page load.
    sign_in(page, live_server, "ailsa@fife.gov.uk")
    page.goto(path)
    assert_accessible(page)
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Your answer").fill("Yes: it cut calls by **a third**.")
    page.get_by_label("Or the address or number of another council's case study").fill(
        "/studies/nothing"
    )
    page.get_by_role("button", name="Post answer").click()
    # A problem: the Error summary takes focus and the text stays.
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.get_by_label("Your answer")).to_have_value("Yes: it cut calls by **a third**.")
    assert_accessible(page)
    page.get_by_label("Or the address or number of another council's case study").fill(
        study_address
    )
    page.get_by_role("button", name="Post answer").click()
    answer = page.locator(".app-answer").filter(has_text="it cut calls by a third")
    expect(answer).to_be_visible()
    expect(answer).to_be_focused()
    expect(page.locator("#app-announcer")).to_have_text("Answer posted")
    expect(answer.get_by_role("link", name="Webchat for housing repairs")).to_be_visible()
    expect(page.get_by_label("Your answer")).to_have_value("")
    expect(page.locator("#answers-heading")).to_have_text("1 answer")
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)
    sign_out(page)

    # Cai, who asked, marks it "This helped"; focus stays on the button.
    sign_in(page, live_server, "cai@gwynedd.llyw.cymru")
    page.goto(path)
    button = page.get_by_role("button", name="This helped")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    button = page.get_by_role("button", name="This helped")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_be_focused()
    expect(page.locator("#app-announcer")).to_have_text(
        "Marked as helpful. The question shows as answered."
    )
    assert_accessible(page)
    sign_out(page)

    # Ailsa writes her answer up: a draft, ready to edit.
    sign_in(page, live_server, "ailsa@fife.gov.uk")
    page.goto(path)
    page.get_by_role("button", name="Write this up as a case study").click()
    expect(page.get_by_text("A draft case study has been made from your answer.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Webchat for repairs")
    assert_accessible(page)
