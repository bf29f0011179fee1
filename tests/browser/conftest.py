"""Browser journeys: the app served from a thread, Debian's Chromium driven by Playwright."""

from __future__ import annotations

import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A busy machine (CI runs two suites on two cores) can take more than the default 5 s to answer.
expect.set_options(timeout=10_000)

# WCAG 2.2 A and AA, plus axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def live_server(app):
    """Serve ``app`` on a free loopback port for the length of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def _is_broken_subresource(response) -> bool:
    return response.status >= 400 and response.request.resource_type != "document"


@pytest.fixture
def page(page, live_server):
    """A page that fails the test on a script error, a console error (CSP refusals among them)
    or a stylesheet, script or image that did not load. Pages themselves may answer 4xx: a form
    with errors answers 422 on purpose, and Chromium logs that as a console error we ignore."""
    errors: list[str] = []

    def on_console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            _is_broken_subresource(response) and errors.append(f"{response.status} {response.url}")
        ),
    )
    page.set_default_timeout(10_000)
    yield page
    assert errors == [], f"the browser reported errors: {errors}"


_axe = Axe()


@pytest.fixture
def assert_accessible():
    """Run axe on the page as it is now; fail with axe's report on any violation."""

    def check(page) -> None:
        results = _axe.run(page, options=AXE_OPTIONS)
        violations = results.response["violations"]
        report = "\n".join(
            f"{violation['id']}: {violation['help']} at "
            + ", ".join(str(node["target"]) for node in violation["nodes"])
            for violation in violations
        )
        assert violations == [], f"axe found violations on {page.url}:\n{report}"

    return check
