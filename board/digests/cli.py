"""``flask --app wsgi digests send [--now ISO8601] [--batch-size N]``: run from cron or a
timer, as often as you like (hourly is usual); each member gets at most one digest a period."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask
from flask.cli import AppGroup

from board.digests import services

digests = AppGroup("digests", help="Email members the digests of what they follow.")


def init_app(app: Flask) -> None:
    app.cli.add_command(digests)


def _moment(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"not an ISO 8601 date and time: {value!r}") from error
    # A time without a zone is read as UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@digests.command("send")
@click.option(
    "--now", "now", default=None, help="Send as at this moment (ISO 8601; UTC if no zone)."
)
@click.option(
    "--batch-size",
    default=services.DEFAULT_BATCH_SIZE,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Members a transaction.",
)
def send(now: str | None, batch_size: int) -> None:
    """Send the digests that are due: one a member a period, however often this runs."""
    report = services.send_digests(_moment(now), batch_size=batch_size)
    click.echo(report.summary())
