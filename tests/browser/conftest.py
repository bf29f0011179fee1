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


class BufferedResponses:
    """WSGI middleware: read each response whole and close it before the server sends a byte.

    Werkzeug's development server closes a response's iterator in a ``finally`` that first
    drains the socket; when the browser has dropped the connection mid-response (it does, for
    the favicon, as a page changes), that drain raises and ``close()`` is never called. A static
    file's response then leaves its file open, and ``filterwarnings = error`` turns the
    ResourceWarning raised when it is collected into a failure of whichever test is running.
    Here the file is read and closed before the server sees the response, so nothing is left
    open whatever the browser does. Our responses are small and none streams."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        iterable = self.app(environ, start_response)
        try:
            body = b"".join(iterable)
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()
        return [body]


@pytest.fixture
def live_server(app):
    """Serve ``app`` on a free loopback port for the length of one test."""
    server = make_server("127.0.0.1", 0, BufferedResponses(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def _is_broken_subresource(response, expected_statuses: set[int]) -> bool:
    if response.status < 400 or response.request.resource_type == "document":
        return False
    asked_by_script = response.request.resource_type in ("xhr", "fetch")
    return not (asked_by_script and response.status in expected_statuses)


@pytest.fixture
def expected_error_statuses() -> set[int]:
    """Statuses a test means its htmx requests to get (0 for a failed connection), such as a
    journey through the error messages: those answers, and htmx's console report of them,
    are not counted as errors. Empty unless the test adds to it."""
    return set()


def _is_expected_htmx_report(text: str, expected_statuses: set[int]) -> bool:
    """htmx reports each failed request on the console (``console.error``); a connection that
    failed is reported twice, as the end of the request and as the failure to send."""
    lost = ("htmx:afterRequest, ", "htmx:sendError, ", "htmx:timeout, ")
    if 0 in expected_statuses and text.startswith(lost):
        return True
    return any(
        text.startswith(f"Response Status Error Code {status} from ")
        for status in expected_statuses
    )


def watch_for_errors(page, expected_statuses: set[int]) -> list[str]:
    """Collect, in the list returned, every error ``page`` reports from now on: a script error,
    a console error (CSP refusals among them) or a stylesheet, script, image or htmx request
    that did not load. Pages themselves may answer 4xx: a form with errors answers 422 on
    purpose, and Chromium logs that as a console error we ignore. Failed htmx requests count
    unless their status is in ``expected_statuses``."""
    errors: list[str] = []

    def on_console(message):
        text = message.text
        if message.type != "error" or text.startswith("Failed to load resource"):
            return
        if not _is_expected_htmx_report(text, expected_statuses):
            errors.append(text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            _is_broken_subresource(response, expected_statuses)
            and errors.append(f"{response.status} {response.url}")
        ),
    )
    return errors


@pytest.fixture
def page(page, live_server, expected_error_statuses):
    """A page that fails the test on any error it reports (see watch_for_errors)."""
    errors = watch_for_errors(page, expected_error_statuses)
    page.set_default_timeout(10_000)
    yield page
    assert errors == [], f"the browser reported errors: {errors}"


_axe = Axe()


def _is_govuk_conditional_reveal(violation) -> bool:
    """govuk-frontend's Radios script sets aria-expanded on a radio that reveals a conditional
    field (the Design System's own pattern), which axe reports as aria-allowed-attr. Only that
    is let through: the same rule anywhere else still fails."""
    if violation["id"] != "aria-allowed-attr":
        return False
    return all(
        "govuk-radios__input" in node["html"]
        and "aria-controls=" in node["html"]
        and "aria-expanded" in node["html"]
        for node in violation["nodes"]
    )


@pytest.fixture
def assert_accessible():
    """Run axe on the page as it is now; fail with axe's report on any violation."""

    def check(page) -> None:
        results = _axe.run(page, options=AXE_OPTIONS)
        violations = [
            violation
            for violation in results.response["violations"]
            if not _is_govuk_conditional_reveal(violation)
        ]
        report = "\n".join(
            f"{violation['id']}: {violation['help']} at "
            + ", ".join(str(node["target"]) for node in violation["nodes"])
            for violation in violations
        )
        assert violations == [], f"axe found violations on {page.url}:\n{report}"

    return check
