"""The councils' commands: ``flask --app wsgi councils import FILE [--dry-run]``. The import
itself is board/councils_import.py."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from board import councils_import
from board.extensions import db

councils = AppGroup("councils", help="Manage the board's councils.")


def init_app(app: Flask) -> None:
    app.cli.add_command(councils)


@councils.command(
    "import",
    epilog=(
        "\b\nColumns (the first line names them, in any order, in any case):\n"
        "  name     the council's name (required)\n"
        "  slug     its page's address, lowercase letters, digits and hyphens\n"
        "           (optional: made from the name when blank)\n"
        "  nation   England, Wales, Scotland or Northern Ireland\n"
        "  type     county, district, unitary, metropolitan-borough, london-borough,\n"
        "           welsh-principal-area, scottish-council-area or ni-district\n"
        "           (or the words the board shows, such as 'London borough')\n"
        "  region   optional\n"
        "  website  the full address, starting https://\n"
        "  domains  email domains that join it, separated by spaces or semicolons\n"
        "           (may be blank)\n"
        "\b\nA council whose slug is on the board already is updated from its row (its domains\n"
        "become the row's); others are added; councils the file leaves out are left alone.\n"
        "The file is UTF-8 (Excel's 'CSV UTF-8' is fine). If any row is wrong, nothing is\n"
        "changed and each problem is listed with its line number."
    ),
)
@click.argument("file", type=click.File("rb"))
@click.option(
    "--dry-run", is_flag=True, help="Check the file and say what would change; change nothing."
)
def import_command(file, dry_run: bool) -> None:
    """Add and update councils from a CSV FILE, all of it or nothing."""
    try:
        text = councils_import.decode(file.read())
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"The file is not UTF-8 text (byte {error.start + 1}): save it as 'CSV UTF-8'."
        ) from error
    try:
        result = councils_import.import_councils(text, dry_run=dry_run)
        for problem in result.problems:
            click.echo(str(problem), err=True)
        if not result.ok or dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if not result.ok:
        raise click.ClickException(result.summary())
    added, updated = ("Would add", "Would update") if dry_run else ("Added", "Updated")
    for row in result.added:
        click.echo(f"{added}: {row.details.name} ({row.details.slug})")
    for row in result.updated:
        changes = ", ".join(row.changes)
        click.echo(f"{updated}: {row.details.name} ({row.details.slug}): {changes}")
    click.echo(("Dry run, nothing changed. " if dry_run else "") + result.summary())
