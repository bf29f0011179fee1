"""Administration of people: finding them, changing their role or council, suspending and
restoring their accounts, and the guards that always keep an admin who can sign in."""

from __future__ import annotations

import re
import threading
import time

import pytest
from sqlalchemy.exc import OperationalError

from board.admin import people_services
from board.admin.people_services import PeopleError
from board.extensions import db
from board.models import ModerationLog, Role, User, UserSession
from board.models.base import utcnow
from tests.browse.test_board import statements_for
from tests.conftest import csrf_token_from
from tests.factories import PASSWORD, ROLES, make_council, make_user


def _post(client, path: str, data: dict | None = None):
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **(data or {})})


def _logged(app, action: str) -> list[tuple[int | None, int, str]]:
    with app.app_context():
        return [
            (entry.actor_id, entry.target_id, entry.reason)
            for entry in db.session.scalars(
                db.select(ModerationLog).where(ModerationLog.action == action)
            )
        ]


def _person(app, user_id: int) -> User:
    with app.app_context():
        person = db.session.get(User, user_id)
        db.session.expunge(person)
        return person


def _names_listed(html: str) -> list[str]:
    return re.findall(r'href="/admin/people/\d+">([^<]+)</a>', html)


# Finding people ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("colin", ["Colin Colleague"]),  # part of a name, any case
        ("AVA@HERESHIRE", ["Ava Author"]),  # part of an address
        ("thereshire", ["Mo Derator", "Otto Outsider"]),  # the council's name
        ("nobody-like-this", []),
        ("100%", []),  # a % typed in the box means itself, not "anything"
    ],
)
def test_people_are_found_by_name_email_or_council(client, as_role, query, expected):
    as_role("admin")
    response = client.get("/admin/people", query_string={"q": query})
    assert response.status_code == 200
    assert _names_listed(response.get_data(as_text=True)) == expected


def test_everyone_is_listed_with_council_role_and_state(app, client, as_role, world):
    with app.app_context():
        person = db.session.get(User, world.people.outsider.id)
        person.active = False
        db.session.commit()
    as_role("admin")
    page = client.get("/admin/people").get_data(as_text=True)
    assert _names_listed(page) == [
        "Ada Admin",
        "Ava Author",
        "Colin Colleague",
        "Mo Derator",
        "Otto Outsider",
        "Una Verified",
    ]
    row = page[page.index("Otto Outsider") :].split("</tr>")[0]
    assert "Thereshire Council" in row and "Suspended" in row
    moderator_row = page[page.index("Mo Derator") :].split("</tr>")[0]
    assert "Moderator" in moderator_row and "Active" in moderator_row


def test_people_can_be_filtered_by_role(client, as_role):
    as_role("admin")
    page = client.get("/admin/people", query_string={"role": "moderator"}).get_data(as_text=True)
    assert _names_listed(page) == ["Mo Derator"]
    # An unknown role is no filter, not an error.
    assert client.get("/admin/people", query_string={"role": "emperor"}).status_code == 200


def test_deleted_accounts_are_listed_as_deleted(app, client, as_role, world):
    with app.app_context():
        gone = make_user(world.here, name="Former Person", email="gone@example.org")
        gone.deleted_at, gone.active = utcnow(), False
        db.session.commit()
        gone_id = gone.id
    as_role("admin")
    listed = client.get("/admin/people").get_data(as_text=True)
    assert f"Deleted account {gone_id}" in listed
    found = client.get("/admin/people", query_string={"q": str(gone_id)}).text
    # Found by its number (others may match too: generated addresses hold numbers).
    assert f"Deleted account {gone_id}" in _names_listed(found)
    assert "Ava Author" not in _names_listed(found)
    page = client.get(f"/admin/people/{gone_id}").get_data(as_text=True)
    assert "cannot be changed" in page and "Suspend account" not in page
    response = _post(client, f"/admin/people/{gone_id}/role", {"role": "moderator"})
    assert response.status_code == 404
    assert _person(app, gone_id).role is Role.MEMBER


def test_the_list_is_paginated_and_its_queries_do_not_grow(app, client, as_role, world):
    as_role("admin")
    app.config["ADMIN_PEOPLE_PER_PAGE"] = 5
    few = len(statements_for(app, client, "/admin/people?page=2"))
    with app.app_context():
        for number in range(12):
            make_user(make_council(), name=f"Zed Person {number:02}")
        db.session.commit()
    many = statements_for(app, client, "/admin/people?page=2")
    assert len(many) == few  # each council comes with its person: no query per row
    page = client.get("/admin/people?page=2&q=zed").get_data(as_text=True)
    assert _names_listed(page) == [f"Zed Person {number:02}" for number in range(5, 10)]
    assert "q=zed" in page.split('rel="next"')[0].rsplit("href=", 1)[-1]


# Changing a role -----------------------------------------------------------------------------


def test_an_admin_changes_a_role_which_is_logged_and_the_person_told(
    app, client, as_role, world, outbox
):
    admin = as_role("admin")
    author = world.people.author
    response = _post(client, f"/admin/people/{author.id}/role", {"role": "moderator"})
    assert response.status_code == 302
    assert _person(app, author.id).role is Role.MODERATOR
    assert _logged(app, "member.role_changed") == [(admin.id, author.id, "member → moderator")]
    assert outbox[-1]["To"] == author.email
    assert "moderator" in outbox[-1]["Subject"]
    page = client.get(response.location).get_data(as_text=True)
    assert "Ava Author is now a moderator" in page


def test_choosing_no_role_shows_the_error(client, as_role, world):
    as_role("admin")
    response = _post(client, f"/admin/people/{world.people.author.id}/role", {})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "govuk-error-summary" in page and "Select a role" in page
    assert page.count("Select a role") == 2  # in the summary and by the field


def test_an_admin_cannot_remove_their_own_admin_role(app, client, as_role, world):
    admin = as_role("admin")
    page = client.get(f"/admin/people/{admin.id}").get_data(as_text=True)
    assert "You cannot remove your own admin role" in page and "Change role" not in page
    response = _post(client, f"/admin/people/{admin.id}/role", {"role": "member"})
    assert response.status_code == 422
    assert "You cannot remove your own admin role" in response.get_data(as_text=True)
    assert _person(app, admin.id).role is Role.ADMIN
    assert _logged(app, "member.role_changed") == []


def test_the_last_admin_cannot_be_demoted(app, world):
    """Two admins demote each other at the same moment: the second request, still holding its
    admin as it was loaded, must count the admins again inside its own transaction."""
    with app.test_request_context():
        first = db.session.get(User, world.people.admin.id)
        second = make_user(None, role=Role.ADMIN, name="Second Admin")
        db.session.commit()
        assert people_services.active_admin_count() == 2
        assert people_services.change_role(second, Role.MEMBER, first)
        db.session.commit()
        # ``second`` acts as it was loaded before its demotion, as a request begun at the same
        # moment would.
        stale_second = User(id=second.id, name=second.name, role=Role.ADMIN)
        with pytest.raises(PeopleError, match="last admin"):
            people_services.change_role(first, Role.MODERATOR, stale_second)
        db.session.rollback()
        assert db.session.get(User, first.id).role is Role.ADMIN
        assert people_services.active_admin_count() == 1


def test_two_admins_demoting_each_other_at_once_leave_one_admin(app, world):
    """The race itself: two requests, each with its admin loaded, demote each other at the
    same moment. One may finish; the other is refused (PostgreSQL: it waits for the first's
    locks and counts again; SQLite: it cannot write while the first holds the database)."""
    with app.app_context():
        second_id = make_user(None, role=Role.ADMIN, name="Second Admin").id
        db.session.commit()
    first_id = world.people.admin.id
    both_loaded = threading.Barrier(2, timeout=10)
    outcomes: dict[int, str] = {}

    def demote(actor_id: int, target_id: int) -> None:
        with app.test_request_context():  # the emails are rendered as a request renders them
            actor, target = db.session.get(User, actor_id), db.session.get(User, target_id)
            both_loaded.wait()
            try:
                people_services.change_role(target, Role.MEMBER, actor)
                time.sleep(0.2)  # hold the transaction open while the other one tries
                db.session.commit()
                outcomes[actor_id] = "demoted the other"
            except (PeopleError, OperationalError) as refusal:
                db.session.rollback()
                outcomes[actor_id] = type(refusal).__name__
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=demote, args=(first_id, second_id)),
        threading.Thread(target=demote, args=(second_id, first_id)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 2
    assert list(outcomes.values()).count("demoted the other") <= 1, outcomes
    with app.app_context():
        assert people_services.active_admin_count() == 1


def test_a_suspended_admin_does_not_count_as_an_admin(app, client, as_role, world):
    with app.app_context():
        other = make_user(None, role=Role.ADMIN, name="Other Admin", active=False)
        db.session.commit()
        other_id = other.id
    as_role("admin")
    # Demoting the suspended admin is allowed: the signed-in admin remains.
    assert _post(client, f"/admin/people/{other_id}/role", {"role": "member"}).status_code == 302
    assert _person(app, other_id).role is Role.MEMBER
    with app.test_request_context():
        # The one active admin cannot be demoted by anyone (here, a suspended admin's request).
        admin = db.session.get(User, world.people.admin.id)
        stale = User(id=other_id, name="Other Admin", role=Role.ADMIN)
        with pytest.raises(PeopleError, match="last admin"):
            people_services.change_role(admin, Role.MEMBER, stale)
        with pytest.raises(PeopleError, match="last admin"):
            people_services.suspend(admin, "Testing", stale)


def test_a_second_admin_can_be_made_and_then_demote_the_first(app, world):
    admin, author = world.people.admin, world.people.author
    client = _browser(app, admin)
    assert _post(client, f"/admin/people/{author.id}/role", {"role": "admin"}).status_code == 302
    client = _browser(app, author)
    assert _post(client, f"/admin/people/{admin.id}/role", {"role": "member"}).status_code == 302
    assert _person(app, admin.id).role is Role.MEMBER
    # Now the author is the last admin, and cannot step down.
    response = _post(client, f"/admin/people/{author.id}/role", {"role": "member"})
    assert response.status_code == 422
    assert _person(app, author.id).role is Role.ADMIN


# Moving to another council -------------------------------------------------------------------


def test_an_admin_moves_someone_to_another_council(app, client, as_role, world, outbox):
    admin = as_role("admin")
    author = world.people.author
    page = client.get(f"/admin/people/{author.id}").get_data(as_text=True)
    assert "Thereshire Council</option>" in page
    response = _post(client, f"/admin/people/{author.id}/council", {"council_id": world.there.id})
    assert response.status_code == 302
    assert _person(app, author.id).council_id == world.there.id
    assert _logged(app, "member.moved") == [
        (admin.id, author.id, "Hereshire Council → Thereshire Council")
    ]
    assert "Thereshire Council" in outbox[-1]["Subject"]
    assert outbox[-1]["To"] == author.email


def test_moving_needs_a_current_council(app, client, as_role, world):
    with app.app_context():
        retired = make_council("Oldshire Council", retired_at=utcnow())
        db.session.commit()
        retired_id = retired.id
    as_role("admin")
    author = world.people.author
    page = client.get(f"/admin/people/{author.id}").get_data(as_text=True)
    assert "Oldshire Council" not in page  # a retired council is not offered
    for choice in ("0", str(retired_id), "999999", "not-a-number"):
        response = _post(client, f"/admin/people/{author.id}/council", {"council_id": choice})
        assert response.status_code == 422, choice
        assert "govuk-error-summary" in response.get_data(as_text=True)
    assert _person(app, author.id).council_id == world.here.id
    with app.test_request_context():
        person = db.session.get(User, author.id)
        with pytest.raises(PeopleError, match="retired"):
            people_services.move(person, db.session.get(type(world.here), retired_id), person)


# Suspending and restoring --------------------------------------------------------------------


def _browser(app, user=None):
    """A browser of its own. (pytest-flask's ``client`` keeps its last request's context open,
    and a second client's requests would run in it, as whoever ``client`` signed in as.)"""
    browser = app.test_client()
    token = csrf_token_from(browser.get("/auth/login").text)
    if user is not None:
        response = browser.post(
            "/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302, response.text
    return browser


def _try_to_sign_in(browser, email: str, password: str = PASSWORD):
    token = csrf_token_from(browser.get("/auth/login").text)
    return browser.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": token}
    )


def test_suspending_ends_every_session_and_refuses_sign_in(app, world, outbox):
    author, admin = world.people.author, world.people.admin
    elsewhere = _browser(app, author)
    assert elsewhere.get("/account").status_code == 200

    admins = _browser(app, admin)
    response = _post(
        admins, f"/admin/people/{author.id}/suspend", {"reason": "Posting advertising."}
    )
    assert response.status_code == 302
    assert "signed out everywhere" in admins.get(response.location).text
    with app.app_context():
        rows = db.select(db.func.count()).select_from(UserSession)
        assert db.session.scalar(rows.where(UserSession.user_id == author.id)) == 0
    assert _person(app, author.id).active is False
    assert _logged(app, "member.suspended") == [(admin.id, author.id, "Posting advertising.")]
    assert outbox[-1]["To"] == author.email
    assert "Posting advertising." in outbox[-1].get_content()

    # The other browser is signed out at once.
    assert elsewhere.get("/account").status_code == 302
    # Signing in again: told the account is suspended, and whom to ask.
    refused = _try_to_sign_in(elsewhere, author.email)
    assert refused.status_code == 422
    assert "Your account has been suspended" in refused.text
    assert app.config["CONTACT_EMAIL"] in refused.text
    # A wrong password learns nothing about the account.
    wrong = _try_to_sign_in(elsewhere, author.email, "not the password")
    assert "suspended" not in wrong.text
    assert "Enter a correct email address and password" in wrong.text


def test_suspending_needs_a_reason_and_keeps_what_was_typed(app, client, as_role, world):
    as_role("admin")
    author = world.people.author
    response = _post(client, f"/admin/people/{author.id}/suspend", {"reason": "  "})
    assert response.status_code == 422
    assert "Enter why you are suspending this account" in response.text
    too_long = "Spam. " * 200
    response = _post(client, f"/admin/people/{author.id}/suspend", {"reason": too_long})
    assert response.status_code == 422
    assert "1,000 characters or fewer" in response.text
    assert too_long.strip() in response.text
    assert _person(app, author.id).active is True


def test_an_admin_cannot_suspend_themselves(app, client, as_role):
    admin = as_role("admin")
    assert "You cannot suspend your own account" in client.get(f"/admin/people/{admin.id}").text
    response = _post(client, f"/admin/people/{admin.id}/suspend", {"reason": "Holiday"})
    assert response.status_code == 422
    assert "You cannot suspend your own account" in response.text
    assert "Holiday" in response.text  # what was typed stays
    assert _person(app, admin.id).active is True


def test_restoring_lets_them_sign_in_again(app, world, outbox):
    admin, author = world.people.admin, world.people.author
    client = _browser(app, admin)
    _post(client, f"/admin/people/{author.id}/suspend", {"reason": "Checking"})
    page = client.get(f"/admin/people/{author.id}").text
    assert "Restore account" in page and "Suspend account" not in page
    response = _post(client, f"/admin/people/{author.id}/restore")
    assert response.status_code == 302
    assert _person(app, author.id).active is True
    assert _logged(app, "member.restored") == [(admin.id, author.id, "suspended → active")]
    assert "restored" in outbox[-1]["Subject"]
    # Restoring twice is refused with a message, changing nothing.
    again = _post(client, f"/admin/people/{author.id}/restore")
    assert "is not suspended" in client.get(again.location).text
    assert len(_logged(app, "member.restored")) == 1

    assert _try_to_sign_in(_browser(app), author.email).status_code == 302


def test_the_log_names_the_person_changed(app, client, as_role, world):
    as_role("admin")
    _post(client, f"/admin/people/{world.people.author.id}/role", {"role": "moderator"})
    log = client.get("/moderation/log").text
    assert "Role changed" in log and "Ava Author" in log and "member → moderator" in log


# Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [role for role in ROLES if role != "admin"])
def test_only_admins_change_people(app, client, as_role, world, role):
    as_role(role)
    target = world.people.colleague
    assert client.get(f"/admin/people/{target.id}").status_code in (302, 403)
    for action, data in [
        ("role", {"role": "admin"}),
        ("council", {"council_id": world.there.id}),
        ("suspend", {"reason": "Because"}),
    ]:
        response = _post(client, f"/admin/people/{target.id}/{action}", data)
        assert response.status_code in (302, 401, 403), action
    person = _person(app, target.id)
    assert (person.role, person.council_id, person.active) == (Role.MEMBER, world.here.id, True)
    assert _logged(app, "member.role_changed") == []


def test_an_unknown_person_is_not_found(client, as_role):
    as_role("admin")
    assert client.get("/admin/people/999999").status_code == 404
    assert _post(client, "/admin/people/999999/role", {"role": "admin"}).status_code == 404


def test_a_persons_page_is_marked_as_part_of_people_in_the_sub_navigation(client, as_role, world):
    as_role("admin")
    html = client.get(f"/admin/people/{world.people.author.id}").get_data(as_text=True)
    assert 'href="/admin/people" aria-current="true">People</a>' in html
    listing = client.get("/admin/people").get_data(as_text=True)
    assert 'href="/admin/people" aria-current="page">People</a>' in listing
