"""Static files under content-hashed names, cached for a year (board/static_files.py)."""

from __future__ import annotations

import hashlib
import os
import re
import time

import pytest
from flask import url_for

from board.security import CONTENT_SECURITY_POLICY
from board.static_files import IMMUTABLE, StaticFiles, with_digest, without_digest

HASHED = re.compile(r"^/static/css/app\.([0-9a-f]{10})\.css$")


def static_url(app, filename: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=filename)


def fetch(client, path: str, **kwargs):
    response = client.get(path, **kwargs)
    response.close()  # a file's response holds the file open
    return response


def test_url_for_names_the_hashed_file_without_a_template_changing(app):
    url = static_url(app, "css/app.css")
    match = HASHED.match(url)
    assert match, url
    path = app.extensions["static_files"].path_of("css/app.css")
    with open(path, "rb") as file:
        assert match.group(1) == hashlib.sha256(file.read()).hexdigest()[:10]


def test_every_page_links_hashed_files(client):
    html = client.get("/auth/login").text
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert len(links) >= 7  # the icon, three stylesheets and three scripts
    for link in links:
        assert without_digest(link.removeprefix("/static/")), link


def test_the_hashed_name_is_immutable_for_a_year(app, client):
    response = fetch(client, static_url(app, "css/app.css"))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.mimetype == "text/css"
    assert ".app-" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_the_hashed_name_answers_if_none_match(app, client):
    url = static_url(app, "js/app.js")
    first = fetch(client, url)
    again = fetch(client, url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_a_stale_hash_gets_the_current_file_revalidated_each_time(app, client):
    current = fetch(client, static_url(app, "css/app.css"))
    stale = fetch(client, "/static/css/app.0123456789.css")
    assert stale.status_code == 200
    assert stale.headers["Cache-Control"] == "public, no-cache"
    assert stale.data == current.data


def test_the_plain_name_still_works_revalidated_each_time(client):
    response = fetch(client, "/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, no-cache"
    again = fetch(
        client, "/static/css/app.css", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/static/missing.css",
        "/static/css/missing.0123456789.css",
        "/static/css/app.xyz.css",
        "/static/../board/config.py",
        "/static/%2e%2e/board/config.py",
        "/static/..%2fboard%2fconfig.py",
        "/static/%2e%2e%2fboard%2fconfig.py",
        "/static/css/../../board/config.py",
        "/static/..%5cboard%5cconfig.py",
        "/static/%2fetc%2fpasswd",
        "/static/../board/config.0123456789.py",
        "/static/css",
    ],
)
def test_unknown_files_and_paths_outside_the_folder_are_not_found(client, path):
    # Werkzeug first merges a doubled slash ("/static//etc") with a redirect, within /static.
    response = fetch(client, path, follow_redirects=True)
    assert response.status_code == 404
    assert b"SECRET_KEY" not in response.data


def test_a_stylesheets_relative_images_are_hashed_and_resolve(app, client):
    css_url = static_url(app, "vendor/moj-frontend/moj-frontend.min.css")
    css = fetch(client, css_url).get_data(as_text=True)
    icons = set(re.findall(r"url\((assets/images/icon-[^)]+)\)", css))
    assert icons
    folder = css_url.rsplit("/", 1)[0]
    for icon in icons:
        assert without_digest(icon), icon  # rewritten to the hashed name
        response = fetch(client, f"{folder}/{icon}")
        assert response.status_code == 200, icon
        assert response.mimetype == "image/svg+xml"
        assert response.headers["Cache-Control"] == IMMUTABLE
    # The plain name the file on disk uses resolves too, for pages that load it unhashed.
    plain = fetch(client, "/static/vendor/moj-frontend/assets/images/icon-close-cross-black.svg")
    assert plain.status_code == 200


def test_module_imports_name_the_hashed_modules(app, client):
    script_url = static_url(app, "js/govuk-init.js")
    script = fetch(client, script_url).get_data(as_text=True)
    imports = re.findall(r'from "(\.\./[^"]+)"', script)
    assert imports
    for specifier in imports:
        assert without_digest(specifier), specifier
        resolved = "/static/" + specifier.removeprefix("../")
        response = fetch(client, resolved)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE


def test_a_change_to_an_imported_module_changes_the_importers_hash(tmp_path):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "main.js").write_text('import { x } from "./lib.js";\n')
    (tmp_path / "js" / "lib.js").write_text("export const x = 1;\n")
    before = StaticFiles(tmp_path, watch=True).hashed_name("js/main.js")
    files = StaticFiles(tmp_path, watch=True)
    assert files.hashed_name("js/main.js") == before
    lib = tmp_path / "js" / "lib.js"
    lib.write_text("export const x = 2;\n")
    later = time.time() + 5  # a new modification time, whatever the clock's resolution
    os.utime(lib, (later, later))
    after = files.hashed_name("js/main.js")
    assert after != before
    assert (
        files.asset("js/main.js")
        .body.decode()
        .endswith(f'from "./{with_digest("lib.js", files.asset("js/lib.js").digest)}";\n')
    )


def test_without_watching_hashes_are_worked_out_once(tmp_path):
    (tmp_path / "a.css").write_text("body { color: black }\n")
    files = StaticFiles(tmp_path, watch=False)
    first = files.hashed_name("a.css")
    (tmp_path / "a.css").write_text("body { color: red }\n")
    assert files.hashed_name("a.css") == first


def test_a_missing_file_keeps_its_name(app):
    assert static_url(app, "css/nothing.css") == "/static/css/nothing.css"


def test_the_content_security_policy_allows_the_hashed_files(app, client):
    html = client.get("/").text
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "style-src 'self'" in CONTENT_SECURITY_POLICY
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', html)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert scripts and styles
    # Same origin: every file is on this site, which 'self' allows.
    assert all(url.startswith("/static/") and "//" not in url for url in scripts + styles)
    response = fetch(client, scripts[0])
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    ("filename", "hashed"),
    [
        ("css/app.css", "css/app.0123456789.css"),
        (
            "vendor/govuk-frontend/govuk-frontend.min.js",
            "vendor/govuk-frontend/govuk-frontend.min.0123456789.js",
        ),
        ("favicon.svg", "favicon.0123456789.svg"),
        ("LICENSE", "LICENSE.0123456789"),
    ],
)
def test_hashed_names_round_trip(filename, hashed):
    assert with_digest(filename, "0123456789") == hashed
    assert without_digest(hashed) == (filename, "0123456789")
