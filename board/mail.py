"""Sending email: SMTP in production; a file outbox in development; a list in tests."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from board.models.base import utcnow

log = logging.getLogger(__name__)


def send_email(to: str, subject: str, body: str) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)

    if config.get("MAIL_BACKEND") == "memory":
        current_app.extensions.setdefault("outbox", []).append(message)
    elif config["MAIL_SERVER"]:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    else:
        outbox = Path(config["MAIL_OUTBOX_DIR"])
        outbox.mkdir(parents=True, exist_ok=True)
        path = outbox / f"{utcnow():%Y%m%dT%H%M%S%f}-{to.replace('@', '_at_')}.eml"
        path.write_bytes(bytes(message))
        log.info("Email to %s written to %s", to, path)
    return message
