"""The discussion with the keyboard alone: Tab to the comment box, type and post, and focus
lands on the new comment; "Mark as useful" and "We tried this too" keep focus on their button;
"Reply" puts focus in the reply's text box, right under the comment it answers."""

from __future__ import annotations

from playwright.sync_api import expect

from board.extensions import db
from tests.browser.test_lifecycle_journey import sign_in
from tests.factories import make_comment, make_council, make_study, make_user


def tab_until(page, selector: str, key: str = "Tab", limit: int = 120) -> None:
    """Press ``key`` until the element matching ``selector`` has focus (or fail)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} never received focus by pressing {key}")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_comment_react_and_reply_with_the_keyboard(app, page, live_server, assert_accessible):
    with app.app_context():
        here = make_council("Gwynedd Council", domain="gwynedd.llyw.cymru")
        there = make_council("Fife Council", domain="fife.gov.uk")
        ailsa = make_user(there, email="ailsa@fife.gov.uk", name="Ailsa Reid")
        rory = make_user(there, email="rory@fife.gov.uk", name="Rory Bell")
        study = make_study(here, title="Telecare app for families")
        earlier = make_comment(study.id, rory, "Did it work offline?")
        make_comment(study.id, ailsa, "A later comment, under which no reply should open.")
        db.session.commit()
        path, earlier_id = f"/studies/{study.id}/{study.slug}", earlier.id

    sign_in(page, live_server, "ailsa@fife.gov.uk")
    page.goto(live_server + path)
    page.evaluate("window.stillTheSamePage = true")

    # Tab to the comment box, type, Tab to the button and press Enter.
    tab_until(page, "#body")
    page.keyboard.type("We ran a similar pilot in Fife.")
    page.keyboard.press("Tab")
    assert focused_id(page) == "comment-form-submit"
    page.keyboard.press("Enter")
    new_comment = page.locator(".app-comment").filter(has_text="We ran a similar pilot in Fife.")
    expect(new_comment).to_be_focused()
    expect(page.locator("#app-announcer")).to_have_text("Comment posted")
    expect(page.get_by_label("Add a comment")).to_have_value("")
    expect(page.locator("#discussion-heading")).to_have_text("Discussion (3)")
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)

    # "Mark as useful", pressed with the space bar: still focused, now pressed, and said.
    tab_until(page, "#useful-button", key="Shift+Tab")
    useful = page.locator("#useful-button")
    expect(useful).to_have_attribute("aria-pressed", "false")
    page.keyboard.press("Space")
    expect(useful).to_have_attribute("aria-pressed", "true")
    expect(useful).to_be_focused()
    expect(useful).to_have_text("Mark as useful")
    expect(page.locator("#app-announcer")).to_have_text(
        "Marked as useful. 1 member found this useful, including you."
    )
    page.keyboard.press("Enter")
    expect(useful).to_have_attribute("aria-pressed", "false")
    expect(useful).to_be_focused()
    assert_accessible(page)

    # "We tried this too", and taking it back: focus stays on the block's button.
    page.keyboard.press("Tab")
    tab_until(page, "#tried-too-button")
    page.keyboard.press("Enter")
    expect(page.locator("#tried-too-button")).to_have_text("Remove “we tried this too”")
    expect(page.locator("#tried-too-button")).to_be_focused()
    expect(page.locator("#app-announcer")).to_contain_text("listed as having tried this too")
    page.keyboard.press("Enter")
    expect(page.locator("#tried-too-button")).to_have_text("We tried this too")
    expect(page.locator("#tried-too-button")).to_be_focused()
    assert_accessible(page)

    # "Reply" to Rory, with Enter: the form opens right under his comment, focus in its box.
    reply_link = page.get_by_role("link", name="Reply to Rory Bell")
    tab_until(page, f"#comment-{earlier_id} a[hx-get]")
    expect(reply_link).to_be_focused()
    page.keyboard.press("Enter")
    reply_box = page.get_by_label("Your reply to Rory Bell")
    expect(reply_box).to_be_focused()
    slot_follows_comment_text = page.evaluate(
        """id => {
            const slot = document.getElementById('reply-slot-' + id);
            return slot.parentElement.id === 'comment-' + id
                && slot.nextElementSibling.id === 'replies-' + id;
        }""",
        earlier_id,
    )
    assert slot_follows_comment_text
    assert_accessible(page)
    page.keyboard.type("Yes, with a landline fallback.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    reply = page.locator(f"#replies-{earlier_id} .app-comment")
    expect(reply).to_contain_text("Yes, with a landline fallback.")
    expect(reply).to_be_focused()
    expect(page.locator("#app-announcer")).to_have_text("Reply posted")
    expect(page.locator("#discussion-heading")).to_have_text("Discussion (4)")
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)
