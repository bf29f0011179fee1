"""The page template on the GOV.UK Design System: built from the pinned packages with only the
components the pages use and none they use left out, no crown, the footer's statement and
notices on every page, the Design System's macros and widgets available."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import govuk_frontend_jinja
import govuk_frontend_wtf
import pytest
from flask import render_template_string
from flask_wtf import FlaskForm
from govuk_frontend_wtf import wtforms_widgets
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField

from board.extensions import db
from tests.factories import make_study

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
BUNDLE = VENDOR / "design-system"
FOOTER_PAGES = ["/accessibility", "/privacy", "/cookies", "/contact"]


def pinned(package: str) -> str:
    return json.loads((ROOT / "package.json").read_text())["dependencies"][package]


# What writes the pages' markup, for the checks that nothing they use was trimmed from the
# Design System (`make assets` builds only the components assets/ names).
PACKAGE_TEMPLATES = {
    "govuk_frontend_jinja": Path(govuk_frontend_jinja.__file__).parent / "templates",
    "govuk_frontend_wtf": Path(govuk_frontend_wtf.__file__).parent / "templates",
}
TEMPLATE_REFERENCE = re.compile(
    r"""\{%-?\s*(?:from|import|include)\s+["'](govuk_frontend_(?:jinja|wtf))/([^"']+)["']"""
)
CLASS_NAME = re.compile(r"(?<![\w/-])(?:govuk|moj)-[\w!-]*\w")
CSS_CLASS = re.compile(r"\.((?:govuk|moj)-(?:\\.|[\w-])+)")
DATA_MODULE = re.compile(r"""["']?data-module["']?\s*[=:]\s*["']((?:govuk|moj)-[\w-]+)["']""")


def package_template(package: str, name: str) -> Path:
    return PACKAGE_TEMPLATES[package] / name


def markup_sources() -> dict[str, str]:
    """The text of everything that writes the pages' classes and data-modules, by name:
    templates/, every govuk_frontend_jinja or govuk_frontend_wtf template they reach (the
    macros they import and the macros those import), the templates of the form widgets board/
    uses, static/js/ and the Design System's bundled scripts (which add classes of their own),
    and board/'s Python (the pages written without a template)."""
    python = {path: path.read_text() for path in sorted((ROOT / "board").rglob("*.py"))}
    widgets = set(re.findall(r"\bGov[A-Z]\w+", "".join(python.values())))
    to_read = sorted((ROOT / "templates").rglob("*.html"))
    for name in widgets:
        template = getattr(getattr(wtforms_widgets, name, None), "template", None)
        if template:
            to_read.append(package_template(*template.split("/", 1)))
    sources = {str(path.relative_to(ROOT)): text for path, text in python.items()}
    scripts = [
        *sorted((ROOT / "static" / "js").glob("*.js")),
        BUNDLE / "design-system.min.js",
        BUNDLE / "board.min.js",
    ]
    sources |= {str(path.relative_to(ROOT)): path.read_text() for path in scripts}
    while to_read:
        path = to_read.pop()
        name = str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        if name in sources:
            continue
        sources[name] = path.read_text()
        to_read.extend(
            package_template(package, template)
            for package, template in TEMPLATE_REFERENCE.findall(sources[name])
        )
    return sources


def trimmed_classes() -> set[str]:
    """The classes the complete Design System stylesheets style and the built ones do not
    (written by `make assets`)."""
    return set((ROOT / "assets" / "trimmed-classes.txt").read_text().split())


def built_classes() -> set[str]:
    css = "".join(path.read_text() for path in VENDOR.glob("*/*.min.css"))
    return {name.replace("\\", "") for name in CSS_CLASS.findall(css)}


def trimmed_classes_used(sources: dict[str, str], trimmed: set[str]) -> dict[str, list[str]]:
    """Each class a source uses that the built stylesheets lost, with the sources using it."""
    used: dict[str, list[str]] = {}
    for name, text in sources.items():
        for class_name in sorted(set(CLASS_NAME.findall(text)) & trimmed):
            used.setdefault(class_name, []).append(name)
    return used


def modules_not_started(
    sources: dict[str, str],
    bundle: Path = BUNDLE / "design-system.min.js",
    starter: Path = ROOT / "static" / "js" / "govuk-init.js",
) -> list[str]:
    """Each data-module a source writes whose component ``bundle`` lacks or ``starter`` does
    not start (in its ``COMPONENTS``)."""
    bundled = bundle.read_text()
    started = re.search(r"const COMPONENTS = \[([^\]]*)\]", starter.read_text())
    assert started, f"{starter.name} lists the components it starts in COMPONENTS"
    started_names = set(re.findall(r"\w+", started.group(1)))
    missing = []
    for module in sorted({m for text in sources.values() for m in DATA_MODULE.findall(text)}):
        component = "".join(word.title() for word in module.split("-")[1:])
        if f'moduleName="{module}"' not in bundled or component not in started_names:
            missing.append(module)
    return missing


def test_no_class_the_pages_use_was_trimmed_from_the_design_system():
    """A component's styles left out of assets/*.scss would leave a page unstyled: every class
    the templates, the macros they call, the scripts and board/ write must be built in, unless
    the Design System styles it nowhere (a hook for its scripts, such as govuk-js-*)."""
    trimmed = trimmed_classes()
    assert {"govuk-accordion", "govuk-header", "moj-timeline"} <= trimmed
    assert not trimmed & built_classes()
    used = trimmed_classes_used(markup_sources(), trimmed)
    assert used == {}, (
        "classes used but not built (add their components to assets/govuk-frontend.scss or "
        f"assets/moj-frontend.scss and run make assets): {used}"
    )


def test_a_page_using_a_component_that_was_not_built_is_caught():
    sources = markup_sources()
    assert "templates/base.html" in sources
    assert "components/character-count/macro.html" in "".join(sources)  # a widget's macro
    assert "components/error-message/macro.html" in "".join(sources)  # a macro's macro
    sources["templates/new.html"] = '<div class="govuk-accordion govuk-body">'
    sources["static/js/new.js"] = 'element.classList.add("moj-timeline__item");'
    assert trimmed_classes_used(sources, trimmed_classes()) == {
        "govuk-accordion": ["templates/new.html"],
        "moj-timeline__item": ["static/js/new.js"],
    }


def test_every_component_the_pages_use_is_bundled_and_started():
    sources = markup_sources()
    assert modules_not_started(sources) == []
    modules = {m for text in sources.values() for m in DATA_MODULE.findall(text)}
    assert {"govuk-character-count", "govuk-password-input", "govuk-button"} <= modules
    sources["templates/new.html"] = '<div class="govuk-tabs" data-module="govuk-tabs">'
    assert modules_not_started(sources) == ["govuk-tabs"]


def test_package_json_pins_exact_versions_and_the_lock_agrees():
    manifest = json.loads((ROOT / "package.json").read_text())
    assert manifest["private"] is True
    lock = json.loads((ROOT / "package-lock.json").read_text())
    packages = {**manifest["dependencies"], **manifest["devDependencies"]}
    assert {"sass", "esbuild"} <= set(manifest["devDependencies"])
    for package, version in packages.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{package} is not pinned exactly"
        assert lock["packages"][f"node_modules/{package}"]["version"] == version
    assert pinned("govuk-frontend").startswith("6.")
    assert pinned("@ministryofjustice/frontend").startswith("11.")


def test_the_built_design_system_is_the_pinned_version():
    govuk, moj = pinned("govuk-frontend"), pinned("@ministryofjustice/frontend")
    css = (VENDOR / "govuk-frontend" / "govuk-frontend.min.css").read_text()
    assert f'--govuk-frontend-version: "{govuk}"' in css
    bundle = (BUNDLE / "design-system.min.js").read_text()
    assert f"GOV.UK Frontend {govuk} and MoJ frontend {moj}" in bundle
    assert f'"{govuk}"' in bundle and f'"{moj}"' in bundle
    readme = (BUNDLE / "README.md").read_text()
    assert f"GOV.UK Frontend {govuk}**" in readme and f"MoJ frontend {moj}**" in readme
    for folder, version in (("govuk-frontend", govuk), ("moj-frontend", moj)):
        assert f"version {version}" in (VENDOR / folder / "README.md").read_text()
        assert "MIT License" in (VENDOR / folder / "LICENSE").read_text()
        assert "MIT License" in (BUNDLE / f"LICENSE-{folder}").read_text()


def test_only_the_built_design_system_is_vendored():
    """The complete bundles are gone: nothing serves them, and nobody should start using them."""
    scripts = {path.relative_to(VENDOR).as_posix() for path in VENDOR.rglob("*.js")}
    assert scripts == {
        "design-system/design-system.min.js",
        "design-system/board.min.js",
        "htmx/htmx-2.0.11.min.js",
    }


# The board's own files (assets/board.scss and assets/board.mjs): the board, topic and council
# pages load these instead of the complete stylesheets and govuk-init.js.
BOARD_TEMPLATE = "browse/board.html"
# Put into the board's pages after they load: the error htmx shows when a request fails.
BOARD_FRAGMENTS = ["errors/_htmx_error.html"]


def board_markup_sources(app) -> dict[str, str]:
    """What writes the board's pages: its template, every template it reaches (base.html, its
    partials and macros, the Design System's macros they import, transitively), the fragments
    htmx puts into it, and the scripts it loads."""
    from jinja2 import meta

    environment = app.jinja_env
    to_read = [BOARD_TEMPLATE, *BOARD_FRAGMENTS]
    sources: dict[str, str] = {}
    while to_read:
        name = to_read.pop()
        if name in sources:
            continue
        source = environment.loader.get_source(environment, name)[0]
        sources[name] = source
        to_read.extend(
            reference
            for reference in meta.find_referenced_templates(environment.parse(source))
            if reference
        )
    for script in (BUNDLE / "board.min.js", ROOT / "static" / "js" / "app.js"):
        sources[str(script.relative_to(ROOT))] = script.read_text()
    return sources


def board_classes() -> set[str]:
    css = (BUNDLE / "board.min.css").read_text()
    return {name.replace("\\", "") for name in CSS_CLASS.findall(css)}


def classes_missing_from_the_board(sources: dict[str, str]) -> dict[str, list[str]]:
    """Each class the board's sources use that the complete Design System styles and the
    board's stylesheet does not, with the sources using it."""
    styled_somewhere = built_classes() | trimmed_classes()
    missing = styled_somewhere - board_classes()
    return trimmed_classes_used(sources, missing)


def test_the_boards_stylesheet_has_every_class_its_pages_use(app):
    sources = board_markup_sources(app)
    assert {"base.html", "browse/_filters.html", "browse/_results.html"} <= set(sources)
    # The Design System's macros the board imports are read too; the pagination is written
    # out in macros/listing.html, and the header's Service navigation in base.html.
    assert "govuk-service-navigation__item--active" in sources["base.html"]
    assert classes_missing_from_the_board(sources) == {}, (
        "add their components to assets/board.scss and run make assets"
    )
    # It can fail: a class of a component the board's stylesheet leaves out.
    assert "govuk-summary-list" not in board_classes()
    sources["browse/new.html"] = '<dl class="govuk-summary-list">'
    assert classes_missing_from_the_board(sources) == {"govuk-summary-list": ["browse/new.html"]}


def board_modules_not_started(sources: dict[str, str]) -> list[str]:
    return modules_not_started(sources, BUNDLE / "board.min.js", ROOT / "assets" / "board.mjs")


def test_the_boards_script_starts_every_component_its_pages_use(app):
    sources = board_markup_sources(app)
    modules = {m for text in sources.values() for m in DATA_MODULE.findall(text)}
    assert {"govuk-checkboxes", "govuk-button", "govuk-service-navigation"} <= modules
    assert board_modules_not_started(sources) == []
    sources["browse/new.html"] = '<div data-module="govuk-radios">'
    assert board_modules_not_started(sources) == ["govuk-radios"]


@pytest.mark.parametrize("module", ["start-components.js", "board.js"])
def test_the_boards_script_was_built_from_the_current_modules(module):
    """board.min.js bundles two of our modules: edited since `make assets`, the board would
    run the old code."""
    recorded = re.search(
        rf"static/js/{re.escape(module)} \(sha256 ([0-9a-f]{{16}})\.\.\.\)",
        " ".join((BUNDLE / "README.md").read_text().split()),
    )
    assert recorded, f"static/vendor/design-system/README.md names {module}'s hash"
    current = hashlib.sha256((ROOT / "static" / "js" / module).read_bytes()).hexdigest()
    assert recorded.group(1) == current[:16], f"static/js/{module} changed: run make assets"


def test_the_board_loads_its_own_files_and_other_pages_the_complete_ones(client):
    def linked(path):
        html = client.get(path).get_data(as_text=True)
        return set(re.findall(r'(?:href|src)="/static/([^"]+?)\.[0-9a-f]{10}\.(?:css|js)"', html))

    board = linked("/")
    assert {"vendor/design-system/board.min", "css/app", "js/app"} <= board
    assert "vendor/govuk-frontend/govuk-frontend.min" not in board
    assert "js/govuk-init" not in board
    assert linked("/topics/cyber-security") == board
    other = linked("/auth/login")
    assert {"vendor/govuk-frontend/govuk-frontend.min", "js/govuk-init"} <= other
    assert "vendor/design-system/board.min" not in other


def test_no_gds_transport_font_and_no_crown_is_vendored():
    """This service is not on GOV.UK: Arial, not the GOV.UK typeface, and no crown."""
    files = [path for path in VENDOR.rglob("*") if path.is_file()]
    assert not [path for path in files if path.suffix in (".woff", ".woff2", ".ttf", ".otf")]
    assert not [path for path in files if re.search("crown|crest|govuk-icon", path.name)]
    stylesheets = list(VENDOR.glob("*/*.min.css"))
    assert len(stylesheets) == 3
    for css in stylesheets:
        text = css.read_text()
        assert "GDS Transport" not in text and "@font-face" not in text
        assert "url(/assets/" not in text and 'url("/assets/' not in text
        # Every image a stylesheet draws is shipped beside it, but the footer's Crown copyright
        # logo, which the page template never shows.
        for path in set(re.findall(r'url\("?([^)"]+)"?\)', text)):
            assert (css.parent / path).is_file() or path == "assets/images/govuk-crest.svg"


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
        "Web Content Accessibility Guidelines version 2.2</a> AA",
        "Equality and Human Rights Commission (EHRC)",
        "Equality Commission for Northern Ireland (ECNI)",
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


@pytest.mark.parametrize(
    ("path", "script"),
    [("/auth/login", "js/govuk-init"), ("/", "vendor/design-system/board.min")],
)
def test_the_design_system_starts_from_a_file_not_an_inline_script(client, path, script):
    html = client.get(path).get_data(as_text=True)
    # Every <script> has a src: the CSP forbids inline script.
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html) == []
    assert re.search(
        rf'<script type="module" src="/static/{script}\.[0-9a-f]{{10}}\.js"></script>', html
    )
    starter = (ROOT / "static" / "js" / "start-components.js").read_text()
    assert 'document.body.classList.add("govuk-frontend-supported")' in starter
    assert "htmx:load" in starter
    module = (ROOT / "static" / "js" / "govuk-init.js").read_text()
    assert 'from "../vendor/design-system/design-system.min.js"' in module
    assert 'from "./start-components.js"' in module
    with client.get(f"/static/{script}.js") as served:
        assert served.status_code == 200


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
