"""Council requests: a person whose council is not listed asks for it; an admin adds it (the
person joining it, verified) or declines with a reason; either way the person is told."""

from __future__ import annotations

import pytest

from board.admin import council_request_services as services
from board.auth import services as auth_services
from board.extensions import db
from board.models import (
    Council,
    CouncilRequest,
    CouncilRequestStatus,
    ModerationLog,
    Notification,
    Role,
    User,
)
from board.models.base import utcnow
from tests.conftest import csrf_token_from
from tests.factories import PASSWORD, make_council, make_user

ASK = "/account/council-request"
LIST = "/admin/council-requests"


def sign_in_with(client, person) -> None:
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/auth/login", data={"email": person.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def token_of(client, path: str = "/") -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


@pytest.fixture
def registrant(app, world):
    """Confirmed an address on a domain no council owns: signed in, unverified, no council."""
    with app.app_context():
        person = make_user(
            None, verified=False, name="Rhys Requester", email="rhys@anyshire.gov.uk"
        )
        person.email_confirmed_at = utcnow()
        db.session.commit()
        return person


# pytest-flask's ``client`` keeps its last request's context pushed, which a second client's
# requests would share (and with it the signed-in person): tests with two browsers make both.
@pytest.fixture
def admin_client(app, world):
    other = app.test_client()
    sign_in_with(other, world.people.admin)
    return other


@pytest.fixture
def registrant_client(app, registrant):
    browser = app.test_client()
    sign_in_with(browser, registrant)
    return browser


ANSWERS = {
    "council_name": "Anyshire Council",
    "website": "www.anyshire.gov.uk",
    "role": "Digital officer",
}


def ask(client, **answers):
    return client.post(ASK, data={**ANSWERS, **answers, "csrf_token": token_of(client, ASK)})


def make_request(app, person, name="Anyshire Council", domain="anyshire.gov.uk") -> int:
    with app.test_request_context():
        row = services.ask(db.session.get(User, person.id), name, "https://x.gov.uk", "Officer")
        row.email_domain = domain
        db.session.commit()
        return row.id


def log_actions(app) -> list[tuple[str, str, int, str]]:
    with app.app_context():
        rows = db.session.scalars(db.select(ModerationLog).order_by(ModerationLog.id))
        return [(row.action, row.target_type, row.target_id, row.reason) for row in rows]


APPROVAL = {
    "name": "Anyshire Council",
    "slug": "anyshire-council",
    "nation": "england",
    "council_type": "district",
    "website": "https://www.anyshire.gov.uk",
    "domains": "anyshire.gov.uk",
}


def approve(admin_client, request_id: int, **fields):
    page = f"{LIST}/{request_id}"
    return admin_client.post(
        f"{page}/approve",
        data={**APPROVAL, **fields, "csrf_token": token_of(admin_client, page)},
    )


def test_ask_approve_and_the_registrant_is_a_verified_member(
    app, world, registrant, registrant_client, admin_client, outbox
):
    client = registrant_client
    # Offered on their account page and in the banner over every page.
    account = client.get("/account").get_data(as_text=True)
    assert "Your council is not listed?" in account
    assert f'href="{ASK}"' in account
    assert f'href="{ASK}"' in client.get("/").get_data(as_text=True)
    form = client.get(ASK)
    assert form.status_code == 200
    assert "Ask for your council to be added" in form.get_data(as_text=True)

    response = ask(client)
    assert response.status_code == 302
    assert response.headers["Location"] == ASK
    with app.app_context():
        row = db.session.scalar(db.select(CouncilRequest))
        assert (row.council_name, row.website, row.requester_role, row.email_domain) == (
            "Anyshire Council",
            "https://www.anyshire.gov.uk",
            "Digital officer",
            "anyshire.gov.uk",
        )
        assert row.status is CouncilRequestStatus.WAITING
        assert row.requester_id == registrant.id
        request_id = row.id
        # The admin is told in the app, not by email.
        notice = db.session.scalar(
            db.select(Notification).where(Notification.user_id == world.people.admin.id)
        )
        assert notice.link == f"{LIST}/{request_id}"
        assert "Rhys Requester asked for Anyshire Council" in notice.subject
    made = ("council_request.made", "council_request", request_id, "Asked for Anyshire Council")
    assert made in log_actions(app)
    assert not [message for message in outbox if message["To"] == world.people.admin.email]

    # The admin sees it waiting, and its page filled in from the request.
    listing = admin_client.get(LIST).get_data(as_text=True)
    assert "Anyshire Council" in listing and "Rhys Requester" in listing
    page = admin_client.get(f"{LIST}/{request_id}").get_data(as_text=True)
    assert 'value="anyshire-council"' in page
    assert 'value="anyshire.gov.uk"' in page
    assert 'value="https://www.anyshire.gov.uk"' in page

    response = approve(admin_client, request_id)
    assert response.status_code == 302
    with app.app_context():
        council = db.session.scalar(db.select(Council).where(Council.slug == "anyshire-council"))
        assert [domain.domain for domain in council.domains] == ["anyshire.gov.uk"]
        assert council.website == "https://www.anyshire.gov.uk"
        person = db.session.get(User, registrant.id)
        assert person.council_id == council.id and person.is_verified
        row = db.session.get(CouncilRequest, request_id)
        assert row.status is CouncilRequestStatus.APPROVED
        assert row.council_id == council.id
        assert row.decided_by_id == world.people.admin.id and row.decided_at is not None
        council_id = council.id
    actions = [(action, target) for action, _, target, _ in log_actions(app)]
    assert ("council_request.approved", request_id) in actions
    assert ("council.added", council_id) in actions
    assert ("member.verified", registrant.id) in actions
    told = [message for message in outbox if message["To"] == registrant.email]
    assert len(told) == 1
    assert "Anyshire Council is on Case Board" in told[0]["Subject"]
    assert "verified member" in told[0].get_content()

    # They can now write up a study, and the link to ask is gone.
    assert client.get("/studies/new").status_code == 200
    assert "Your council is not listed?" not in client.get("/account").get_data(as_text=True)
    assert client.get(ASK).status_code == 403
    # The decided request shows its decision, with no forms.
    page = admin_client.get(f"{LIST}/{request_id}").get_data(as_text=True)
    assert "Approved by Ada Admin" in page
    assert "Decline the request" not in page


def test_a_newcomer_on_the_approved_domain_joins_the_council(app, registrant, admin_client):
    request_id = make_request(app, registrant)
    assert approve(admin_client, request_id).status_code == 302
    with app.test_request_context():
        newcomer = make_user(None, verified=False, email="nia@anyshire.gov.uk")
        db.session.commit()
        confirmed = auth_services.confirm_email(auth_services.confirmation_token(newcomer))
        db.session.commit()
        assert confirmed.is_verified
        assert confirmed.council.name == "Anyshire Council"


def test_declining_needs_a_reason_and_the_requester_is_told(
    app, world, registrant, registrant_client, admin_client, outbox
):
    request_id = make_request(app, registrant)
    page = f"{LIST}/{request_id}"
    response = admin_client.post(
        f"{page}/decline", data={"reason": "  ", "csrf_token": token_of(admin_client, page)}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert "Enter why you are declining the request" in html
    with app.app_context():
        assert db.session.get(CouncilRequest, request_id).is_waiting

    reason = "We could not find a council of that name: check the name and ask again."
    response = admin_client.post(
        f"{page}/decline", data={"reason": reason, "csrf_token": token_of(admin_client, page)}
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(CouncilRequest, request_id)
        assert row.status is CouncilRequestStatus.DECLINED
        assert row.decline_reason == reason
        assert db.session.get(User, registrant.id).council_id is None
        assert db.session.scalar(db.select(db.func.count(Council.id))) == 2  # the world's two
    assert ("council_request.declined", "council_request", request_id, reason) in log_actions(app)
    told = [message for message in outbox if message["To"] == registrant.email]
    assert len(told) == 1
    assert "declined" in told[0]["Subject"]
    assert reason in " ".join(told[0].get_content().split())

    # The requester sees why, and may ask again.
    client = registrant_client
    form = client.get(ASK).get_data(as_text=True)
    assert "was declined" in form and "check the name and ask again" in form
    assert ask(client, council_name="Anyshire District Council").status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CouncilRequest.id))) == 2


@pytest.mark.parametrize("role", ["author", "moderator", "admin"])
def test_a_person_with_a_council_or_a_moderator_cannot_ask(app, client, as_role, role):
    as_role(role)
    assert client.get(ASK).status_code == 403
    assert "Your council is not listed?" not in client.get("/account").get_data(as_text=True)
    response = client.post(ASK, data={**ANSWERS, "csrf_token": token_of(client)})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CouncilRequest.id))) == 0


def test_an_unconfirmed_address_is_asked_to_confirm_first(app, client, as_role):
    as_role("unverified")
    page = client.get(ASK)
    assert page.status_code == 200
    assert "Confirm your email address first" in page.get_data(as_text=True)
    assert client.post(ASK, data={**ANSWERS, "csrf_token": token_of(client)}).status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CouncilRequest.id))) == 0


def test_one_waiting_request_per_person(app, client, sign_in, registrant):
    sign_in(registrant)
    assert ask(client).status_code == 302
    second = client.post(
        ASK,
        data={**ANSWERS, "council_name": "Othershire Council", "csrf_token": token_of(client)},
    )
    assert second.status_code == 200
    html = second.get_data(as_text=True)
    assert "Your request to add your council" in html and "Anyshire Council" in html
    assert "Othershire" not in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CouncilRequest.id))) == 1
    assert "Anyshire Council" in client.get(ASK).get_data(as_text=True)


def test_the_form_says_what_is_wrong_and_keeps_what_was_typed(app, client, sign_in, registrant):
    sign_in(registrant)
    response = client.post(
        ASK,
        data={
            "council_name": "",
            "website": "not a website",
            "role": "Digital officer",
            "csrf_token": token_of(client, ASK),
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enter the council&#39;s name" in html or "Enter the council's name" in html
    assert "like www.council.gov.uk" in html
    assert 'value="Digital officer"' in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CouncilRequest.id))) == 0


def test_asking_is_rate_limited(app, client, sign_in, registrant):
    app.config["COUNCIL_REQUEST_RATE_LIMIT"] = "2 per hour"
    sign_in(registrant)
    statuses = [ask(client).status_code for _ in range(3)]
    assert statuses == [302, 200, 429]


def test_a_decided_request_cannot_be_decided_again(app, world, registrant, admin_client):
    request_id = make_request(app, registrant)
    page = f"{LIST}/{request_id}"
    # A second admin has the page open before the first approves.
    with app.app_context():
        second_admin = make_user(None, role=Role.ADMIN, name="Bea Admin")
        db.session.commit()
    second = app.test_client()
    sign_in_with(second, second_admin)
    stale_token = token_of(second, page)

    assert approve(admin_client, request_id).status_code == 302
    logged = len(log_actions(app))
    response = second.post(
        f"{page}/decline", data={"reason": "Not a council", "csrf_token": stale_token}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == page
    html = second.get(page).get_data(as_text=True)
    assert "already been approved by Ada Admin" in html
    again = second.post(f"{page}/approve", data={**APPROVAL, "csrf_token": stale_token})
    assert again.status_code == 302
    with app.app_context():
        row = db.session.get(CouncilRequest, request_id)
        assert row.status is CouncilRequestStatus.APPROVED and row.decline_reason == ""
        assert db.session.scalar(db.select(db.func.count(Council.id))) == 3
    assert len(log_actions(app)) == logged


def test_two_decisions_at_once_only_one_wins(app, world, registrant):
    """The decision claims the request with a conditional UPDATE: an admin holding a copy
    loaded before another admin decided changes nothing."""
    request_id = make_request(app, registrant)
    with app.test_request_context():
        stale = db.session.get(CouncilRequest, request_id)
        admin = db.session.get(User, world.people.admin.id)
        assert stale.is_waiting
        # Another admin, on another connection, declines it meanwhile.
        with db.engine.begin() as connection:
            connection.execute(
                db.update(CouncilRequest)
                .where(CouncilRequest.id == request_id)
                .values(status="declined", decline_reason="No", decided_at=utcnow())
            )
        council = make_council("Anyshire Council", domain="anyshire.gov.uk")
        with pytest.raises(services.AlreadyDecided):
            services.approve(stale, council, admin)
        db.session.rollback()
    with app.app_context():
        assert db.session.get(User, registrant.id).council_id is None
        assert db.session.get(CouncilRequest, request_id).status is CouncilRequestStatus.DECLINED


def test_a_domain_another_council_owns_is_refused_by_name(app, world, registrant, admin_client):
    request_id = make_request(app, registrant)
    response = approve(admin_client, request_id, domains="anyshire.gov.uk, hereshire.gov.uk")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "hereshire.gov.uk is already the email domain of Hereshire Council" in html
    assert 'value="anyshire.gov.uk, hereshire.gov.uk"' in html
    response = approve(admin_client, request_id, slug="hereshire-council")
    assert response.status_code == 422
    assert "A council already has the slug hereshire-council" in response.get_data(as_text=True)
    response = approve(admin_client, request_id, slug="Not A Slug", nation="")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose the council&#39;s nation" in html or "Choose the council's nation" in html
    assert "The slug must be lowercase letters, digits and hyphens" in html
    with app.app_context():
        assert db.session.get(CouncilRequest, request_id).is_waiting
        assert db.session.scalar(db.select(db.func.count(Council.id))) == 2
        assert db.session.get(User, registrant.id).council_id is None


def test_approving_with_no_domain_for_a_personal_address(app, world, admin_client):
    with app.app_context():
        person = make_user(None, verified=False, email="someone@gmail.example")
        person.email_confirmed_at = utcnow()
        db.session.commit()
    request_id = make_request(app, person, domain="gmail.example")
    assert approve(admin_client, request_id, domains="").status_code == 302
    with app.app_context():
        council = db.session.scalar(db.select(Council).where(Council.slug == "anyshire-council"))
        assert council.domains == []
        assert db.session.get(User, person.id).council_id == council.id


def test_joining_a_council_already_on_the_board(app, world, registrant, admin_client, outbox):
    with app.app_context():
        existing = make_council("Anyshire District Council", domain="anyshire-dc.gov.uk")
        db.session.commit()
        existing_id = existing.id
    request_id = make_request(app, registrant, name="Anyshire District")
    page = f"{LIST}/{request_id}"
    html = admin_client.get(page).get_data(as_text=True)
    assert "Or join a council already on the board" in html
    # A council not among those with a similar name is refused.
    response = admin_client.post(
        f"{page}/join", data={"council_id": world.here.id, "csrf_token": token_of(admin_client)}
    )
    assert response.status_code == 422
    response = admin_client.post(
        f"{page}/join", data={"council_id": existing_id, "csrf_token": token_of(admin_client)}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, registrant.id).council_id == existing_id
        row = db.session.get(CouncilRequest, request_id)
        assert row.status is CouncilRequestStatus.APPROVED and row.council_id == existing_id
        assert db.session.scalar(db.select(db.func.count(Council.id))) == 3
    assert [message["To"] for message in outbox] == [registrant.email]
    assert "council.added" not in [action for action, *_ in log_actions(app)]


@pytest.mark.parametrize("role", ["visitor", "unverified", "author", "moderator"])
def test_only_admins_see_and_decide(app, client, as_role, registrant, role):
    request_id = make_request(app, registrant)
    as_role(role)
    expected = 302 if role == "visitor" else 403
    assert client.get(LIST).status_code == expected
    assert client.get(f"{LIST}/{request_id}").status_code == expected
    token = token_of(client)
    for decision, data in (("approve", APPROVAL), ("decline", {"reason": "No"})):
        response = client.post(
            f"{LIST}/{request_id}/{decision}", data={**data, "csrf_token": token}
        )
        assert response.status_code == expected
    with app.app_context():
        assert db.session.get(CouncilRequest, request_id).is_waiting
        assert db.session.scalar(db.select(db.func.count(Council.id))) == 2


def test_a_decision_without_the_csrf_token_changes_nothing(app, registrant, admin_client):
    request_id = make_request(app, registrant)
    for token in (None, "not-the-token"):
        data = dict(APPROVAL) if token is None else {**APPROVAL, "csrf_token": token}
        response = admin_client.post(f"{LIST}/{request_id}/approve", data=data)
        assert response.status_code == 400
        # The form comes back with what was typed.
        assert 'value="anyshire-council"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(CouncilRequest, request_id).is_waiting
        assert db.session.scalar(db.select(db.func.count(Council.id))) == 2


def test_waiting_requests_are_listed_before_decided_ones(app, world, admin_client):
    people = []
    with app.app_context():
        for number in range(3):
            person = make_user(None, verified=False, email=f"p{number}@place{number}.gov.uk")
            person.email_confirmed_at = utcnow()
            people.append(person)
        db.session.commit()
    first = make_request(app, people[0], name="Firstshire Council", domain="place0.gov.uk")
    make_request(app, people[1], name="Secondshire Council", domain="place1.gov.uk")
    make_request(app, people[2], name="Thirdshire Council", domain="place2.gov.uk")
    page = f"{LIST}/{first}"
    admin_client.post(
        f"{page}/decline", data={"reason": "Duplicate", "csrf_token": token_of(admin_client)}
    )
    html = admin_client.get(LIST).get_data(as_text=True)
    waiting, decided = html.split('<h2 class="govuk-heading-m">Decided</h2>')
    assert waiting.index("Secondshire") < waiting.index("Thirdshire")
    assert "Firstshire" not in waiting and "Firstshire" in decided
    assert "Declined" in decided


def test_a_requester_who_joined_a_council_meanwhile_is_not_moved(
    app, world, registrant, admin_client, outbox
):
    request_id = make_request(app, registrant)
    with app.app_context():
        person = db.session.get(User, registrant.id)
        person.council_id, person.verified_at = world.here.id, utcnow()
        db.session.commit()
    response = approve(admin_client, request_id)
    assert response.status_code == 302
    assert "nobody was joined to it" in admin_client.get(response.headers["Location"]).text
    with app.app_context():
        assert db.session.get(User, registrant.id).council_id == world.here.id
        assert db.session.get(CouncilRequest, request_id).status is CouncilRequestStatus.APPROVED
    assert [message for message in outbox if message["To"] == registrant.email] == []


def test_a_request_outlives_its_requesters_account(app, world, registrant, admin_client, outbox):
    request_id = make_request(app, registrant)
    with app.app_context():
        # As the database does when an account row goes (ON DELETE SET NULL).
        db.session.execute(
            db.update(CouncilRequest)
            .where(CouncilRequest.id == request_id)
            .values(requester_id=None)
        )
        db.session.commit()
    assert "A deleted account" in admin_client.get(f"{LIST}/{request_id}").text
    page = f"{LIST}/{request_id}"
    response = admin_client.post(
        f"{page}/decline", data={"reason": "Gone", "csrf_token": token_of(admin_client, page)}
    )
    assert response.status_code == 302
    assert "has deleted their account" in admin_client.get(LIST).text
    with app.app_context():
        assert db.session.get(CouncilRequest, request_id).status is CouncilRequestStatus.DECLINED
    assert outbox == []
