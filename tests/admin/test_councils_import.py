"""Councils from a CSV file: ``flask --app wsgi councils import FILE [--dry-run]`` and the admins'
import page. All of a file or none of it; problems by line number."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from board.admin import councils as admin_councils
from board.extensions import db
from board.models import Council, CouncilType, ModerationLog, Nation
from tests.conftest import csrf_token_from
from tests.factories import ROLES, make_council

HEADER = "name,slug,nation,type,region,website,domains\n"
GOOD = (
    HEADER + "Cyngor Sir Ynys Môn,,Wales,Welsh principal council,North Wales,"
    "https://www.anglesey.gov.wales,anglesey.gov.wales; YnysMon.llyw.cymru\n"
    + "Leeds City Council,leeds,england,metropolitan-borough,,https://www.leeds.gov.uk,leeds.gov.uk\n"
    + '"Derry City and Strabane District Council",,Northern Ireland,ni_district,,'
    "https://www.derrystrabane.com,derrystrabane.com\n"
)
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "councils-example.csv"


def run(app, tmp_path, text: str | bytes, *options: str):
    path = tmp_path / "councils.csv"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return app.test_cli_runner().invoke(args=["councils", "import", str(path), *options])


def councils(app) -> dict[str, tuple]:
    with app.app_context():
        return {
            council.slug: (
                council.name,
                council.nation,
                council.council_type,
                council.region,
                council.website,
                sorted(domain.domain for domain in council.domains),
            )
            for council in db.session.scalars(db.select(Council))
        }


def log(app) -> list[tuple[str, int | None, int, str]]:
    with app.app_context():
        return [
            (row.action, row.actor_id, row.target_id, row.reason)
            for row in db.session.scalars(db.select(ModerationLog).order_by(ModerationLog.id))
        ]


def test_a_good_file_with_excels_byte_order_mark_adds_every_council(app, tmp_path):
    result = run(app, tmp_path, "\ufeff" + GOOD.replace("\n", "\r\n"))
    assert result.exit_code == 0, result.output
    assert "Added 3 councils, updated 0 and left 0 unchanged." in result.output
    assert councils(app) == {
        "cyngor-sir-ynys-mon": (
            "Cyngor Sir Ynys Môn",
            Nation.WALES,
            CouncilType.WELSH_PRINCIPAL_AREA,
            "North Wales",
            "https://www.anglesey.gov.wales",
            ["anglesey.gov.wales", "ynysmon.llyw.cymru"],
        ),
        "leeds": (
            "Leeds City Council",
            Nation.ENGLAND,
            CouncilType.METROPOLITAN_BOROUGH,
            "",
            "https://www.leeds.gov.uk",
            ["leeds.gov.uk"],
        ),
        "derry-city-and-strabane-district-council": (
            "Derry City and Strabane District Council",
            Nation.NORTHERN_IRELAND,
            CouncilType.NI_DISTRICT,
            "",
            "https://www.derrystrabane.com",
            ["derrystrabane.com"],
        ),
    }
    rows = log(app)
    assert len(rows) == 3
    assert {(action, actor) for action, actor, _, _ in rows} == {("council.imported", None)}
    assert rows[0][3] == "Added Cyngor Sir Ynys Môn from a file"


def test_the_example_file_imports(app, tmp_path):
    result = run(app, tmp_path, EXAMPLE.read_bytes())
    assert result.exit_code == 0, result.output
    assert "Added 8 councils" in result.output
    assert councils(app)["isle-of-anglesey-county-council"][5] == [
        "anglesey.gov.wales",
        "ynysmon.llyw.cymru",
    ]


def test_a_bad_file_changes_nothing_and_names_every_problem_by_line(app, tmp_path):
    with app.app_context():
        make_council("Hereshire Council", domain="hereshire.gov.uk")
        db.session.commit()
    before = councils(app)
    bad = (
        HEADER
        + "Good Council,,england,district,,https://www.good.gov.uk,good.gov.uk\n"  # line 2
        + ",,england,district,,https://www.x.gov.uk,x.gov.uk\n"  # 3: no name
        + "Mars Council,,Mars,district,,https://mars.gov.uk,mars.gov.uk\n"  # 4
        + "Parish,,england,parish,,https://parish.gov.uk,parish.gov.uk\n"  # 5
        + "Good Council,,wales,unitary,,https://good.wales,good.wales\n"  # 6: slug again
        + "Copy Council,,england,district,,https://copy.gov.uk,good.gov.uk\n"  # 7: domain again
        + "Taken Council,,england,district,,https://taken.gov.uk,Hereshire.gov.uk\n"  # 8
        + "Bad Domain Council,,england,district,,https://bad.gov.uk,not_a.domain\n"  # 9
        + "\n"  # 10: blank lines are skipped
        + '"Multi\nLine Council",,england,district,,http://insecure.gov.uk,multi.gov.uk\n'  # 11
        + "Bad Slug Council,Bad Slug!,england,district,,https://slug.gov.uk,\n"  # 13
    )
    result = run(app, tmp_path, bad)
    assert result.exit_code == 1
    out = result.output
    assert "Nothing was imported: the file has 9 problems." in out
    for expected in [
        "Line 3: the name is missing",
        "Line 4: unknown nation “Mars”",
        "Line 5: unknown type “parish”",
        "Line 6: slug “good-council” is also on line 2",
        "Line 7: domain good.gov.uk is also on line 2",
        "Line 8: domain hereshire.gov.uk already joins Hereshire Council (hereshire-council)",
        "Line 9: “not_a.domain” is not a domain name",
        "Line 11: website “http://insecure.gov.uk” is not a full address starting https://",
        "Line 13: slug “bad slug!”",
    ]:
        assert expected in out, out
    assert councils(app) == before
    assert log(app) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty"),
        ("name,nation,type\nA,england,district\n", "Line 1: Missing columns: website, domains"),
        (HEADER.strip() + ",colour\n", "Line 1: Unknown column “colour”"),
        ("name,name,nation,type,website,domains\n", "Line 1: Column named twice: name"),
        (HEADER + "A,,england,district,,https://a.gov.uk,a.gov.uk,extra\n", "Line 2: 8 values"),
    ],
)
def test_a_file_that_is_not_a_list_of_councils_is_refused(app, tmp_path, text, message):
    result = run(app, tmp_path, text)
    assert result.exit_code == 1
    assert message in result.output
    assert councils(app) == {}


def test_a_file_that_is_not_utf8_is_refused(app, tmp_path):
    result = run(app, tmp_path, GOOD.encode("cp1252"))
    assert result.exit_code == 1
    assert "not UTF-8" in result.output
    assert councils(app) == {}


def test_a_dry_run_reports_the_same_and_changes_nothing(app, tmp_path):
    result = run(app, tmp_path, GOOD, "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        "Dry run, nothing changed. Would add 3 councils, update 0 and leave 0 unchanged."
        in result.output
    )
    assert councils(app) == {}
    assert log(app) == []


def test_existing_councils_are_updated_and_unchanged_ones_left_alone(app, tmp_path):
    assert run(app, tmp_path, GOOD).exit_code == 0
    with app.app_context():
        leeds_id = db.session.scalar(db.select(Council.id).where(Council.slug == "leeds"))
        make_council("Hereshire Council", domain="hereshire.gov.uk")
        db.session.commit()
    # Leeds changes its region and swaps a domain with Derry (both in the file); Ynys Môn is as
    # it was; a new council is added; Hereshire is not in the file and stays as it is.
    changed = (
        HEADER + "Cyngor Sir Ynys Môn,,Wales,welsh-principal-area,North Wales,"
        "https://www.anglesey.gov.wales,ynysmon.llyw.cymru anglesey.gov.wales\n"
        + "Leeds City Council,leeds,england,metropolitan-borough,Yorkshire,"
        "https://www.leeds.gov.uk,derrystrabane.com\n"
        + "Derry City and Strabane District Council,,Northern Ireland,ni-district,,"
        "https://www.derrystrabane.com,leeds.gov.uk\n"
        + "Fife Council,,Scotland,scottish-council-area,,https://www.fife.gov.uk,fife.gov.uk\n"
    )
    dry = run(app, tmp_path, changed, "--dry-run")
    assert "Would add 1 council, update 2 and leave 1 unchanged" in dry.output
    before = councils(app)
    assert len(log(app)) == 3

    result = run(app, tmp_path, changed)
    assert result.exit_code == 0, result.output
    assert "Added 1 council, updated 2 and left 1 unchanged." in result.output
    assert "Updated: Leeds City Council (leeds): region, domains" in result.output
    after = councils(app)
    assert after["leeds"][3:] == ("Yorkshire", "https://www.leeds.gov.uk", ["derrystrabane.com"])
    assert after["derry-city-and-strabane-district-council"][5] == ["leeds.gov.uk"]
    assert after["cyngor-sir-ynys-mon"] == before["cyngor-sir-ynys-mon"]
    assert after["hereshire-council"] == before["hereshire-council"]
    assert after["fife-council"][0] == "Fife Council"
    with app.app_context():
        assert db.session.scalar(db.select(Council.id).where(Council.slug == "leeds")) == leeds_id
    new_rows = log(app)[3:]
    assert len(new_rows) == 3  # two updated, one added; nothing for the unchanged one
    assert (
        "council.imported",
        None,
        leeds_id,
        "Changed region, domains of Leeds City Council from a file",
    ) in new_rows


def test_admins_import_in_the_browser_checking_first(app, client, as_role, world):
    as_role("admin")
    page = client.get("/admin/councils/import").get_data(as_text=True)

    def upload(text: str, check_only: bool):
        data = {
            "csrf_token": csrf_token_from(page),
            "file": (io.BytesIO(("\ufeff" + text).encode()), "councils.csv"),
        }
        if check_only:
            data["check_only"] = "y"
        return client.post("/admin/councils/import", data=data, content_type="multipart/form-data")

    checked = upload(GOOD, check_only=True)
    assert checked.status_code == 200
    assert "Would add 3 councils" in checked.get_data(as_text=True)
    assert "leeds" not in councils(app)

    bad = upload(GOOD + "Twice,leeds,england,district,,https://t.gov.uk,\n", check_only=False)
    assert bad.status_code == 422
    assert "Line 5: slug “leeds” is also on line 3" in bad.get_data(as_text=True)
    assert "leeds" not in councils(app)

    done = upload(GOOD, check_only=False)
    assert done.status_code == 200
    assert "Added 3 councils" in done.get_data(as_text=True)
    assert "leeds" in councils(app)
    # Logged as the admin's doing (from the command line, the system's).
    assert {actor for _, actor, _, _ in log(app)} == {world.people.admin.id}
    assert len(log(app)) == 3

    missing = client.post(
        "/admin/councils/import",
        data={"csrf_token": csrf_token_from(page)},
        content_type="multipart/form-data",
    )
    assert missing.status_code == 422
    assert "Choose a CSV file of councils" in missing.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_import_in_the_browser(app, client, as_role, role):
    as_role(role)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post(
        "/admin/councils/import",
        data={"csrf_token": token, "file": (io.BytesIO(GOOD.encode()), "c.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == {"admin": 200, "visitor": 302}.get(role, 403)
    assert ("leeds" in councils(app)) == (role == "admin")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Café".encode("cp1252"), "must be UTF-8 text"),
        (b"x" * 2_001, "must be 0.002 MB or smaller"),
    ],
)
def test_the_import_page_refuses_a_file_it_cannot_read(
    app, client, as_role, world, monkeypatch, data, message
):
    # A small limit: a test client body over 500 kB is spooled to a file it never closes.
    monkeypatch.setattr(admin_councils, "MAX_UPLOAD", 2_000)
    as_role("admin")
    page = client.get("/admin/councils/import").get_data(as_text=True)
    response = client.post(
        "/admin/councils/import",
        data={"csrf_token": csrf_token_from(page), "file": (io.BytesIO(data), "c.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert len(councils(app)) == 2
