"""Deleting one's account: personal data erased everywhere in the database, comments kept as
from a former member (or deleted), studies left with the council, the log keeping the id."""

from __future__ import annotations

import re
import threading
import time
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from board.case_studies import services as studies
from board.comments import services as discussion
from board.extensions import db
from board.models import (
    CaseStudy,
    Comment,
    CouncilRequest,
    CouncilRequestStatus,
    ModerationLog,
    Notification,
    OutboxMessage,
    ReportReason,
    Role,
    TriedToo,
    UsefulMark,
    User,
    UserSession,
)
from tests.conftest import csrf_token_from
from tests.factories import PASSWORD, make_council, make_study, make_user

NAME = "Nia Evans-Pritchard"
EMAIL = "nia.pritchard@ceredigion.gov.uk"
EARLIER_EMAIL = "nia.earlier@example.org"
COUNCIL = "Ceredigion County Council"


def _world(app, client, sign_in, csrf_token, outbox) -> SimpleNamespace:
    """A member who has done everything there is to do, leaving traces in every table: studies,
    an edit, comments with replies, marks, a report, notifications and mail both ways, two
    devices, an address changed once."""
    with app.test_request_context():
        council = make_council(COUNCIL, domain="ceredigion.gov.uk")
        person = make_user(
            council, email=EARLIER_EMAIL, name=NAME, job_title="Head of Digital Inclusion"
        )
        colleague = make_user(council, name="Cai Colleague", email_on_comments=True)
        person.email_on_comments = True
        written = make_study(council, person, title="Chatbot for council tax")
        draft = make_study(council, person, title="A draft of hers", status=studies.Status.DRAFT)
        others = make_study(council, colleague, title="Open data portal")
        studies.working_copy(written, person).summary = "An edit she made."
        comment = discussion.post_comment(others, person, "We did this too.", None)
        discussion.post_comment(others, colleague, "Thank you for this.", comment)
        discussion.post_comment(written, colleague, "How long did it take?", None)
        discussion.post_comment(others, person, "A second comment.", None)
        discussion.toggle_useful(others, person)
        discussion.toggle_useful(others, colleague)
        discussion.toggle_tried_too(others, person, written.id)
        discussion.file_report(person, others, ReportReason.OTHER, "Figures are out of date.")
        # Before her council was listed she asked for it, in her own words for her role.
        db.session.add(
            CouncilRequest(
                requester_id=person.id,
                council_name=COUNCIL,
                website="https://www.ceredigion.gov.uk",
                requester_role="Head of Digital Inclusion",
                email_domain="ceredigion.gov.uk",
                status=CouncilRequestStatus.APPROVED,
                council_id=council.id,
            )
        )
        db.session.commit()
        ids = SimpleNamespace(
            person=person.id,
            colleague=colleague.id,
            written=written.id,
            draft=draft.id,
            others=others.id,
            comment=comment.id,
        )
    # Change address once, through the pages: mail to and about both addresses.
    with app.app_context():
        person = db.session.get(User, ids.person)
    sign_in(person)
    client.post(
        "/account/email",
        data={
            "email": EMAIL,
            "current_password": PASSWORD,
            "csrf_token": csrf_token("/account/email"),
        },
    )
    link = re.search(r"/account/email/confirm/\S+", outbox[-2].get_content()).group(0)
    assert client.get(link).status_code == 302
    return ids


def _delete(client, csrf_token, comments="keep", password=PASSWORD):
    return client.post(
        "/account/delete",
        data={
            "comments": comments,
            "current_password": password,
            "csrf_token": csrf_token("/account/delete"),
        },
    )


def _every_stored_value(app):
    """Every value of every row of every table, as text."""
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)).all():
                for column, value in zip(table.columns, row, strict=True):
                    if value is not None:
                        yield table.name, column.name, str(value)


def test_deletion_leaves_no_name_or_address_anywhere_in_the_database(
    app, client, sign_in, csrf_token, outbox
):
    ids = _world(app, client, sign_in, csrf_token, outbox)
    # Both names were stored before: the search below can find them.
    stored = list(_every_stored_value(app))
    assert any(NAME in value for _, _, value in stored)
    assert any(EMAIL in value.lower() for _, _, value in stored)
    assert any(EARLIER_EMAIL in value.lower() for _, _, value in stored)

    response = _delete(client, csrf_token)
    assert response.status_code == 302

    found = [
        (table, column)
        for table, column, value in _every_stored_value(app)
        if NAME in value
        or EMAIL in value.lower()
        or EARLIER_EMAIL in value.lower()
        or "Head of Digital Inclusion" in value
    ]
    assert found == []
    with app.app_context():
        person = db.session.get(User, ids.person)
        assert person.name == "Former member"
        assert person.email == f"deleted-{ids.person}@deleted.invalid"
        assert person.job_title == ""
        assert person.active is False
        assert person.deleted_at is not None
        assert person.password_hash.startswith("!")


def test_what_is_removed_and_what_stays(app, client, sign_in, csrf_token, outbox):
    ids = _world(app, client, sign_in, csrf_token, outbox)
    with app.app_context():
        useful_before = db.session.get(CaseStudy, ids.others).useful_count
        colleague_notes = db.session.scalar(
            select(db.func.count()).where(Notification.user_id == ids.colleague)
        )
    assert useful_before == 2
    _delete(client, csrf_token)
    with app.app_context():
        for model in (UsefulMark, TriedToo, Notification, UserSession):
            column = model.user_id
            assert db.session.scalar(select(db.func.count()).where(column == ids.person)) == 0
        # The count moved with the mark; the colleague's mark stays.
        assert db.session.get(CaseStudy, ids.others).useful_count == 1
        # Others' notifications stay, naming nobody.
        notes = db.session.scalars(
            select(Notification).where(Notification.user_id == ids.colleague)
        ).all()
        assert len(notes) == colleague_notes
        assert any(note.subject.startswith("A former member commented on") for note in notes)
        # Studies stay with the council, the draft too.
        for study_id in (ids.written, ids.draft):
            study = db.session.get(CaseStudy, study_id)
            assert study.council.name == COUNCIL
            assert study.author_id == ids.person
        # Comments kept, with their text.
        bodies = db.session.scalars(
            select(Comment.body).where(Comment.author_id == ids.person).order_by(Comment.id)
        ).all()
        assert bodies == ["We did this too.", "A second comment."]
        # No mail left to either of the person's addresses, sent or not.
        addresses = set(db.session.scalars(select(OutboxMessage.to_address)))
        assert EMAIL not in addresses and EARLIER_EMAIL not in addresses
        # The log keeps the action with the id, not the name.
        (entry,) = db.session.scalars(
            select(ModerationLog).where(ModerationLog.action == "member.deleted_account")
        ).all()
        assert entry.target_type == "user"
        assert entry.target_id == ids.person
        assert entry.actor_id == ids.person
        assert "Nia" not in entry.reason


def test_kept_comments_show_as_from_a_former_member_of_the_council(
    app, client, sign_in, csrf_token, outbox
):
    ids = _world(app, client, sign_in, csrf_token, outbox)
    _delete(client, csrf_token)
    with app.app_context():
        study = db.session.get(CaseStudy, ids.others)
        path = f"/studies/{study.id}/{study.slug}"
        written = db.session.get(CaseStudy, ids.written)
        written_path = f"/studies/{written.id}/{written.slug}"
    html = client.get(path).text
    assert "We did this too." in html
    assert f"Former member</strong>, {COUNCIL}" in html
    assert NAME not in html
    # The study she wrote says who wrote it no more than that.
    written_html = client.get(written_path).text
    assert "Former member" in written_html
    assert "Head of Digital Inclusion" not in written_html


def test_comments_can_be_deleted_with_the_account(app, client, sign_in, csrf_token, outbox):
    ids = _world(app, client, sign_in, csrf_token, outbox)
    response = _delete(client, csrf_token, comments="delete")
    assert response.status_code == 302
    with app.app_context():
        comments = db.session.scalars(select(Comment).where(Comment.author_id == ids.person)).all()
        assert len(comments) == 2
        assert all(comment.deleted_at is not None for comment in comments)
        assert all(comment.body == "" for comment in comments)
        assert all("We did this too" not in (comment.body_html or "") for comment in comments)
        # The reply to her comment keeps its place.
        reply = db.session.scalar(select(Comment).where(Comment.parent_id == ids.comment))
        assert reply.body == "Thank you for this."
        study = db.session.get(CaseStudy, ids.others)
        path = f"/studies/{study.id}/{study.slug}"
    html = client.get(path).text
    assert "We did this too." not in html
    assert "Thank you for this." in html


def test_the_person_is_signed_out_everywhere_and_cannot_sign_in(
    app, client, sign_in, csrf_token, outbox
):
    other_device = app.test_client()
    page = other_device.get("/auth/login").text
    ids = _world(app, client, sign_in, csrf_token, outbox)
    signed = other_device.post(
        "/auth/login",
        data={"email": EMAIL, "password": PASSWORD, "csrf_token": csrf_token_from(page)},
    )
    assert signed.status_code == 302
    assert other_device.get("/account").status_code == 200

    response = _delete(client, csrf_token)
    assert response.location.endswith("/account/deleted?kept=yes")
    confirmation = client.get(response.location)
    assert "Your account has been deleted" in confirmation.text
    assert "shown as from a former member" in confirmation.text
    assert client.get("/account").status_code == 302
    assert other_device.get("/account").status_code == 302
    for email in (EMAIL, f"deleted-{ids.person}@deleted.invalid"):
        refused = client.post(
            "/auth/login",
            data={"email": email, "password": PASSWORD, "csrf_token": csrf_token()},
        )
        assert refused.status_code != 302


def test_a_wrong_password_and_no_choice_are_reported_and_nothing_is_deleted(
    app, client, sign_in, csrf_token
):
    with app.app_context():
        person = make_user(make_council(), name=NAME, email=EMAIL)
        db.session.commit()
    sign_in(person)
    response = client.post(
        "/account/delete",
        data={"current_password": "not my password", "csrf_token": csrf_token("/account/delete")},
    )
    assert response.status_code == 422
    assert "<title>Error: Delete your account" in response.text
    assert 'href="#comments">Select what should happen to your comments' in response.text
    assert 'href="#current_password">Your current password is not correct' in response.text
    empty = _delete(client, csrf_token, password="")
    assert "Enter your password" in empty.text
    with app.app_context():
        stored = db.session.get(User, person.id)
        assert stored.name == NAME and stored.deleted_at is None and stored.active
    assert client.get("/account").status_code == 200


def test_the_only_admin_cannot_delete_their_account(app, client, sign_in, csrf_token):
    with app.app_context():
        admin = make_user(None, role=Role.ADMIN, name="Ada Admin")
        db.session.commit()
    sign_in(admin)
    assert "You are the only admin" in client.get("/account/delete").text
    response = _delete(client, csrf_token)
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(User, admin.id).deleted_at is None
        # With a second admin, the first may go.
        make_user(None, role=Role.ADMIN)
        db.session.commit()
    assert _delete(client, csrf_token).status_code == 302
    with app.app_context():
        assert db.session.get(User, admin.id).deleted_at is not None


def test_the_page_explains_what_happens(app, client, sign_in):
    with app.app_context():
        person = make_user(make_council(COUNCIL), name=NAME)
        db.session.commit()
    sign_in(person)
    html = client.get("/account/delete").text
    assert f"stay with {COUNCIL}" in html
    assert f"Former member, {COUNCIL}" in html
    assert 'href="/account/data"' in html
    assert "You cannot undo this." in html


def test_the_privacy_notice_says_what_is_kept_after_deletion(client):
    html = client.get("/privacy").text
    assert "Former member" in html
    assert "/account/delete" in html
    assert "/account/data" in html


def test_the_only_two_admins_deleting_at_once_leave_one_admin(app):
    """The page refuses the only admin, but what counts is decided by the database as the
    account is erased: the only two admins, each past that page, delete their accounts at the
    same moment; one may go, the other is refused and keeps everything (PostgreSQL: it waits
    for the first's row locks and counts again; SQLite: it cannot write while the first holds
    the database)."""
    from board.account import services

    with app.app_context():
        ids = [
            make_user(None, role=Role.ADMIN, name=name).id for name in ("Ada Admin", "Bea Admin")
        ]
        db.session.commit()
    both_loaded = threading.Barrier(2, timeout=10)
    outcomes: dict[int, str] = {}

    def delete(user_id: int) -> None:
        with app.test_request_context():
            person = db.session.get(User, user_id)
            both_loaded.wait()
            try:
                services.delete_account(person, keep_comments=True)
                time.sleep(0.2)  # hold the transaction open while the other one tries
                db.session.commit()
                outcomes[user_id] = "deleted"
            except (services.DeletionRefused, OperationalError) as refusal:
                db.session.rollback()
                outcomes[user_id] = type(refusal).__name__
            finally:
                db.session.remove()

    threads = [threading.Thread(target=delete, args=(user_id,)) for user_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 2
    assert list(outcomes.values()).count("deleted") <= 1, outcomes
    with app.app_context():
        admins = db.session.scalars(
            select(User).where(User.role == Role.ADMIN, User.active.is_(True))
        ).all()
        assert len(admins) == 1 and admins[0].deleted_at is None


def test_a_waiting_council_request_is_closed_with_the_account(app, client, sign_in, csrf_token):
    """Nobody is left to join the council asked for: the request is closed, saying why, and no
    admin can approve it for a deleted account."""
    with app.app_context():
        person = make_user(None, verified=False, name=NAME, email="nia@gmail.example")
        db.session.add(
            CouncilRequest(
                requester_id=person.id,
                council_name=COUNCIL,
                website="https://www.ceredigion.gov.uk",
                requester_role="Digital officer",
                email_domain="gmail.example",
            )
        )
        db.session.commit()
    sign_in(person)
    assert _delete(client, csrf_token).status_code == 302
    with app.app_context():
        request = db.session.scalar(select(CouncilRequest))
        assert request.status is CouncilRequestStatus.DECLINED
        assert "deleted their account" in request.decline_reason
        assert request.requester_role == ""
