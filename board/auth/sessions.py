"""Signed-in sessions kept on the server, one row per browser, so that a session can be ended.

Flask's session is a cookie signed with the secret key: "signing out" by itself only asks the
browser to forget it, and a copy of the cookie (from a shared computer, a proxy's log, a
browser extension) goes on working. So signing in also puts a random token in the cookie, and
a request counts as signed in only while ``user_sessions`` holds that token's SHA-256. Signing
out deletes the row, and the copied cookie stops working at once. Only the hash is stored, so
someone who reads the table (a backup, say) cannot use it to sign in.

Why a table rather than a per-user generation counter (a number on the user, copied into the
cookie at sign-in and bumped to end sessions): a counter can only end every session of a person
at once. Signing out must end only the session that signs out (the same person's other devices
stay signed in), and "Sign out of every other device" must end the others but keep this one:
both need to name one session. The rows also let the account page list the devices that are
signed in. The cost is nothing per request (the user loader makes one query, joined to the row,
as it made one before) and a write at most every LAST_SEEN_EVERY per session.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, g, request, session
from flask_login import login_user, logout_user

from board.extensions import db
from board.forms import without_control_characters
from board.models import User, UserSession
from board.models.base import utcnow

# Where the token lives in Flask's session.
SESSION_KEY = "sid"
# Nobody needs "last seen" to the minute: writing it on every request would make every page
# view a write.
LAST_SEEN_EVERY = timedelta(minutes=5)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _this_browser_hash() -> str | None:
    token = session.get(SESSION_KEY)
    return hash_token(token) if isinstance(token, str) and token else None


def sign_in(user: User) -> UserSession:
    """Sign ``user`` in in this browser, with a new session.

    What the session held before is dropped first (its CSRF token too), so a session someone
    else planted in this browser (session fixation) is not the one that becomes signed in.
    """
    session.clear()
    token = secrets.token_urlsafe(32)
    row = UserSession(
        token_hash=hash_token(token),
        user_id=user.id,
        # Shown back on the account page; PostgreSQL refuses NUL in text.
        user_agent=without_control_characters(request.user_agent.string)[:200],
    )
    db.session.add(row)
    db.session.flush()
    session[SESSION_KEY] = token
    login_user(user)
    return row


def user_for_request(user_id: str) -> User | None:
    """The Flask-Login user loader: the user only if this browser's token names a session of
    theirs and the account is active. One query, the user joined to the session row."""
    token_hash = _this_browser_hash()
    if token_hash is None or not str(user_id).isdigit():
        _drop_sign_in()
        return None
    found = db.session.execute(
        db.select(User, UserSession)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.token_hash == token_hash,
            User.id == int(user_id),
            User.active.is_(True),
            # A session left unused this long has ended: a forgotten shared computer does not
            # stay signed in for ever.
            UserSession.last_seen_at > utcnow() - current_app.config["SESSION_IDLE_TIMEOUT"],
        )
    ).first()
    if found is None:
        # Signed out elsewhere, password reset, account suspended: this cookie is done with.
        _drop_sign_in()
        return None
    g.user_session = found.UserSession
    return found.User


def note_activity() -> None:
    """Record that this session was used, at most every LAST_SEEN_EVERY.

    Called before the view runs, so the commit carries nothing but this update.
    """
    row = g.get("user_session")
    if row is None:
        return
    now = utcnow()
    if now - row.last_seen_at < LAST_SEEN_EVERY:
        return
    # An UPDATE by key, not a change to the loaded row: if the session was ended a moment ago
    # elsewhere, this changes nothing instead of failing.
    db.session.execute(
        db.update(UserSession)
        .where(UserSession.token_hash == row.token_hash)
        .values(last_seen_at=now)
    )
    db.session.commit()


def _drop_sign_in() -> None:
    # What logout_user removes; it cannot be called from the user loader (it loads the user).
    for key in ("_user_id", "_fresh", "_id", SESSION_KEY):
        session.pop(key, None)


def forget() -> None:
    """This browser is signed out; the server is not asked about it."""
    logout_user()
    session.pop(SESSION_KEY, None)


def sign_out() -> None:
    """End this browser's session: its row goes, so a copy of the cookie stops working too."""
    token_hash = _this_browser_hash()
    if token_hash is not None:
        db.session.execute(db.delete(UserSession).where(UserSession.token_hash == token_hash))
    forget()


def end_every_session(user: User) -> int:
    """After a password reset: nobody stays signed in as ``user``, anywhere."""
    result = db.session.execute(db.delete(UserSession).where(UserSession.user_id == user.id))
    return result.rowcount


def end_other_sessions(user: User) -> int:
    """End every session of ``user`` but this browser's; return how many ended.

    This browser's session carries on under a new token: a copy of this very cookie (the
    reason someone might press the button) shares the old token, so it ends too.
    """
    this_browser = _this_browser_hash() or ""
    result = db.session.execute(
        db.delete(UserSession).where(
            UserSession.user_id == user.id, UserSession.token_hash != this_browser
        )
    )
    token = secrets.token_urlsafe(32)
    db.session.execute(
        db.update(UserSession)
        .where(UserSession.token_hash == this_browser, UserSession.user_id == user.id)
        .values(token_hash=hash_token(token)),
        execution_options={"synchronize_session": False},
    )
    session[SESSION_KEY] = token
    return result.rowcount


def devices(user: User) -> list[UserSession]:
    """The sessions of ``user``, most recently used first."""
    return list(
        db.session.scalars(
            db.select(UserSession)
            .where(UserSession.user_id == user.id)
            .order_by(UserSession.last_seen_at.desc(), UserSession.created_at.desc())
        )
    )


def is_this_browser(row: UserSession) -> bool:
    return row.token_hash == _this_browser_hash()
