"""Templates' url_for remembers the addresses that take no arguments but a static file's name
(board/templating.py): each is the address url_for makes, for the path the app is mounted at
and the blueprint a relative endpoint is read in; anything with arguments is made afresh; and
while static files are watched (development) nothing is remembered, so an edited file's new
name shows on the next page."""

from __future__ import annotations

import re

from flask import url_for

from board.static_files import StaticFiles
from board.templating import remembered_url_for

ADDRESSES = [
    ("static", {"filename": "css/app.css"}),
    ("static", {"filename": "js/app.js"}),
    ("browse.board", {}),
    ("questions.index", {}),
    ("core.privacy", {}),
    ("auth.login", {}),
]


def test_each_address_is_url_fors_for_the_mount(app):
    for _ in range(2):  # made, then remembered
        for script_root in ("", "/board", "/another/mount"):
            with app.test_request_context("/", base_url=f"http://localhost{script_root}/"):
                for endpoint, values in ADDRESSES:
                    address = remembered_url_for(endpoint, **values)
                    assert address == url_for(endpoint, **values)
                    assert address.startswith(script_root + "/")


def test_a_relative_endpoint_is_read_in_the_requests_blueprint(app):
    with app.test_request_context("/questions"):
        assert remembered_url_for(".index") == url_for("questions.index") == "/questions"
    with app.test_request_context("/account"):
        assert remembered_url_for(".index") == url_for("account.index") != "/questions"


def test_addresses_with_arguments_are_made_each_time(app):
    with app.test_request_context("/"):
        first = remembered_url_for("case_studies.show", study_id=1, slug="a")
        second = remembered_url_for("case_studies.show", study_id=2, slug="b")
        external = remembered_url_for("browse.board", _external=True)
        anchored = remembered_url_for("browse.board", _anchor="results")
    assert (first, second) == ("/studies/1/a", "/studies/2/b")
    assert external.startswith("http://") and anchored == "/#results"
    assert "board_remembered_urls" not in app.extensions or all(
        key[0] == "browse.board" and key[2] is None
        for key in app.extensions["board_remembered_urls"]
        if key[0] != "static"
    )


def test_pages_name_the_same_files_as_url_for(app, client):
    page = client.get("/").get_data(as_text=True)
    with app.test_request_context("/"):
        expected = url_for("static", filename="css/app.css")
    assert re.search(r'href="/static/css/app\.[0-9a-f]{10}\.css"', page)
    assert f'href="{expected}"' in page


def test_an_edited_file_gets_its_new_name_while_files_are_watched(app, tmp_path):
    (tmp_path / "a.css").write_text("body { color: black }\n")
    app.extensions["static_files"] = StaticFiles(tmp_path, watch=True)
    with app.test_request_context("/"):
        before = remembered_url_for("static", filename="a.css")
    (tmp_path / "a.css").write_text("body { color: red; background: white }\n")
    with app.test_request_context("/"):
        after = remembered_url_for("static", filename="a.css")
    assert before != after
    assert before.startswith("/static/a.") and after.startswith("/static/a.")
