"""The mail sender's commands: ``flask --app wsgi mail send [--watch]``, ``mail retry`` and
``mail status``. See board/outbox.py for how messages are queued and sent."""

from __future__ import annotations

import signal
import threading

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError

from board import outbox

mail = AppGroup("mail", help="Send the email waiting in the outbox.")


def init_app(app: Flask) -> None:
    app.cli.add_command(mail)


def _counts_line(delivery: outbox.Delivery) -> str:
    counts = outbox.queue_counts()
    return (
        f"sent {delivery.sent}, failed {delivery.failed} (given up {delivery.given_up}); "
        f"waiting {counts['waiting']} ({counts['due']} due now), "
        f"given up in all {counts['given_up']}"
    )


@mail.command("send")
@click.option("--watch", is_flag=True, help="Keep sending until stopped (SIGTERM or Ctrl-C).")
@click.option(
    "--interval", default=5.0, show_default=True, help="Seconds between passes with --watch."
)
@click.option("--limit", default=100, show_default=True, help="Messages at most a pass.")
def send(watch: bool, interval: float, limit: int) -> None:
    """Send the messages that are due, once (or, with --watch, over and over)."""
    if not watch:
        delivery = outbox.deliver_due(limit=limit)
        click.echo(_counts_line(delivery))
        return

    stop = threading.Event()

    def finish(signum, frame) -> None:
        # The message being sent is finished and recorded; then the loop ends.
        stop.set()

    previous = {sig: signal.signal(sig, finish) for sig in (signal.SIGTERM, signal.SIGINT)}
    click.echo(f"Sending mail every {interval:g} s; stop with SIGTERM or Ctrl-C.")
    try:
        while not stop.is_set():
            try:
                delivery = outbox.deliver_due(limit=limit, should_stop=stop.is_set)
            except OperationalError as error:
                # The database restarted or is unreachable: wait and try again.
                click.echo(f"Database unavailable, retrying: {error.orig}", err=True)
            else:
                if delivery.sent or delivery.failed:
                    click.echo(_counts_line(delivery))
                if delivery.sent == limit:
                    continue  # more may be due right away
            stop.wait(interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo("Mail sender stopped.")


@mail.command("retry")
@click.argument("ids", nargs=-1, type=int)
def retry(ids: tuple[int, ...]) -> None:
    """Queue given-up messages again (all of them, or only the IDS given)."""
    count = outbox.retry_given_up(ids or None)
    click.echo(f"{count} message{'s' if count != 1 else ''} queued again.")


@mail.command("status")
def status() -> None:
    """How many messages wait, were sent, and were given up on."""
    counts = outbox.queue_counts()
    click.echo(
        f"waiting {counts['waiting']} ({counts['due']} due now), sent {counts['sent']}, "
        f"given up {counts['given_up']}"
    )
