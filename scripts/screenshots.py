"""Full-page screenshots of every page of the app, as everyone who may see it, at two widths.

    make screenshots                       # every page, as every role, at 1280 and 375 px
    python -m scripts.screenshots --role moderator --page review-page --out /tmp/shots

The pages are the inventory the page checks use (tests/browser/pages.py), on a site built in
a temporary SQLite database and served from a thread; nothing touches the app's own database.
Files are named ROLE--PAGE--WIDTH.png.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright

from board import create_app
from board.extensions import db
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.pages import (
    PAGES,
    ROLES,
    build_site,
    pages_for,
    path_of,
    serve,
    sign_in,
    site_config,
)

WIDTHS = (1280, 375)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="folder for PNGs")
    parser.add_argument("--role", action="append", choices=ROLES, help="only these roles")
    parser.add_argument(
        "--page",
        action="append",
        choices=[page.name for page in PAGES],
        help="only these pages",
    )
    parser.add_argument("--width", action="append", type=int, help="only these widths")
    return parser.parse_args(argv)


def take(base_url: str, values: dict[str, str], arguments: argparse.Namespace) -> list[Path]:
    widths = sorted(arguments.width or WIDTHS, reverse=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for role in arguments.role or ROLES:
            context = browser.new_context(viewport={"width": widths[0], "height": 900})
            sign_in(context, base_url, role)
            page = context.new_page()
            for entry in pages_for(role):
                if arguments.page and entry.name not in arguments.page:
                    continue
                # Loaded once at the widest width, then narrowed: the page reflows as a
                # browser window would, and a state reached by a button is kept.
                page.set_viewport_size({"width": widths[0], "height": 900})
                response = page.goto(base_url + path_of(entry, values))
                if response.status != entry.status:
                    print(f"  {role} {entry.name}: answered {response.status}", file=sys.stderr)
                if entry.then:
                    entry.then(page)
                for width in widths:
                    page.set_viewport_size({"width": width, "height": 900})
                    path = arguments.out / f"{role}--{entry.name}--{width}.png"
                    page.screenshot(path=path, full_page=True, animations="disabled")
                    written.append(path)
            context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    # One line at the end says what was written; the server's log of each request would bury it.
    # (The migrations configure logging themselves, so it is turned down for them too.)
    logging.disable(logging.INFO)
    arguments.out.mkdir(parents=True, exist_ok=True)
    if not (arguments.role or arguments.page or arguments.width):
        # A whole set: what an earlier run left of pages since renamed or removed goes.
        for old in arguments.out.glob("*--*--*.png"):
            old.unlink()
    folder = Path(tempfile.mkdtemp(prefix="caseboard-screenshots-"))
    try:
        app = create_app(site_config(f"sqlite:///{folder / 'site.db'}"))
        with app.app_context():
            upgrade()
        values = build_site(app)
        with serve(app) as base_url:
            written = take(base_url, values, arguments)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    seconds = time.monotonic() - started
    print(f"{len(written)} screenshots in {arguments.out.resolve()}/ ({seconds:.0f} s)")


if __name__ == "__main__":
    main()
