"""The stored HTML's command: ``flask --app wsgi markdown rerender [--all]``. See
board/rendering.py for when text is rendered and why a row can be out of date."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from board.extensions import db
from board.rendering import rerender_stale
from board.sanitize import SANITIZER_VERSION

markdown = AppGroup("markdown", help="Keep the HTML stored beside what members wrote up to date.")


def init_app(app: Flask) -> None:
    app.cli.add_command(markdown)


@markdown.command("rerender")
@click.option(
    "--all", "everything", is_flag=True, help="Render every row, not only those out of date."
)
@click.option("--batch-size", default=500, show_default=True, help="Rows at a time.")
def rerender(everything: bool, batch_size: int) -> None:
    """Render again the text whose stored HTML is missing or was made by another version of
    the sanitiser (after an upgrade of bleach or markdown-it-py, or a change to the
    allow-list). Pages are safe without it; they are slower until it has run."""
    if batch_size < 1:
        raise click.BadParameter("must be at least 1", param_hint="--batch-size")
    counts = rerender_stale(db.session, batch_size, everything=everything)
    for table, done in counts.items():
        click.echo(f"{table}: {done} rendered")
    click.echo(f"Stored HTML is now at sanitiser version {SANITIZER_VERSION}.")
