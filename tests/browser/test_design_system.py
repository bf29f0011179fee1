"""The Design System's JavaScript starts on load and inside what htmx swaps in, every component
on a page from the built bundle; the page is Arial, asks for no font file, and shows no crown."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_design_system_starts_on_load_and_after_an_htmx_swap(page, live_server, assert_accessible):
    font_requests: list[str] = []
    page.on(
        "request",
        lambda request: request.resource_type == "font" and font_requests.append(request.url),
    )
    page.goto(live_server + "/accessibility")
    body = page.locator("body")
    expect(body).to_have_class("govuk-template__body js-enabled govuk-frontend-supported")
    # Components carry data-<module>-init once their JavaScript has started.
    expect(page.locator(".govuk-skip-link")).to_have_attribute("data-govuk-skip-link-init", "")
    expect(page.locator("[data-module=govuk-service-navigation]")).to_have_attribute(
        "data-govuk-service-navigation-init", ""
    )
    assert page.locator(".govuk-header, .govuk-logo").count() == 0
    assert_accessible(page)

    # Text is Arial (this service is not on GOV.UK), and no font file is asked for.
    for selector in ("body", ".govuk-service-navigation__link", "h1", ".govuk-footer__link"):
        family = page.locator(selector).first.evaluate("e => getComputedStyle(e).fontFamily")
        assert family.lower().startswith("arial"), (selector, family)
    assert font_requests == []

    # htmx swaps in a part of another page holding a component: it starts too.
    page.evaluate(
        """() => {
            const slot = document.createElement("div");
            slot.id = "swap-slot";
            document.getElementById("main-content").append(slot);
            return htmx.ajax("GET", "/contact", {
                target: "#swap-slot", select: ".govuk-skip-link", swap: "innerHTML"
            });
        }"""
    )
    swapped = page.locator("#swap-slot .govuk-skip-link")
    expect(swapped).to_have_attribute("data-govuk-skip-link-init", "")
    # The page's own components were not started twice (that would log an error).
    expect(page.locator("[data-govuk-skip-link-init]")).to_have_count(2)


def test_service_navigation_menu_works_on_a_phone(page, live_server, assert_accessible):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server + "/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Sign in")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert_accessible(page)
    # Nothing scrolls sideways at this width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_footer_pages_are_reached_from_the_footer(page, live_server, assert_accessible):
    page.goto(live_server + "/")
    for name, heading in (
        ("Accessibility statement", "Accessibility statement for Case Board"),
        ("Privacy", "Privacy notice"),
        ("Cookies", "Cookies"),
        ("Contact and feedback", "Contact and feedback"),
    ):
        page.get_by_role("contentinfo").get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)


# Each [data-module] element that has not been started: its data-<module>-init is missing.
NOT_STARTED = """() => [...document.querySelectorAll("[data-module]")]
  .filter((element) => !element.hasAttribute(`data-${element.dataset.module}-init`))
  .map((element) => element.dataset.module)"""


def test_every_component_on_a_page_starts_from_the_built_bundle(page, live_server):
    """The bundle holds only the components the pages use: each one a page has is started,
    and no page asks for the Design System's complete scripts."""
    scripts: list[str] = []
    page.on(
        "request",
        lambda request: request.resource_type == "script" and scripts.append(request.url),
    )
    seen: set[str] = set()
    for path in ("/", "/auth/login", "/auth/register"):
        page.goto(live_server + path)
        expect(page.locator("body")).to_have_class(re.compile("govuk-frontend-supported"))
        page.wait_for_function("document.querySelector('[data-govuk-skip-link-init]')")
        assert page.evaluate(NOT_STARTED) == [], path
        seen.update(
            page.eval_on_selector_all("[data-module]", "es => es.map(e => e.dataset.module)")
        )
    # Sending the empty form shows the error summary, which takes the focus.
    page.get_by_role("button", name="Create account").click()
    summary = page.locator("[data-module=govuk-error-summary]")
    expect(summary).to_be_focused()
    assert page.evaluate(NOT_STARTED) == []
    assert {"govuk-skip-link", "govuk-service-navigation", "govuk-password-input"} <= seen
    # Served under its content-hashed name (board/static_files.py rewrites the import).
    bundle = re.compile(r"/static/vendor/design-system/design-system\.min\.[0-9a-f]{10}\.js$")
    assert any(bundle.search(url) for url in scripts)
    assert not [url for url in scripts if "govuk-frontend.min.js" in url]
