"""Case studies, updates and follow-ups in Welsh: the write-up form's errors, what the council is
told, and who it is told to in which language."""

from __future__ import annotations

from datetime import date
from html import unescape

from board.case_studies import services as studies
from board.extensions import db
from board.i18n import COOKIE
from board.models import CaseStudy, Outcome, Status, User
from board.updates import services as updates
from tests.case_studies.test_writing import form_data
from tests.conftest import csrf_token_from
from tests.factories import make_study, make_user
from tests.follow_ups.helpers import at, send
from tests.updates.helpers import make_update


def in_welsh(client):
    client.set_cookie(COOKIE, "cy")


def speaks(app, user, language: str | None) -> None:
    with app.app_context():
        db.session.get(User, user.id).language = language
        db.session.commit()


def fresh(user) -> User:
    """``user`` as the database has it now (a test's copy may predate a change)."""
    return db.session.get(User, user.id)


def mail_to(outbox, person):
    return [message for message in outbox if message["To"] == person.email]


# The write-up form -----------------------------------------------------------------------------


def test_a_welsh_write_up_with_errors_says_so_in_welsh_and_keeps_the_text(app, client, as_role):
    as_role("author")
    in_welsh(client)
    data = form_data(
        app,
        client,
        title="",
        summary="Ciosgau hunanwasanaeth na ddefnyddiodd neb.",
        what_we_learned="Gofyn i drigolion yn gyntaf.",
        started_month="13",
        language="cy",
        action="submit",
    )
    response = client.post("/studies/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<html lang="cy"' in html
    assert "Mae problem wedi codi" in html or "Rhowch deitl" in html
    assert "Rhowch deitl" in html
    assert "Rhowch y mis y dechreuodd fel rhif rhwng 1 a 12" in html
    assert "Enter a title" not in html
    assert "Ciosgau hunanwasanaeth na ddefnyddiodd neb." in html
    assert "Gofyn i drigolion yn gyntaf." in html
    assert "<title>Gwall: Ysgrifennu am arbrawf" in html
    # The count's messages are Welsh, one for each plural form the browser may pick.
    assert 'data-i18n.characters-under-limit.few="Mae gennych %{count} nod ar ôl"' in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(CaseStudy)) == 0


def test_the_language_question_defaults_to_the_interface_language(client, as_role):
    as_role("author")
    english = client.get("/studies/new").get_data(as_text=True)
    assert "Which language is this case study written in?" in english
    assert checked_language(english) == "en"
    in_welsh(client)
    welsh = client.get("/studies/new").get_data(as_text=True)
    assert "Ym mha iaith mae'r astudiaeth achos hon wedi'i hysgrifennu?" in unescape(welsh)
    assert checked_language(welsh) == "cy"
    # Each language is named in itself, and marked with its own lang.
    assert 'lang="en"' in welsh.split('name="language"')[1].split("</label>")[0]


def checked_language(html: str) -> str:
    import re

    inputs = re.findall(r"<input[^>]*name=\"language\"[^>]*>", html)
    assert len(inputs) == 2
    return next(re.search(r'value="(\w+)"', i).group(1) for i in inputs if "checked" in i)


def test_a_welsh_flash_after_saving(app, client, as_role):
    as_role("author")
    in_welsh(client)
    response = client.post("/studies/new", data=form_data(app, client), follow_redirects=True)
    assert "Mae eich drafft wedi&#39;i gadw." in response.get_data(as_text=True)


def test_a_welsh_refusal_to_submit_names_what_is_missing(app, client, as_role, world):
    with app.app_context():
        study = make_study(world.here, world.people.author, status=Status.DRAFT, summary="")
        db.session.commit()
        study_id = study.id
    as_role("author")
    in_welsh(client)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    page = client.post(
        f"/studies/{study_id}/submit", data={"csrf_token": token}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Cyn i chi gyflwyno, ychwanegwch grynodeb." in page


# What the council is told, in each member's language --------------------------------------------


def test_a_moderators_decision_reaches_each_author_in_their_language(app, world, outbox):
    welsh, english = world.people.author, world.people.colleague
    speaks(app, welsh, "cy")
    with app.test_request_context():
        first = make_study(world.here, fresh(welsh), status=Status.SUBMITTED, title="Ciosgau")
        second = make_study(world.here, fresh(english), status=Status.SUBMITTED, title="Kiosks")
        db.session.flush()
        studies.request_changes(first, world.people.moderator, "Ychwanegwch y costau.")
        studies.request_changes(second, world.people.moderator, "Add the costs.")
        db.session.commit()
    assert [m["Subject"] for m in mail_to(outbox, welsh)] == ["Gofynnwyd am newidiadau i “Ciosgau”"]
    assert [m["Subject"] for m in mail_to(outbox, english)] == ["Changes requested to “Kiosks”"]


def test_an_approved_update_is_announced_in_the_authors_language(app, world, outbox):
    welsh, english = world.people.author, world.people.colleague
    speaks(app, welsh, "cy")
    with app.test_request_context():
        study = make_study(world.here, fresh(welsh), title="Sgwrsfot")
        other = make_study(world.here, fresh(english), title="Chatbot")
        db.session.flush()
        for update in (make_update(study.id, welsh), make_update(other.id, english)):
            updates.approve(update, world.people.moderator)
        db.session.commit()
    (to_welsh,) = mail_to(outbox, welsh)
    assert to_welsh["Subject"] == "Mae eich diweddariad i “Sgwrsfot” wedi'i gyhoeddi"
    assert "Mae cymedrolwr wedi cymeradwyo eich diweddariad." in to_welsh.get_content()
    (to_english,) = mail_to(outbox, english)
    assert to_english["Subject"] == "Your update to “Chatbot” is published"


def test_a_follow_up_prompt_reaches_each_member_in_their_language(app, world, outbox):
    welsh, english = world.people.author, world.people.colleague
    speaks(app, welsh, "cy")
    with app.app_context():
        make_study(
            world.here,
            fresh(welsh),
            title="Sgwrsfot y dreth gyngor",
            published_at=at("2026-01-15 10:00"),
            outcome=Outcome.ONGOING,
            ended_on=date(2026, 9, 1),
        )
        db.session.commit()
    send(app, "2026-07-15 09:00")
    (to_welsh,) = mail_to(outbox, welsh)
    assert "Mae chwe mis ers iddi gael ei chyhoeddi ar Case Board." in to_welsh.get_content()
    outbox.clear()
    send(app, "2026-10-01 09:00")
    (to_welsh,) = mail_to(outbox, welsh)
    assert to_welsh["Subject"] == "Beth ddigwyddodd nesaf gyda “Sgwrsfot y dreth gyngor”?"
    # The month in Welsh, from Babel: no English month name in a Welsh email.
    assert "Mae ei dyddiad gorffen arfaethedig ym mis Medi 2026" in to_welsh.get_content()
    assert "September" not in to_welsh.get_content()
    (to_english,) = mail_to(outbox, english)
    assert to_english["Subject"] == "What happened next with “Sgwrsfot y dreth gyngor”?"
    assert "Its planned end in September 2026 has passed" in to_english.get_content()


def test_no_change_yet_thanks_in_welsh_with_a_welsh_date(app, client, world):
    with app.app_context():
        member = make_user(world.here, name="Siân", language="cy")
        study = make_study(world.here, member, published_at=at("2026-01-15 10:00"))
        db.session.commit()
        study_id = study.id
    send(app, "2026-07-15 09:00")
    from tests.factories import PASSWORD

    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    client.post(
        "/auth/login", data={"email": member.email, "password": PASSWORD, "csrf_token": token}
    )
    page = client.get(f"/studies/{study_id}/follow-up").get_data(as_text=True)
    assert "Beth ddigwyddodd nesaf?" in page
    token = csrf_token_from(page)
    thanks = client.post(
        f"/studies/{study_id}/follow-up/no-change",
        data={"csrf_token": token},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Diolch. Byddwn yn gofyn i&#39;ch cyngor eto ar" in thanks
    assert "Thank you." not in thanks
