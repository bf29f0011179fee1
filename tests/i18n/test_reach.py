"""Notifications, follows and digests in Welsh: what is sent to someone is in their language
(digests from the command line, notifications from someone else's request), and the pages are
in the reader's."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask_babel import force_locale, ngettext

from board.digests import services
from board.extensions import db
from board.i18n import COOKIE, WELSH
from board.models import FollowKind, Notification, Outcome, Topic
from board.models.user import CouncilRole, DigestFrequency, Role
from board.notifications.services import notify, notify_comment_posted
from tests.digests.helpers import NOW, approved_update, at, follow, make_member
from tests.factories import make_comment, make_council, make_study, make_user
from tests.i18n.english import english_in, load
from tests.question_rows import make_question

# Asked on 17 November: its seventh day falls in the weekly digest's window at NOW.
WEEK_AGO = at("2026-11-17T10:00")


@pytest.fixture(scope="module")
def english(extracted_strings, tmp_path_factory):
    """The interface's English as the Welsh pages' check sees it once the parts are folded
    into the catalogue (msgids whose Welsh is the same, such as "Case Board: %(news)s", are
    not English left behind)."""
    from babel.messages.pofile import write_po

    from scripts.translations import WELSH, read, with_parts

    folded = tmp_path_factory.mktemp("folded") / "messages.po"
    with folded.open("wb") as file:
        write_po(file, with_parts(read(WELSH)), width=0)
    return load(extracted_strings, folded)


def sent_to(outbox, email):
    return [message for message in outbox if message["To"] == email]


def main_of(html: str) -> str:
    """The page's own content: the header and footer around it are another area's."""
    match = re.search(r"<main\b.*?</main>", html, re.S)
    assert match, "no <main> in the page"
    return match.group(0)


@pytest.fixture
def readers(app):
    """Three members of a council that published a case study this week, and an update to an
    older one in November; the middle one reads Welsh. A question on cyber security, a week
    old and unanswered, asks their council for help."""
    with app.app_context():
        council = make_council("Hereshire Council")
        asker = make_user(make_council("Thereshire Council"), name="Quinn Asker")
        asker.digest_frequency = DigestFrequency.NONE
        make_study(council, topics=["cyber-security"], published_at=at("2026-01-01T00:00"))
        older = make_study(council, title="Smart bins", published_at=at("2026-03-01T00:00"))
        older.outcome = Outcome.ONGOING
        approved_update(older, older.author, at("2026-11-25T09:00"), Outcome.DID_NOT_WORK)
        older.outcome = Outcome.DID_NOT_WORK
        for email, name, language in (
            ("ed@example.org", "Ed", None),
            ("gwen@example.org", "Gwen", WELSH),
            ("eve@example.org", "Eve", "en"),
        ):
            member = make_member(council, email=email, name=name, language=language)
            follow(member, FollowKind.COUNCIL, council_id=council.id)
            follow(member, FollowKind.STUDY, study_id=older.id)
        make_study(council, title="Phishing drill", published_at=at("2026-11-25T09:00"))
        make_question(asker, "Phishing drills?", topics=["cyber-security"], created_at=WEEK_AGO)
        welsh_topic = db.session.scalar(db.select(Topic).where(Topic.slug == "cyber-security"))
        db.session.commit()
        return welsh_topic.name_cy


def test_each_member_gets_their_digest_in_their_own_language_in_one_run(app, outbox, readers):
    """The command line has no request (English unless told): the Welsh reader's digest is
    Welsh, subject and month names too, and those sent after it are English again."""
    with app.app_context():
        report = services.send_digests(NOW)
    assert report.sent >= 3
    [welsh] = sent_to(outbox, "gwen@example.org")
    body = welsh.get_content()
    assert welsh["Subject"] == (
        "Case Board: 1 astudiaeth achos newydd, 1 diweddariad i'r hyn rydych chi'n ei ddilyn, "
        "1 cwestiwn heb ei ateb y gallai eich cyngor helpu gydag ef"
    )
    assert body.startswith("Helo Gwen,\n")
    heading = "Astudiaethau achos newydd ar yr hyn rydych chi'n ei ddilyn"
    assert f"{heading}\n{'-' * len(heading)}\n" in body
    assert "Smart bins: diweddariad ar gyfer Tachwedd 2026\n" in body
    assert "Gofynnwyd gan Thereshire Council ar 17 Tachwedd 2026, dim atebion eto" in body
    assert readers == "Seiberddiogelwch"
    assert "Allai eich cyngor helpu? Cwestiynau heb eu hateb ar Seiberddiogelwch\n" in body
    assert "I roi'r gorau i'r negeseuon e-bost hyn (un clic, heb fewngofnodi): http" in body
    for english in ("Hello", "New case studies", "update for", "November", "Asked by", "To stop"):
        assert english not in body

    for email, name in (("ed@example.org", "Ed"), ("eve@example.org", "Eve")):
        [message] = sent_to(outbox, email)
        text = message.get_content()
        assert message["Subject"] == (
            "Case Board: 1 new case study, 1 update you follow and 1 unanswered question your "
            "council could help with"
        )
        assert text.startswith(f"Hello {name},\n")
        assert "Smart bins: update for November 2026\n" in text
        assert "Can your council help? Unanswered questions on Cyber security\n" in text
        assert "Asked by Thereshire Council on 17 November 2026, no answers yet" in text
        assert "Tachwedd" not in text and "Helo" not in text


def test_a_notification_is_written_in_its_recipients_language_whoever_sends_it(app, outbox):
    """A comment on a Welsh reader's study, posted from an English page: their notification
    and its email are Welsh; the English-speaking commenter replied to is told in English."""
    with app.app_context():
        council = make_council("Hereshire Council")
        author = make_user(council, name="Gwen", language=WELSH, email_on_comments=True)
        study = make_study(council, author=author, title="Smart bins")
        first = make_comment(study.id, make_user(council, name="Ed", email_on_comments=True))
        reply = make_comment(study.id, make_user(council, name="Rhys"))
        reply.parent_id = first.id
        db.session.flush()
        db.session.refresh(reply)
        with app.test_request_context(headers={"Accept-Language": "en"}):
            notify_comment_posted(reply, f"/studies/{study.id}/smart-bins#comment-{reply.id}")
        db.session.commit()
        subjects = {row.user_id: row.subject for row in db.session.scalars(db.select(Notification))}
        assert subjects[author.id] == "Mae Rhys wedi ymateb i sylw ar “Smart bins”"
        assert subjects[first.author_id] == "Rhys replied to your comment on “Smart bins”"
    [welsh] = sent_to(outbox, author.email)
    assert welsh["Subject"] == "Mae Rhys wedi ymateb i sylw ar “Smart bins”"
    assert welsh.get_content().startswith("Helo Gwen,\n")
    [english] = sent_to(outbox, first.author.email)
    assert english.get_content().startswith("Hello Ed,\n")


def test_notify_wraps_the_email_in_the_recipients_language(app, outbox):
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "cy"}):
        reader = make_user(None, name="Ed", language="en")
        notify(reader, "Your case study was published", "", "/")
        db.session.commit()
    [message] = sent_to(outbox, reader.email)
    assert message.get_content().startswith("Hello Ed,\n")


def _welsh_client(client):
    """``client`` reading in Welsh, with the message of signing in already shown (the
    banner around it is the page's frame, not the page)."""
    client.set_cookie(COOKIE, WELSH)
    client.get("/contact")
    return client


def test_the_notifications_page_in_welsh(app, client, sign_in, english):
    with app.app_context():
        reader = make_user(make_council("Hereshire Council"), name="Gwen")
        for number in range(2):
            db.session.add(Notification(user_id=reader.id, subject=f"Hysbysiad {number}", link="/"))
        db.session.commit()
    sign_in(reader)
    html = _welsh_client(client).get("/notifications").get_data(as_text=True)
    main = main_of(html)
    assert '<html lang="cy"' in html
    text = unescape(main)
    assert '<h1 class="govuk-heading-l">Hysbysiadau</h1>' in text
    assert "Mae gennych chi 2 hysbysiad heb eu darllen." in text
    assert "Marcio bob un fel wedi'i ddarllen" in text
    assert english_in(main, english) == []


def test_the_notifications_page_with_none_in_welsh(app, client, sign_in, english):
    with app.app_context():
        reader = make_user(make_council("Hereshire Council"))
        db.session.commit()
    sign_in(reader)
    main = main_of(_welsh_client(client).get("/notifications").get_data(as_text=True))
    assert "Does gennych chi ddim hysbysiadau." in main
    assert english_in(main, english) == []


@pytest.mark.parametrize(
    ("count", "welsh"),
    [
        (0, "Does gennych chi ddim hysbysiadau heb eu darllen."),
        (1, "Mae gennych chi 1 hysbysiad heb ei ddarllen."),
        (2, "Mae gennych chi 2 hysbysiad heb eu darllen."),
        (3, "Mae gennych chi 3 hysbysiad heb eu darllen."),
        (6, "Mae gennych chi 6 hysbysiad heb eu darllen."),
        (20, "Mae gennych chi 20 hysbysiad heb eu darllen."),
    ],
)
def test_unread_notifications_are_counted_in_welsh(app, count, welsh):
    with app.test_request_context(), force_locale(WELSH):
        said = ngettext(
            "You have %(num)d unread notification.",
            "You have %(num)d unread notifications.",
            count,
        )
    assert said == welsh


def test_follow_controls_and_the_following_page_in_welsh(app, client, sign_in, english):
    with app.app_context():
        council = make_council("Hereshire Council")
        reader = make_user(council)
        follow(reader, FollowKind.COUNCIL, council_id=council.id)
        follow(reader, FollowKind.SEARCH, query="q=bins", name="Biniau")
        db.session.commit()
        council_slug = council.slug
    sign_in(reader)
    _welsh_client(client)
    main = main_of(client.get("/account/following").get_data(as_text=True))
    assert "Beth rydych chi'n ei ddilyn" in unescape(main)
    assert "Yn sôn am “bins”" in unescape(main)
    assert english_in(main, english) == []
    page = client.get(f"/councils/{council_slug}").get_data(as_text=True)
    assert "Peidio â dilyn y cyngor hwn" in page


def test_a_saved_search_is_described_in_welsh(app, client, sign_in, english):
    with app.app_context():
        reader = make_user(make_council("Hereshire Council"))
        db.session.commit()
    sign_in(reader)
    _welsh_client(client)
    page = client.get("/account/following/search?topic=cyber-security&topic=data-and-research")
    main = main_of(page.get_data(as_text=True))
    assert "Cael negeseuon e-bost am y chwiliad hwn" in main
    assert re.search(r"Pwnc: [^<]+ neu [^<]+</li>", main)
    assert english_in(main, english) == []


def test_a_name_left_empty_is_refused_in_welsh(app, client, sign_in, csrf_token):
    with app.app_context():
        reader = make_user(make_council("Hereshire Council"))
        db.session.commit()
    sign_in(reader)
    _welsh_client(client)
    response = client.post(
        "/account/following/search?topic=cyber-security",
        data={"name": "", "csrf_token": csrf_token("/account/following/search")},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Rhowch enw ar gyfer y chwiliad hwn" in html
    assert '<span class="govuk-visually-hidden">Gwall:</span>' in html


def test_the_unsubscribe_pages_in_welsh(app, client, english):
    with app.app_context():
        member = make_member(make_council("Hereshire Council"), email="gwen@example.org")
        db.session.commit()
        token = services.unsubscribe_token(member)
    _welsh_client(client)
    main = main_of(client.get(f"/unsubscribe/{token}").get_data(as_text=True))
    assert "Dad-danysgrifio o'r crynodebau e-bost" in unescape(main)
    assert "gwen@example.org" in main
    assert english_in(main, english) == []
    done = main_of(client.post(f"/unsubscribe/{token}").get_data(as_text=True))
    assert "Rydych chi wedi dad-danysgrifio" in done
    assert english_in(done, english) == []
    failed = client.get("/unsubscribe/not-a-token")
    assert failed.status_code == 404
    assert english_in(main_of(failed.get_data(as_text=True)), english) == []


def test_the_labels_are_welsh(app):
    with app.test_request_context(), force_locale(WELSH):
        assert FollowKind.SEARCH.label == "Chwiliad wedi'i gadw"
        assert DigestFrequency.WEEKLY.label == "Bob wythnos"
        assert Role.MODERATOR.label == "Cymedrolwr"
        assert CouncilRole.COUNCILLOR.label == "Cynghorydd"
    with app.test_request_context():
        assert DigestFrequency.NONE.label == "No digest"
        assert CouncilRole.OFFICER.label == "Officer"


def test_the_digest_choices_follow_the_pages_language(app, client, sign_in):
    """The form's choices are made at import time, and still say the page's language."""
    with app.app_context():
        reader = make_user(make_council("Hereshire Council"))
        db.session.commit()
    sign_in(reader)
    english_page = client.get("/account/following").get_data(as_text=True)
    assert "Weekly" in english_page
    welsh_page = _welsh_client(client).get("/account/following").get_data(as_text=True)
    assert "Bob wythnos" in welsh_page and "Bob dydd" in welsh_page
