"""``flask --app wsgi follow-ups send``."""

from flask import Flask


def init_app(app: Flask) -> None:
    pass
