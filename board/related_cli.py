"""The related studies' command: ``flask --app wsgi related choose [--all]``. See
board/related_choices.py for when they are chosen and why a list can be out of date."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from board import related_choices
from board.extensions import db

related = AppGroup("related", help="Choose the studies shown as related under each study.")


def init_app(app: Flask) -> None:
    app.cli.add_command(related)


@related.command("choose")
@click.option("--all", "everything", is_flag=True, help="Choose again for every published study.")
@click.option("--batch-size", default=200, show_default=True, help="Studies a transaction.")
def choose(everything: bool, batch_size: int) -> None:
    """Choose the related studies of published studies that have none chosen (those published
    before related studies were chosen, or written straight into the database); with --all, of
    every published study, which also brings in studies published since a list was chosen.
    Pages are right without it; they are slower until it has run."""
    if batch_size < 1:
        raise click.BadParameter("must be at least 1", param_hint="--batch-size")
    study_ids = related_choices.unchosen_published_ids(everything)
    for start in range(0, len(study_ids), batch_size):
        related_choices.choose(study_ids[start : start + batch_size])
        db.session.commit()
        done = min(start + batch_size, len(study_ids))
        if done % (batch_size * 25) == 0 or done == len(study_ids):
            click.echo(f"{done:,} of {len(study_ids):,} studies")
    click.echo(f"Related studies chosen for {len(study_ids):,} studies.")
