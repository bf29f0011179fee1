"""Password hashing (Argon2id, memory-hard) and the strength rule for new passwords."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

_hasher = PasswordHasher()


def use_hasher(hasher: PasswordHasher) -> None:
    """Hash and verify with ``hasher`` from now on. The test suite uses argon2's cheapest
    profile, since it signs people in thousands of times; the service keeps the default."""
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash(_TIMING_DECOY)


MIN_PASSWORD_LENGTH = 12

# The most common passwords long enough to pass the length rule; NCSC advice is to block
# known-bad passwords rather than demand symbols.
COMMON_PASSWORDS = frozenset(
    {
        "password1234", "123456789012", "qwertyuiopas", "passwordpassword",
        "iloveyou1234", "letmein12345", "welcome12345", "administrator",
        "password123!", "qwerty123456", "1q2w3e4r5t6y", "abc123456789",
        "councilcouncil", "changeme1234", "password12345", "welcomewelcome",
    }
)  # fmt: skip

# Verifying against this keeps sign-in time the same whether or not the email exists.
_TIMING_DECOY = "not a real password, used to equalise timing"
_DUMMY_HASH = _hasher.hash(_TIMING_DECOY)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_weakness(password: str, email: str = "", name: str = "") -> str | None:
    """Why ``password`` is too weak, in words for the person choosing it; None if it is fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Password must be at least %(length)d characters long", length=MIN_PASSWORD_LENGTH)
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4:
        return _("Password is too easy to guess: try three random words together")
    local_part = email.split("@", 1)[0].lower()
    if (local_part and len(local_part) >= 4 and local_part in lowered) or (
        name and name.strip().lower() == lowered
    ):
        return _("Password must not contain your email address or name")
    return None
