"""``flask --app wsgi follow-ups send``: run from cron or a timer, as often as you like."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask
from flask.cli import AppGroup

from board.follow_ups import services
from board.models.base import utcnow

follow_ups = AppGroup("follow-ups", help='Ask councils "What happened next?" about their studies.')


def init_app(app: Flask) -> None:
    app.cli.add_command(follow_ups)


def _moment(value: str | None) -> datetime:
    """An ISO 8601 moment (a date alone is its midnight); without a zone it is UTC."""
    if value is None:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            "give a date and time in ISO 8601, like 2027-02-28T09:00:00Z", param_hint="--now"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@follow_ups.command("send")
@click.option("--now", "now", metavar="ISO8601", help="Act as if it were this moment (UTC).")
@click.option("--batch-size", default=services.BATCH_SIZE, show_default=True, hidden=True)
def send(now: str | None, batch_size: int) -> None:
    """Make the follow-up prompts that are due and send each one once."""
    moment = _moment(now)
    sending = services.send_due_prompts(moment, batch_size=batch_size)
    click.echo(
        f"Follow-up prompts at {moment:%Y-%m-%d %H:%M} UTC: "
        f"{sending.created} created, {sending.sent} sent, "
        f"{sending.skipped} not sent (an update was approved in the six months before), "
        f"{_plural(sending.members_told, 'member')} told."
    )
