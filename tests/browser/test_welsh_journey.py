"""In Welsh, in a real browser: a visitor switches the board to Cymraeg, filters it and opens a
study written in Welsh, and the switch keeps the page and its filters both ways. A member of a
Welsh council, choosing Cymraeg, writes up a study in Welsh; a moderator who reads English
publishes it; the member's email about it arrives in Welsh, the moderator's pages stay English.

Every Welsh label the journey looks for is the catalogue's translation of the English (``cy``),
which must differ from the English: a string left untranslated fails here."""

from __future__ import annotations

import re
from functools import cache

from babel.support import Translations
from playwright.sync_api import expect

from board.extensions import db
from board.models import CaseStudy, Outcome, Role, Status, User
from scripts.translations import COMPILED
from tests.factories import PASSWORD, make_council, make_study, make_user

RESULTS = "#results .app-study-card__title"
WELSH_TITLE = "Sgwrsfot i ateb cwestiynau am y dreth gyngor"
ENGLISH_TITLE = "Chatbot for council tax questions"
WRITTEN_TITLE = "Synwyryddion llifogydd ar afonydd bach"


@cache
def _catalogue() -> Translations:
    with COMPILED.open("rb") as file:
        return Translations(file)


def cy(english: str) -> str:
    welsh = _catalogue().gettext(english)
    assert welsh != english, f"not translated: {english!r}"
    return welsh


def _board(app) -> None:
    with app.app_context():
        gwynedd = make_council("Gwynedd Council", domain="gwynedd.llyw.cymru")
        kent = make_council("Kent County Council", domain="kent.gov.uk")
        elin = make_user(gwynedd, email="elin@gwynedd.llyw.cymru", name="Elin Jones")
        make_user(kent, role=Role.MODERATOR, email="mo@kent.gov.uk", name="Mo Derator")
        make_study(
            gwynedd,
            elin,
            title=WELSH_TITLE,
            summary="Atebodd y sgwrsfot un cwestiwn o bob pump; aeth y gweddill at y ffôn.",
            what_we_learned="Roedd trigolion eisiau siarad â pherson.",
            topics=["digital-communications"],
            outcome=Outcome.DID_NOT_WORK,
            language="cy",
        )
        make_study(
            kent,
            title=ENGLISH_TITLE,
            topics=["digital-communications"],
            outcome=Outcome.WORKED,
        )
        make_study(
            kent, title="Library laptop loans", topics=["digital-inclusion-and-connectivity"]
        )
        db.session.commit()


def _sign_in_in_welsh(page, live_server: str, email: str) -> None:
    page.goto(live_server + "/auth/login")
    page.get_by_label(cy("Email address")).fill(email)
    page.get_by_label(cy("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=cy("Sign in")).click()
    expect(page.get_by_role("button", name=cy("Sign out"))).to_be_visible()


def test_the_board_in_welsh_from_switch_to_email(app, page, live_server, assert_accessible, outbox):
    _board(app)

    # A first visit from an English browser is in English, with the way to Welsh in the header.
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page.locator(RESULTS)).to_have_count(3)
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page).to_have_url(live_server + "/")
    assert_accessible(page)

    # Filtering in Welsh: the topic by its Welsh name, then the studies written in Welsh.
    page.get_by_label("Cyfathrebu digidol").check()
    expect(page.locator(RESULTS)).to_have_count(2)
    expect(page).to_have_url(re.compile(r"topic=digital-communications"))
    page.locator("#main-content").get_by_label("Cymraeg", exact=True).check()
    expect(page.locator(RESULTS)).to_have_text([WELSH_TITLE])
    expect(page).to_have_url(re.compile(r"language=cy"))
    # The card's text is marked as Welsh, for screen readers.
    expect(page.locator("#results [lang='cy']").first).to_be_visible()
    assert_accessible(page)

    # The switch keeps the page and its filters, both ways.
    filtered = page.url
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page).to_have_url(filtered)
    expect(page.locator(RESULTS)).to_have_text([WELSH_TITLE])
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page).to_have_url(filtered)

    # The study, its own text marked Welsh inside a Welsh page.
    page.get_by_role("link", name=WELSH_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(WELSH_TITLE)
    expect(page.locator("h1[lang='cy'], [lang='cy'] h1").first).to_be_visible()
    expect(page.get_by_role("heading", name=cy("What we learned"))).to_be_visible()
    assert_accessible(page)

    # Elin, of a Welsh council, signs in (the page stays in Welsh: her cookie), and saves
    # Cymraeg on her account with the header's switch (English, then Cymraeg again).
    _sign_in_in_welsh(page, live_server, "elin@gwynedd.llyw.cymru")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    with app.app_context():
        elin = db.session.scalar(db.select(User).where(User.email == "elin@gwynedd.llyw.cymru"))
        assert elin.language == "cy"

    # She writes up an experiment in Welsh: the form starts with the interface's language.
    page.goto(live_server + "/studies/new")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.get_by_label(cy("Title")).fill(WRITTEN_TITLE)
    page.get_by_label(cy("Summary")).fill("Rhybuddion cynnar i bentrefi ger afonydd bach.")
    page.get_by_label("Technoleg lleoedd clyfar").check()
    page.get_by_label(cy("Worked"), exact=True).check()
    page.get_by_label(cy("What we tried")).fill("Gosodon ni ddeg synhwyrydd ar bedair afon.")
    page.get_by_label(cy("What we learned")).fill("Mae angen batris sy'n para drwy'r gaeaf.")
    page.get_by_role("button", name=cy("Submit for review")).click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page)
    with app.app_context():
        written = db.session.scalar(db.select(CaseStudy).where(CaseStudy.title == WRITTEN_TITLE))
        assert written.language == "cy"
        assert written.status is Status.SUBMITTED
        written_id = written.id
    page.get_by_role("button", name=cy("Sign out")).click()

    # A moderator who has chosen nothing, in a browser that prefers English, publishes it: the
    # moderation pages are English for him.
    moderator = page.context.browser.new_context(locale="en-GB")
    tab = moderator.new_page()
    tab.goto(live_server + "/auth/login")
    tab.get_by_label("Email address").fill("mo@kent.gov.uk")
    tab.get_by_label("Password", exact=True).fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    expect(tab.locator("html")).to_have_attribute("lang", "en-GB")
    tab.get_by_role("link", name="Moderation", exact=True).click()
    tab.get_by_role("link", name=WRITTEN_TITLE).click()
    tab.get_by_label("Approve and publish").check()
    tab.get_by_role("button", name="Save decision").click()
    expect(tab.get_by_role("alert")).to_contain_text("You approved")
    moderator.close()

    # Elin's email about it is in Welsh: her account's language, not the moderator's.
    to_elin = [message for message in outbox if message["To"] == "elin@gwynedd.llyw.cymru"]
    assert to_elin, "Elin was sent nothing"
    published = to_elin[-1]
    body = published.get_body(("plain",)).get_content()
    assert WRITTEN_TITLE in published["Subject"] + body
    welsh_subject = cy("“%(title)s” is published") % {"title": WRITTEN_TITLE}
    assert welsh_subject in published["Subject"], published["Subject"]
    english_words = re.compile(r"\b(your|has been|published|study|case)\b", re.IGNORECASE)
    assert not english_words.search(published["Subject"]), published["Subject"]
    assert f"/studies/{written_id}" in body
