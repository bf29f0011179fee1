"""The page template on the GOV.UK Design System: vendored and pinned, no crown, the footer's
statement and notices on every page, the Design System's macros and widgets available."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask import render_template_string
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField

from board.extensions import db
from tests.factories import make_study

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
FOOTER_PAGES = ["/accessibility", "/privacy", "/cookies", "/contact"]


def pinned(package: str) -> str:
    return json.loads((ROOT / "package.json").read_text())["dependencies"][package]


def test_package_json_pins_exact_versions_and_the_lock_agrees():
    manifest = json.loads((ROOT / "package.json").read_text())
    assert manifest["private"] is True
    lock = json.loads((ROOT / "package-lock.json").read_text())
    for package, version in manifest["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{package} is not pinned exactly"
        assert lock["packages"][f"node_modules/{package}"]["version"] == version
    assert pinned("govuk-frontend").startswith("6.")
    assert pinned("@ministryofjustice/frontend").startswith("11.")


def test_vendored_govuk_frontend_is_the_pinned_version():
    version = pinned("govuk-frontend")
    folder = VENDOR / "govuk-frontend"
    css = (folder / "govuk-frontend.min.css").read_text()
    assert f'--govuk-frontend-version:"{version}"' in css
    assert f'version="{version}"' in (folder / "govuk-frontend.min.js").read_text()
    assert f"version {version}" in (folder / "README.md").read_text()
    assert "MIT License" in (folder / "LICENSE").read_text()


def test_vendored_moj_frontend_is_the_pinned_version():
    version = pinned("@ministryofjustice/frontend")
    folder = VENDOR / "moj-frontend"
    assert f'version="{version}"' in (folder / "moj-frontend.min.js").read_text()
    assert f"version {version}" in (folder / "README.md").read_text()
    assert "MIT License" in (folder / "LICENSE").read_text()


def test_no_gds_transport_font_and_no_crown_is_vendored():
    """This service is not on GOV.UK: Arial, not the GOV.UK typeface, and no crown."""
    files = [path for path in VENDOR.rglob("*") if path.is_file()]
    assert not [path for path in files if path.suffix in (".woff", ".woff2", ".ttf", ".otf")]
    assert not [path for path in files if re.search("crown|crest|govuk-icon", path.name)]
    for css in VENDOR.glob("*/*.min.css"):
        text = css.read_text()
        assert "GDS Transport" not in text and "@font-face" not in text
        # Every image a stylesheet draws is shipped beside it, but the footer's Crown copyright
        # logo, which the page template never shows.
        for path in set(re.findall(r"url\((assets/[^)]+)\)", text)):
            assert (css.parent / path).is_file() or path == "assets/images/govuk-crest.svg"
    assert "url(/assets/" not in "".join(p.read_text() for p in VENDOR.glob("*/*.min.css"))


def page_paths(app, world) -> list[str]:
    with app.app_context():
        study = make_study(world.here, title="Smart bins")
        db.session.commit()
        study_path = f"/studies/{study.id}/smart-bins"
    return ["/", "/auth/login", "/auth/register", study_path, "/missing", *FOOTER_PAGES]


@pytest.mark.parametrize("role", ["visitor", "author", "moderator"])
def test_every_page_links_the_statement_and_notices_from_its_footer(
    app, client, as_role, world, role
):
    paths = page_paths(app, world)
    as_role(role)
    for path in paths:
        html = client.get(path, follow_redirects=True).get_data(as_text=True)
        footer = html[html.index('<footer class="govuk-footer') :]
        for target in FOOTER_PAGES:
            assert f'class="govuk-footer__link" href="{target}"' in footer, (path, target)


def test_the_header_has_no_crown_and_does_not_say_gov_uk(app, client, as_role, world):
    paths = page_paths(app, world)
    for role in ("visitor", "author"):
        as_role(role)
        for path in paths:
            html = client.get(path, follow_redirects=True).get_data(as_text=True)
            header = html[html.index("<header") : html.index("</header>")]
            assert "GOV.UK" not in header
            assert "govuk-header" not in header and "govuk-logo" not in html
            assert "crown" not in html.lower()
            assert 'class="govuk-service-navigation__service-name"' in header
            assert "Case Board" in header


def test_service_navigation_offers_what_each_role_may_do(client, as_role):
    as_role("visitor")
    html = client.get("/").get_data(as_text=True)
    assert 'aria-current="page"' in html  # Case studies, on the board
    for text in ("Case studies", "Sign in", "Register"):
        assert f"{text}\n" in html or f">{text}<" in html
    assert "Write up an experiment" not in html and "Sign out" not in html

    as_role("author")
    html = client.get("/").get_data(as_text=True)
    for text in ("Write up an experiment", "Your council&#39;s studies", "Notifications"):
        assert text in html
    assert "Moderation" not in html and "Sign in\n" not in html
    # Signing out is a form with the CSRF token, not a link.
    assert re.search(
        r'<form action="/auth/logout" method="post"[^>]*>\s*<input type="hidden" '
        r'name="csrf_token"',
        html,
    )


def test_design_system_pages_say_what_the_regulations_require(client):
    statement = client.get("/accessibility").get_data(as_text=True)
    for words in (
        "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility",
        "Web Content Accessibility\n      Guidelines version 2.2</a> AA",
        "Equality and Human Rights Commission (EHRC)",
        "Equality Commission for Northern\n      Ireland (ECNI)",
        "Reporting accessibility problems",
        "This statement was prepared on",
        "mailto:caseboard@caseboard.example",
    ):
        assert words in statement
    privacy = client.get("/privacy").get_data(as_text=True)
    for words in (
        "UK General Data Protection Regulation",
        "job title",
        "How long we keep it",
        "Your rights",
        "Information Commissioner",
    ):
        assert words in privacy
    cookies = client.get("/cookies").get_data(as_text=True)
    assert '<th scope="row" class="govuk-table__header">session</th>' in cookies
    assert "We do not use analytics cookies" in cookies
    assert "mailto:" in client.get("/contact").get_data(as_text=True)


def test_the_design_system_starts_from_a_file_not_an_inline_script(client):
    html = client.get("/").get_data(as_text=True)
    # Every <script> has a src: the CSP forbids inline script.
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html) == []
    assert '<script type="module" src="/static/js/govuk-init.js"></script>' in html
    module = (ROOT / "static" / "js" / "govuk-init.js").read_text()
    assert 'document.body.classList.add("govuk-frontend-supported")' in module
    assert "../vendor/govuk-frontend/govuk-frontend.min.js" in module
    assert "htmx:load" in module
    with client.get("/static/js/govuk-init.js") as script:
        assert script.status_code == 200


def test_govuk_frontend_jinja_macros_and_wtf_widgets_render(app):
    class NameForm(FlaskForm):
        name = StringField("Your name", widget=GovTextInput())

    with app.test_request_context():
        button = render_template_string(
            '{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}'
            '{{ govukButton({"text": "Save <draft>"}) }}'
        )
        assert 'class="govuk-button"' in button and "Save &lt;draft&gt;" in button
        form = NameForm(meta={"csrf": False}, data={"name": "Ava"})
        form.validate()
        field = str(form.name())
        assert 'class="govuk-label"' in field and 'value="Ava"' in field
        form.name.errors = ["Enter your name"]
        summary = render_template_string(
            '{% from "govuk_frontend_jinja/components/error-summary/macro.html" '
            "import govukErrorSummary %}{{ govukErrorSummary(wtforms_errors(form)) }}",
            form=form,
        )
        assert 'href="#name"' in summary and "Enter your name" in summary
