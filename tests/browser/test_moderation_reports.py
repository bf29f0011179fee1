"""A moderator handles a reported comment, in a real browser: a missing reason is shown with
what was chosen kept, and the outcome is announced in a banner that takes focus."""

from playwright.sync_api import expect

from board.extensions import db
from board.models import Role
from tests.browser.test_lifecycle_journey import sign_in
from tests.factories import make_comment, make_council, make_report, make_study, make_user


def test_hiding_a_reported_comment(app, page, live_server, assert_accessible):
    with app.app_context():
        here = make_council("Newcastle City Council", domain="newcastle.gov.uk")
        there = make_council("Belfast City Council", domain="belfastcity.gov.uk")
        study = make_study(here, title="Telecare for families")
        comment = make_comment(study.id, make_user(here), "This is *rubbish* and so are you")
        report = make_report(make_user(here), comment, details="Insults the author.")
        make_user(there, role=Role.MODERATOR, email="mo@belfastcity.gov.uk", name="Mo Derator")
        db.session.commit()
        report_id = report.id
    sign_in(page, live_server, "mo@belfastcity.gov.uk")
    page.goto(live_server + "/moderation/reports")
    assert_accessible(page)
    item = page.locator(f"#report-{report_id}")
    # The comment is shown as its readers see it, not as Markdown.
    expect(item.locator(".govuk-inset-text em")).to_have_text("rubbish")

    # Without a reason: the comment's own page, the problem summarised, the choice kept.
    item.get_by_label("Keep the report open").check()
    item.get_by_role("button", name="Hide comment").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter a reason")).to_be_visible()
    expect(page.get_by_label("Keep its reports open")).to_be_checked()
    assert_accessible(page)
    summary.get_by_role("link", name="Enter a reason").click()
    expect(page.get_by_label("Reason for hiding it (its author sees this)")).to_be_focused()
    page.keyboard.type("It insults the author.")
    page.get_by_role("button", name="Hide comment").click()

    # Back at the report, which stays open as asked; the banner has focus.
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("Comment hidden; its author has been told why.")
    expect(banner).to_be_focused()
    expect(page.locator(f"#report-{report_id}")).to_contain_text("(hidden: It insults the author.)")
    assert_accessible(page)

    # Resolving it with a note too long: the note is kept, beside its report.
    item = page.locator(f"#report-{report_id}")
    item.get_by_label("Note on what you did (optional)").fill("n" * 501)
    item.get_by_role("button", name="Mark as resolved").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Keep the note to 500 characters or fewer").click()
    expect(page.locator(f"#note-{report_id}")).to_be_focused()
    expect(page.locator(f"#note-{report_id}")).to_have_value("n" * 501)
    assert_accessible(page)
    page.locator(f"#note-{report_id}").fill("Hidden, author told.")
    page.locator(f"#report-{report_id}").get_by_role("button", name="Mark as resolved").click()
    expect(page.get_by_role("alert")).to_contain_text("Report resolved.")
    expect(page.get_by_text("No open reports.")).to_be_visible()
