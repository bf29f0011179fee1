"""Settings, read from the environment. See README.md for what each one does."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs written the short way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment(instance_path: str) -> dict:
    """Build the settings for an app whose instance folder is ``instance_path``."""
    app_env = os.environ.get("APP_ENV", "production")
    development = app_env == "development"
    database_url = os.environ.get("DATABASE_URL") or "sqlite:///" + str(
        Path(instance_path) / "caseboard.db"
    )
    return {
        "APP_ENV": app_env,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        # Reconnect transparently after the database restarts.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour"),
        "REGISTER_RATE_LIMIT": os.environ.get("REGISTER_RATE_LIMIT", "5 per hour"),
        # Failed passwords per account (board/auth/lockout.py) and password reset requests.
        "LOCKOUT_PER_CLIENT": os.environ.get("LOCKOUT_PER_CLIENT", "5 per 15 minutes"),
        "LOCKOUT_PER_ACCOUNT": os.environ.get("LOCKOUT_PER_ACCOUNT", "50 per hour"),
        "RESET_RATE_LIMIT": os.environ.get("RESET_RATE_LIMIT", "5 per hour"),
        "PASSWORD_RESET_MAX_AGE": int(os.environ.get("PASSWORD_RESET_MAX_AGE", "3600")),
        "POSTING_RATE_LIMIT": os.environ.get("POSTING_RATE_LIMIT", "30 per hour"),
        "COMMENT_RATE_LIMIT": os.environ.get("COMMENT_RATE_LIMIT", "10 per minute;100 per day"),
        "REPORT_RATE_LIMIT": os.environ.get("REPORT_RATE_LIMIT", "20 per hour"),
        # Cookies: never readable by scripts; sent over HTTPS only outside development.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env_flag("SESSION_COOKIE_SECURE", not development),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env_flag("SESSION_COOKIE_SECURE", not development),
        # The CSRF token lives as long as the session, so a long write-up never expires under
        # the author's hands.
        "WTF_CSRF_TIME_LIMIT": None,
        "EMAIL_CONFIRMATION_MAX_AGE": 3 * 24 * 3600,
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": env_flag("MAIL_USE_TLS", True),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Case Board <no-reply@caseboard.example>"),
        # Without a mail server, messages are written to this folder instead of being sent.
        "MAIL_OUTBOX_DIR": os.environ.get("MAIL_OUTBOX_DIR", str(Path(instance_path) / "outbox")),
        "PER_PAGE": 20,
        # The board's results cache (board/browse/cache.py): SimpleCache keeps entries in each
        # process, RedisCache (with CACHE_REDIS_URL) shares them, NullCache turns caching off.
        "CACHE_TYPE": os.environ.get("CACHE_TYPE", "SimpleCache"),
        "CACHE_REDIS_URL": os.environ.get("CACHE_REDIS_URL", ""),
        "CACHE_DEFAULT_TIMEOUT": int(os.environ.get("CACHE_DEFAULT_TIMEOUT", "600")),
    }


def development_secret_key(instance_path: str) -> str:
    """A random key kept in the instance folder, so development sessions survive restarts."""
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
