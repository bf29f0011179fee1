"""Account changes: registration, email confirmation, sign-in checks and password resets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from board import audit
from board.audit import LogAction
from board.auth import lockout
from board.auth.passwords import hash_password, needs_rehash, verify_password
from board.extensions import db
from board.i18n import ENGLISH, in_language_of
from board.mail import send_email
from board.models import Council, CouncilDomain, CouncilRole, User
from board.models.base import utcnow
from board.urls import public_url_for

CONFIRMATION_SALT = "confirm-email"


def link_not_valid() -> str:
    return _("This link is not valid. Check you copied all of it.")


@dataclass(frozen=True)
class NewAccount:
    name: str
    email: str
    password: str
    council_role: str
    job_title: str
    language: str = ENGLISH


def normalise_email(email: str) -> str:
    return email.strip().lower()


def council_for_email(email: str) -> Council | None:
    """The live council whose domain the address is on: a retired council takes no one new."""
    domain = email.rsplit("@", 1)[-1].lower()
    return db.session.scalar(
        db.select(Council)
        .join(CouncilDomain)
        .where(CouncilDomain.domain == domain, Council.retired_at.is_(None))
    )


def register(account: NewAccount) -> User | None:
    """Create an account and email a confirmation link.

    When the address is already registered nothing is created and its owner is told by email
    instead, so the page the visitor sees never reveals who has an account.
    """
    email = normalise_email(account.email)
    existing = db.session.scalar(db.select(User).where(User.email == email))
    if existing is not None:
        with in_language_of(existing):
            send_email(
                email,
                _("Someone tried to register with your address on Case Board"),
                render_template("auth/email/already_registered.txt", user=existing),
            )
        return None
    user = User(
        email=email,
        name=account.name,
        password_hash=hash_password(account.password),
        council_role=CouncilRole(account.council_role),
        job_title=account.job_title,
        language=account.language,
    )
    db.session.add(user)
    db.session.flush()
    send_confirmation(user)
    return user


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRMATION_SALT)


def confirmation_token(user: User) -> str:
    # The email is signed too, so a link stops working if the address changes.
    return _serializer().dumps({"user": user.id, "email": user.email})


def send_confirmation(user: User) -> None:
    link = public_url_for("auth.confirm", token=confirmation_token(user))
    with in_language_of(user):
        send_email(
            user.email,
            _("Confirm your email address for Case Board"),
            render_template("auth/email/confirm.txt", user=user, link=link),
        )


class ConfirmationError(Exception):
    pass


def confirm_email(token: str) -> User:
    """Mark the address confirmed; an address on a council's domain joins that council."""
    max_age = current_app.config["EMAIL_CONFIRMATION_MAX_AGE"]
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise ConfirmationError(_("This link has expired. Sign in to get a new one.")) from error
    except BadSignature as error:
        raise ConfirmationError(link_not_valid()) from error
    user = db.session.get(User, payload.get("user"))
    if user is None or user.email != payload.get("email"):
        raise ConfirmationError(link_not_valid())
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        join_council_of_address(user)
        db.session.flush()
    return user


def join_council_of_address(user: User) -> None:
    """A confirmed address on a live council's domain joins that council, verified, if the
    person is not yet verified; a verified member keeps their council (admins move people)."""
    council = council_for_email(user.email)
    if council is not None and user.verified_at is None:
        user.council = council
        user.verified_at = utcnow()
        audit.record(
            None,
            LogAction.MEMBER_VERIFIED,
            user.id,
            f"Confirmed an address on {council.name}'s email domain",
        )


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(db.select(User).where(User.email == normalise_email(email)))
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


RESET_SALT = "password-reset"


class ResetError(Exception):
    pass


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # Changes with the password, so a used link (or one sent before a change) stops working.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def reset_token(user: User) -> str:
    return _reset_serializer().dumps({"user": user.id, "password": _password_fingerprint(user)})


def send_password_reset(email: str) -> None:
    """Email a reset link if ``email`` has an account; do nothing visible otherwise."""
    user = db.session.scalar(db.select(User).where(User.email == normalise_email(email)))
    if user is None or not user.is_active:
        return
    link = public_url_for("auth.reset_password", token=reset_token(user))
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with in_language_of(user):
        send_email(
            user.email,
            _("Reset your Case Board password"),
            render_template("auth/email/reset.txt", user=user, link=link, minutes=minutes),
        )


def user_for_reset(token: str) -> User:
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        payload = _reset_serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise ResetError(_("This link has expired.")) from error
    except BadSignature as error:
        raise ResetError(link_not_valid()) from error
    user = db.session.get(User, payload.get("user"))
    if user is None or not user.is_active:
        raise ResetError(link_not_valid())
    if payload.get("password") != _password_fingerprint(user):
        raise ResetError(_("This link has already been used."))
    return user


def reset_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    lockout.clear(user.email)  # the same normalised address sign-in counts under
