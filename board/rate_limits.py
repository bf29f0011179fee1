"""What the posting limits count and how many: shared by every view that writes."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user


def per_person() -> str:
    """The limiter's key: per account, so colleagues behind one council proxy do not share a
    limit; a visitor (whose session ended, say) by network address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{request.remote_addr}"


def posting_limit() -> str:
    """Saves of case studies, updates and follows, per account (``POSTING_RATE_LIMIT``)."""
    return current_app.config["POSTING_RATE_LIMIT"]
