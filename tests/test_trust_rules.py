"""Rules an outside attack broke: a moderator deciding on their own council's work, members-only
titles shown under a public study, and a line break in a title jamming the queue."""

from __future__ import annotations

import pytest

from board.extensions import db
from board.models import (
    CaseStudy,
    Comment,
    Report,
    ReportReason,
    Status,
    TriedToo,
    Visibility,
)
from tests.conftest import csrf_token_from
from tests.factories import make_comment, make_report, make_study, make_user
from tests.test_authorisation import FORBIDDEN


def post(client, path, **data):
    token = csrf_token_from(client.get("/").text)
    return client.post(path, data={"csrf_token": token, **data})


def status_of(app, study_id) -> Status:
    with app.app_context():
        return db.session.get(CaseStudy, study_id).status


# 4. Conflict of interest ---------------------------------------------------------------------


@pytest.fixture
def colleague_of_moderator(app, world):
    """A draft by the moderator's own council, written by a colleague, submitted for review."""
    with app.app_context():
        colleague = make_user(world.there, name="Tess Thereshire")
        study = make_study(world.there, colleague, status=Status.SUBMITTED, title="Our pilot")
        db.session.commit()
        return study.id


@pytest.mark.parametrize("decision", ["approve", "request-changes", "reject"])
def test_a_moderator_cannot_decide_on_their_own_councils_study(
    app, client, as_role, colleague_of_moderator, decision
):
    as_role("moderator")
    response = post(
        client, f"/moderation/studies/{colleague_of_moderator}/{decision}", note="Looks fine"
    )
    assert response.status_code == FORBIDDEN
    assert status_of(app, colleague_of_moderator) is Status.SUBMITTED


def test_the_review_page_says_why_instead_of_offering_a_decision(
    client, as_role, colleague_of_moderator
):
    as_role("moderator")
    assert "Our pilot" in client.get("/moderation").text
    page = client.get(f"/moderation/studies/{colleague_of_moderator}").text
    assert "a moderator from another council decides" in page
    assert f"/moderation/studies/{colleague_of_moderator}/decision" not in page
    assert "Save decision" not in page
    study_page = client.get(f"/studies/{colleague_of_moderator}/our-pilot").text
    assert f"/moderation/studies/{colleague_of_moderator}/approve" not in study_page


def test_another_councils_moderator_decides(app, client, as_role, colleague_of_moderator):
    as_role("admin")  # belongs to no council
    response = post(client, f"/moderation/studies/{colleague_of_moderator}/approve")
    assert response.status_code == 302
    assert status_of(app, colleague_of_moderator) is Status.PUBLISHED


def test_a_moderator_rewriting_a_colleagues_draft_cannot_publish_it(app, client, world, sign_in):
    """The attack: edit a colleague's draft (so the moderator is not its author), submit it,
    approve it."""
    with app.app_context():
        colleague = make_user(world.there)
        study = make_study(world.there, colleague, status=Status.DRAFT, title="Quiet draft")
        db.session.commit()
        study_id = study.id
    sign_in(world.people.moderator)
    assert post(client, f"/studies/{study_id}/submit").status_code == 302
    assert status_of(app, study_id) is Status.SUBMITTED
    assert post(client, f"/moderation/studies/{study_id}/approve").status_code == FORBIDDEN
    assert status_of(app, study_id) is Status.SUBMITTED


def test_a_moderator_cannot_unpublish_or_handle_reports_on_their_own_councils_work(
    app, client, world, as_role
):
    with app.app_context():
        ours = make_study(world.there, title="Published pilot")
        comment = make_comment(ours.id, world.people.author, "Critical comment")
        reports = [
            make_report(world.people.author, target, ReportReason.OTHER, "Please look")
            for target in (ours, comment)
        ]
        db.session.commit()
        study_id, comment_id = ours.id, comment.id
        report_ids = [report.id for report in reports]
    as_role("moderator")
    unpublish = post(client, f"/moderation/studies/{study_id}/unpublish", note="Gone")
    assert unpublish.status_code == FORBIDDEN
    assert status_of(app, study_id) is Status.PUBLISHED
    hide = post(client, f"/moderation/comments/{comment_id}/hide", reason="Rude")
    assert hide.status_code == FORBIDDEN
    for report_id in report_ids:
        resolve = post(client, f"/moderation/reports/{report_id}/resolve", note="Fine")
        assert resolve.status_code == FORBIDDEN
    page = client.get("/moderation/reports").text
    assert page.count("a moderator from another council handles it") == 2
    with app.app_context():
        assert db.session.get(Comment, comment_id).hidden_at is None
        assert all(db.session.get(Report, id_).resolved_at is None for id_ in report_ids)


# 5. "We tried this too" and members-only titles ------------------------------------------------


@pytest.fixture
def public_and_secret(app, world):
    with app.app_context():
        public = make_study(world.here, world.people.author, title="Smart bins")
        secret = make_study(
            world.there, title="Secret phishing drill", visibility=Visibility.MEMBERS
        )
        open_one = make_study(world.there, title="Open bin sensors")
        db.session.commit()
        return public.id, secret.id, open_one.id


def test_members_only_write_ups_are_not_offered_under_a_public_study(
    app, client, as_role, public_and_secret
):
    public, secret, _ = public_and_secret
    as_role("outsider")
    page = client.get(f"/studies/{public}/smart-bins").text
    # The "we tried this too" control (the outsider may read the members-only study, and may
    # see it elsewhere on the page, among related studies: it is not offered as a link here).
    tried_too = page[page.index('<div id="tried-too"') :]
    assert "Open bin sensors" in tried_too
    assert "Secret phishing drill" not in tried_too
    # Forcing the choice links nothing.
    post(client, f"/studies/{public}/tried-too", own_study=str(secret))
    with app.app_context():
        [entry] = db.session.scalars(db.select(TriedToo)).all()
        assert entry.own_study_id is None


def test_members_only_titles_never_reach_visitors_through_tried_too(
    app, client, world, public_and_secret
):
    """A link made before this rule (or by a study that later became members-only) still shows
    its title only to those who may read it."""
    public, secret, _ = public_and_secret
    with app.app_context():
        db.session.add(
            TriedToo(
                case_study_id=public,
                user_id=world.people.outsider.id,
                council_id=world.there.id,
                own_study_id=secret,
            )
        )
        db.session.commit()
    visitor_page = client.get(f"/studies/{public}/smart-bins").text
    assert "Thereshire Council" in visitor_page
    assert "Secret phishing drill" not in visitor_page
    assert f"/studies/{secret}/" not in visitor_page


# 6. Line breaks in one-line fields -----------------------------------------------------------

BROKEN_TITLES = [
    "Chatbot\nBcc: evil@example.org",
    "Chatbot\r\nSubject: free money",
    "Chatbot\x85pilot",
    "Chatbot\u2028pilot",
    "Chatbot\u2029pilot\u202e",
]


@pytest.mark.parametrize("title", BROKEN_TITLES)
@pytest.mark.parametrize("decision", ["approve", "request-changes", "reject"])
def test_a_title_with_a_line_break_does_not_jam_the_queue(
    app, client, as_role, world, outbox, title, decision
):
    with app.app_context():
        study = make_study(world.here, world.people.author, status=Status.SUBMITTED, title=title)
        db.session.commit()
        study_id = study.id
    as_role("moderator")
    response = post(client, f"/moderation/studies/{study_id}/{decision}", note="A note")
    assert response.status_code == 302
    assert status_of(app, study_id) is not Status.SUBMITTED
    [message] = [m for m in outbox if m["To"] == world.people.author.email]
    subject = message["Subject"]
    assert "\n" not in subject and "\r" not in subject
    assert "\x85" not in subject and "\u2028" not in subject and "\u2029" not in subject
    assert message["Bcc"] is None
    assert set(message.keys()) >= {"From", "To", "Subject"}


@pytest.mark.parametrize("title", BROKEN_TITLES)
def test_one_line_fields_fold_line_breaks_when_typed(app, client, as_role, title):
    from tests.case_studies.test_writing import form_data

    as_role("author")
    response = client.post("/studies/new", data=form_data(app, client, title=title))
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.scalar(db.select(CaseStudy.title))
    assert stored.startswith("Chatbot ")
    assert not any(character in stored for character in "\n\r\x85\u2028\u2029\u202e")


def test_a_name_with_a_line_break_is_folded_at_registration(app, client):
    token = csrf_token_from(client.get("/auth/register").text)
    client.post(
        "/auth/register",
        data={
            "name": "Eve\r\nBcc: all@example.org",
            "email": "eve@example.org",
            "password": "a long enough passphrase",
            "council_role": "officer",
            "job_title": "Officer\u2028Admin",
            "csrf_token": token,
        },
    )
    from board.models import User

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "eve@example.org"))
        assert user.name == "Eve Bcc: all@example.org"
        assert user.job_title == "Officer Admin"


def test_a_decision_note_with_nul_or_too_long_is_answered_not_crashed(app, client, as_role, world):
    with app.app_context():
        study = make_study(world.here, world.people.author, status=Status.SUBMITTED)
        db.session.commit()
        study_id = study.id
    as_role("moderator")
    nul = post(client, f"/moderation/studies/{study_id}/request-changes", note="Fix\x00 this")
    assert nul.status_code == 302
    with app.app_context():
        assert db.session.get(CaseStudy, study_id).decision_note == "Fix this"
    with app.app_context():
        db.session.get(CaseStudy, study_id).status = Status.SUBMITTED
        db.session.commit()
    long = post(client, f"/moderation/studies/{study_id}/reject", note="x" * 5001)
    assert long.status_code == 302
    assert status_of(app, study_id) is Status.SUBMITTED
    assert "5,000 characters or fewer" in client.get("/moderation").text


# A request the CSRF check refused is never acted on ------------------------------------------


def test_a_refused_csrf_check_saves_nothing_even_with_a_good_token(app, client, as_role):
    """Over HTTPS, Flask-WTF also refuses a post with no Referer. The form comes back with what
    was typed, as for any CSRF failure, but the study is not saved."""
    from tests.case_studies.test_writing import form_data

    as_role("author")
    https = "https://localhost"
    page = client.get("/studies/new", base_url=https)
    data = {**form_data(app, client), "csrf_token": csrf_token_from(page.text)}
    response = client.post("/studies/new", data=data, base_url=https)
    assert response.status_code == 400
    assert "Self-service kiosks nobody used" in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(CaseStudy)) == 0
    # With the Referer a browser sends, the same post is saved.
    saved = client.post(
        "/studies/new", data=data, base_url=https, headers={"Referer": https + "/studies/new"}
    )
    assert saved.status_code == 302
