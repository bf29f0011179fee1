"""The admins' council pages: the list and its search, adding and changing a council, its
domains (each joins one council), retiring and reinstating, and what each writes to the log."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from board.extensions import db
from board.models import Council, CouncilDomain, CouncilType, ModerationLog, Nation, User
from board.models.base import utcnow
from tests.auth.test_register import confirmation_link, register
from tests.conftest import csrf_token_from
from tests.factories import ROLES, make_council, make_study, make_user

NEWCOMER = "newcomer@hereshire.gov.uk"
GOOD = {
    "name": "Ynys Môn County Council",
    "slug": "",
    "nation": "wales",
    "council_type": "welsh-principal-area",
    "region": "North Wales",
    "website": "https://www.anglesey.gov.wales",
    "domains": "Anglesey.gov.wales\n\n@ynysmon.llyw.cymru\nanglesey.gov.wales",
}


def _post(client, path: str, data: dict, page: str | None = None):
    token = csrf_token_from(client.get(page or path).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def _log(app) -> list[tuple[str, int | None, int, str]]:
    with app.app_context():
        return [
            (row.action, row.actor_id, row.target_id, row.reason)
            for row in db.session.scalars(db.select(ModerationLog).order_by(ModerationLog.id))
        ]


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_add_a_council(app, client, as_role, role):
    as_role(role)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post("/admin/councils/new", data={**GOOD, "csrf_token": token})
    with app.app_context():
        added = db.session.scalar(db.select(Council).where(Council.name == GOOD["name"]))
    if role == "admin":
        assert response.status_code == 302
        assert added is not None
    else:
        assert response.status_code == (302 if role == "visitor" else 403)
        assert added is None


def test_the_list_counts_members_and_studies_and_searches(app, client, as_role, world):
    with app.app_context():
        make_study(world.here, world.people.author)
        make_study(world.here, world.people.author)
        make_council("Zedshire Council", domain="zedshire.gov.uk", retired_at=utcnow())
        db.session.commit()
    as_role("admin")
    page = client.get("/admin/councils").get_data(as_text=True)
    assert "3 councils" in page
    here = page[page.index("Hereshire Council") :].split("</tr>")[0]
    # author and colleague are members; two studies.
    assert re.findall(r'numeric">(\d+)<', here) == ["2", "2"]
    assert "hereshire.gov.uk" in here
    zed = page[page.index("Zedshire Council") :].split("</tr>")[0]
    assert "Retired" in zed
    assert "Retired" not in here

    found = client.get("/admin/councils?q=THERE").get_data(as_text=True)
    assert "1 council match" in found
    assert "Thereshire Council" in found and "Hereshire Council" not in found
    by_slug = client.get("/admin/councils?q=zedshire-council").get_data(as_text=True)
    assert "Zedshire Council" in by_slug and "Thereshire" not in by_slug
    none = client.get("/admin/councils?q=%25").get_data(as_text=True)
    assert "No councils match that" in none


def test_the_list_is_paged_and_counts_in_a_fixed_number_of_queries(app, client, as_role, world):
    with app.app_context():
        for number in range(12):
            council = make_council(f"Council {number:02d}")
            make_user(council)
            make_study(council)
        db.session.commit()
    app.config["ADMIN_COUNCILS_PER_PAGE"] = 10
    as_role("admin")
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    try:
        first = client.get("/admin/councils").get_data(as_text=True)
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", count)
    assert "14 councils, page 1 of 2" in first
    assert "Council 09" in first and "Council 10" not in first
    council_queries = [s for s in statements if "councils" in s or "council_domains" in s]
    # The count, the page with its counts, the domains, and the session's user: not one a council.
    assert len(council_queries) <= 4, council_queries
    second = client.get("/admin/councils?page=2").get_data(as_text=True)
    assert "Council 10" in second and "Thereshire Council" in second
    assert client.get("/admin/councils?page=999").status_code == 200


def test_an_admin_adds_a_council(app, client, as_role, world):
    as_role("admin")
    response = _post(client, "/admin/councils/new", GOOD)
    assert response.status_code == 302
    with app.app_context():
        council = db.session.scalar(db.select(Council).where(Council.name == GOOD["name"]))
        assert council.slug == "ynys-mon-county-council"
        assert council.nation is Nation.WALES
        assert council.council_type is CouncilType.WELSH_PRINCIPAL_AREA
        assert council.region == "North Wales"
        assert council.website == "https://www.anglesey.gov.wales"
        assert [d.domain for d in council.domains] == ["anglesey.gov.wales", "ynysmon.llyw.cymru"]
        council_id = council.id
    assert _log(app) == [
        ("council.added", world.people.admin.id, council_id, "Added Ynys Môn County Council")
    ]
    assert "Ynys Môn County Council is added" in client.get(response.location).get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter the council&#39;s name"),
        ("nation", "", "Select the council&#39;s nation"),
        ("council_type", "", "Choose the type of council"),
        ("council_type", "parish", "Choose the type of council"),
        ("website", "", "Enter the council&#39;s website"),
        ("website", "http://www.anglesey.gov.wales", "starting https://"),
        ("website", "https://nowhere", "starting https://"),
        ("slug", "Has Spaces", "lowercase letters, digits and hyphens"),
        ("slug", "-edge-", "lowercase letters, digits and hyphens"),
        ("slug", "hereshire-council", "already used by Hereshire Council"),
        ("domains", "not a domain!", "is not a domain name"),
        ("domains", "anglesey", "“anglesey” is not a domain name"),
        ("domains", "foo_bar.gov.uk", "is not a domain name"),
    ],
)
def test_mistakes_are_shown_with_what_was_typed(app, client, as_role, world, field, value, message):
    as_role("admin")
    response = _post(client, "/admin/councils/new", {**GOOD, field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "govuk-error-summary" in page and message in page
    assert "<title>Error:" in page
    assert "North Wales" in page  # what was typed stays
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Council.id))) == 2
    assert _log(app) == []


def test_a_domain_another_council_has_is_refused_naming_it(app, client, as_role, world):
    as_role("admin")
    response = _post(
        client, "/admin/councils/new", {**GOOD, "domains": "anglesey.gov.wales\nHereshire.gov.uk"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "hereshire.gov.uk already joins Hereshire Council" in page
    assert "anglesey.gov.wales" in page  # kept


def test_an_admin_changes_a_council_and_its_domains(app, client, as_role, world):
    as_role("admin")
    path = f"/admin/councils/{world.here.id}/edit"
    form = client.get(path).get_data(as_text=True)
    assert 'value="Hereshire Council"' in form and "hereshire.gov.uk</textarea>" in form
    response = _post(
        client,
        path,
        {
            "name": "Hereshire Council",
            "slug": "hereshire",
            "nation": "england",
            "council_type": "unitary",
            "region": "",
            "website": "https://www.hereshire.gov.uk",
            # Keeps its domain (the same row) and gains one.
            "domains": "hereshire.gov.uk\nmail.hereshire.gov.uk",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        council = db.session.get(Council, world.here.id)
        assert (council.slug, council.council_type, council.region) == (
            "hereshire",
            CouncilType.UNITARY,
            "",
        )
        assert [d.domain for d in council.domains] == ["hereshire.gov.uk", "mail.hereshire.gov.uk"]
    [entry] = _log(app)
    assert entry[:3] == ("council.edited", world.people.admin.id, world.here.id)
    assert entry[3] == "Changed slug, type, region, website, domains of Hereshire Council"
    # Its own domains are not "another council's"; the old slug is free, the new one its own.
    again = _post(
        client,
        path,
        {
            "name": "Hereshire Council",
            "slug": "hereshire",
            "nation": "england",
            "council_type": "unitary",
            "region": "",
            "website": "https://www.hereshire.gov.uk",
            "domains": "mail.hereshire.gov.uk",
        },
    )
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalars(
            db.select(CouncilDomain.domain).where(CouncilDomain.council_id == world.here.id)
        ).all() == ["mail.hereshire.gov.uk"]


def test_saving_a_council_unchanged_writes_no_log_row(app, client, as_role, world):
    as_role("admin")
    path = f"/admin/councils/{world.there.id}/edit"
    with app.app_context():
        db.session.get(Council, world.there.id).website = "https://www.thereshire.gov.uk"
        db.session.commit()
    response = _post(
        client,
        path,
        {
            "name": "Thereshire Council",
            "slug": "thereshire-council",
            "nation": "england",
            "council_type": "district",
            "region": "South East",
            "website": "https://www.thereshire.gov.uk",
            "domains": "thereshire.gov.uk",
        },
    )
    assert response.status_code == 302
    assert _log(app) == []
    assert "Nothing was changed" in client.get(response.location).get_data(as_text=True)


def test_editing_an_unknown_council_is_not_found(client, as_role, world):
    as_role("admin")
    assert client.get("/admin/councils/9999/edit").status_code == 404
    assert client.get("/admin/councils/9999/retire").status_code == 404


def test_retiring_says_what_happens_then_a_newcomer_on_its_domain_joins_nobody(
    app, client, as_role, world, csrf_token, outbox
):
    with app.app_context():
        study = make_study(world.here, world.people.author, title="Chatbots for bins")
        db.session.commit()
    as_role("admin")
    path = f"/admin/councils/{world.here.id}/retire"
    confirm = client.get(path).get_data(as_text=True)
    assert "Retire Hereshire Council?" in confirm
    assert "hereshire.gov.uk" in confirm and "its 2 members keep their accounts" in confirm
    response = _post(client, path, {"reason": "Merged into Bothshire Council"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Council, world.here.id).retired_at is not None
    assert _log(app) == [
        ("council.retired", world.people.admin.id, world.here.id, "Merged into Bothshire Council")
    ]
    # Its studies stay, marked as from a former council, and so does its page.
    client.post("/auth/logout", data={"csrf_token": csrf_token("/")})
    shown = client.get(f"/studies/{study.id}", follow_redirects=True).get_data(as_text=True)
    assert "Chatbots for bins" in shown and "Hereshire Council (former council)" in shown
    council_page = client.get("/councils/hereshire-council").get_data(as_text=True)
    assert "Former council" in council_page and "Chatbots for bins" in council_page

    register(client, csrf_token, email=NEWCOMER)
    client.get(confirmation_link(outbox))
    with app.app_context():
        newcomer = db.session.scalar(db.select(User).where(User.email == NEWCOMER))
        assert newcomer.email_confirmed_at is not None
        assert newcomer.council_id is None and not newcomer.is_verified


def test_a_reinstated_council_takes_newcomers_again(
    app, client, as_role, world, csrf_token, outbox
):
    with app.app_context():
        db.session.get(Council, world.here.id).retired_at = utcnow()
        db.session.commit()
    as_role("admin")
    edit = client.get(f"/admin/councils/{world.here.id}/edit").get_data(as_text=True)
    assert "This council is retired" in edit and "Reinstate Hereshire Council" in edit
    # Retiring it again only says so.
    assert client.get(f"/admin/councils/{world.here.id}/retire").status_code == 302
    response = _post(
        client,
        f"/admin/councils/{world.here.id}/reinstate",
        {},
        page=f"/admin/councils/{world.here.id}/edit",
    )
    assert response.status_code == 302
    assert _log(app) == [
        ("council.reinstated", world.people.admin.id, world.here.id, "Reinstated Hereshire Council")
    ]
    client.post("/auth/logout", data={"csrf_token": csrf_token("/")})
    register(client, csrf_token, email=NEWCOMER)
    client.get(confirmation_link(outbox))
    with app.app_context():
        newcomer = db.session.scalar(db.select(User).where(User.email == NEWCOMER))
        assert newcomer.council_id == world.here.id and newcomer.is_verified


def test_the_board_lists_a_retired_council_after_live_ones_as_a_former_council(app, client, world):
    with app.app_context():
        make_council("Shireton Council", domain="shireton.gov.uk", retired_at=utcnow())
        make_council("Shireville Council", domain="shireville.gov.uk")
        db.session.commit()
    page = client.get("/?council=shire").get_data(as_text=True)
    matches = page[page.index("app-council-matches") :].split("</ul>")[0]
    names = re.findall(r">([^<]+)</a>", matches)
    assert names[-1] == "Shireton Council"
    assert "Shireton Council</a> (former council)" in matches
    assert "Shireville Council</a> (former" not in matches
