"""Absolute links, for email: always built from the configured PUBLIC_URL.

Never from the request's Host header, which anyone can set: a reset link mailed to
``http://evil.example/...`` would hand the token to whoever owns that host.
"""

from __future__ import annotations

from flask import current_app, url_for


def public_url(path: str) -> str:
    """``path`` (starting with "/") on the service's public address."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def public_url_for(endpoint: str, **values) -> str:
    """Like ``url_for(..., _external=True)``, but on PUBLIC_URL whatever the request said."""
    return public_url(url_for(endpoint, **values))
