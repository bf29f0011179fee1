"""Settings, read from the environment. See README.md for what each one does."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit


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
        # The address people reach the service at (scheme and host, no path), e.g.
        # https://caseboard.example.org. Every link in an email is built on it, never on the
        # request's Host header; required in production (see check_public_address).
        "PUBLIC_URL": os.environ.get("PUBLIC_URL") or None,
        # Host names the service answers to; any other Host header gets 400. Comma-separated;
        # unset, the host of PUBLIC_URL (and, in development, localhost and 127.0.0.1).
        "TRUSTED_HOSTS": _split(os.environ.get("TRUSTED_HOSTS")),
        # How many reverse proxies stand in front of the app and append X-Forwarded-For and
        # X-Forwarded-Proto (werkzeug's ProxyFix). 0 ignores those headers, which anyone can
        # forge; set 1 behind one HTTPS proxy, or rate limits see every visitor as the proxy.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        # Reconnect transparently after the database restarts.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour"),
        # Per client address (board/auth/lockout.py): accounts registered, and forms that failed
        # to validate, counted apart so that typing mistakes never use up an office's budget.
        "REGISTER_RATE_LIMIT": os.environ.get("REGISTER_RATE_LIMIT", "20 per hour;100 per day"),
        "REGISTER_ATTEMPT_LIMIT": os.environ.get("REGISTER_ATTEMPT_LIMIT", "60 per hour"),
        # Confirmation emails sent again, per account.
        "REGISTER_RESEND_LIMIT": os.environ.get("REGISTER_RESEND_LIMIT", "5 per hour"),
        # Failed passwords per account (board/auth/lockout.py) and password reset requests.
        "LOCKOUT_PER_CLIENT": os.environ.get("LOCKOUT_PER_CLIENT", "5 per 15 minutes"),
        "LOCKOUT_PER_ACCOUNT": os.environ.get("LOCKOUT_PER_ACCOUNT", "50 per hour"),
        "RESET_RATE_LIMIT": os.environ.get("RESET_RATE_LIMIT", "5 per hour"),
        "PASSWORD_RESET_MAX_AGE": int(os.environ.get("PASSWORD_RESET_MAX_AGE", "3600")),
        "POSTING_RATE_LIMIT": os.environ.get("POSTING_RATE_LIMIT", "30 per hour"),
        "COMMENT_RATE_LIMIT": os.environ.get("COMMENT_RATE_LIMIT", "10 per minute;100 per day"),
        "REPORT_RATE_LIMIT": os.environ.get("REPORT_RATE_LIMIT", "20 per hour"),
        # Unsubscribe links that do not work, per client address (board/digests/routes.py).
        "UNSUBSCRIBE_RATE_LIMIT": os.environ.get(
            "UNSUBSCRIBE_RATE_LIMIT", "10 per minute;100 per day"
        ),
        # Changes of address asked for, per account, and how long the link to confirm one lasts.
        "EMAIL_CHANGE_RATE_LIMIT": os.environ.get("EMAIL_CHANGE_RATE_LIMIT", "5 per hour"),
        "EMAIL_CHANGE_MAX_AGE": int(os.environ.get("EMAIL_CHANGE_MAX_AGE", str(24 * 3600))),
        # Requests to add a council, per account.
        "COUNCIL_REQUEST_RATE_LIMIT": os.environ.get(
            "COUNCIL_REQUEST_RATE_LIMIT", "5 per hour;20 per day"
        ),
        # Cookies: never readable by scripts; sent over HTTPS only outside development.
        "SESSION_COOKIE_HTTPONLY": True,
        # A signed-in session unused for this long ends (board/auth/sessions.py).
        "SESSION_IDLE_TIMEOUT": timedelta(days=int(os.environ.get("SESSION_IDLE_DAYS", "30"))),
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
        # Where people write to the team that runs the service: shown on the contact,
        # accessibility, privacy and cookies pages.
        "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "caseboard@caseboard.example"),
        # The organisation that runs the service and decides what is done with people's
        # information: the data controller named on the privacy notice (UK GDPR article 13).
        # Set it to the organisation's full legal name in every real deployment.
        "DATA_CONTROLLER": os.environ.get("DATA_CONTROLLER", "Case Board (development)"),
        # Without a mail server, messages are written to this folder instead of being sent.
        "MAIL_OUTBOX_DIR": os.environ.get("MAIL_OUTBOX_DIR", str(Path(instance_path) / "outbox")),
        # Mail is queued in outbox_messages and sent after the commit (board/outbox.py). Unset,
        # MAIL_SEND_AFTER_COMMIT follows APP_ENV: development and tests send in the process that
        # committed; production leaves sending to `flask mail send --watch`.
        "MAIL_SEND_AFTER_COMMIT": (
            env_flag("MAIL_SEND_AFTER_COMMIT", False)
            if os.environ.get("MAIL_SEND_AFTER_COMMIT")
            else None
        ),
        "MAIL_MAX_ATTEMPTS": int(os.environ.get("MAIL_MAX_ATTEMPTS", "8")),
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "10")),
        # How logs are written (board/request_log.py): "json", one object a line on stdout with
        # a line for every request, or "text" for people to read. Unset, json in production.
        "LOG_FORMAT": os.environ.get("LOG_FORMAT") or None,
        "PER_PAGE": 20,
        # The board's results cache (board/browse/cache.py): SimpleCache keeps entries in each
        # process, RedisCache (with CACHE_REDIS_URL) shares them, NullCache turns caching off.
        "CACHE_TYPE": os.environ.get("CACHE_TYPE", "SimpleCache"),
        "CACHE_REDIS_URL": os.environ.get("CACHE_REDIS_URL", ""),
        # Blocks a SimpleCache keeps in each process (a board block is 10 to 20 KB of HTML);
        # the library's default of 500 is fewer than the distinct views people read.
        "CACHE_THRESHOLD": int(os.environ.get("CACHE_THRESHOLD", "3000")),
        # Seconds a cached block of the board is served. Useful counts and the "most useful"
        # order shown from the cache are at most this old; every other change to what the board
        # shows is seen at once (board/browse/cache.py).
        "BOARD_CACHE_MAX_AGE": int(os.environ.get("BOARD_CACHE_MAX_AGE", "60")),
    }


def _split(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


# Where the development server listens (make run), and what the tests' client calls itself.
DEVELOPMENT_URLS = {"development": "http://127.0.0.1:5000", "testing": "http://localhost"}
LOCAL_HOSTS = ["localhost", "127.0.0.1"]


def check_public_address(config) -> None:
    """Fill in PUBLIC_URL and TRUSTED_HOSTS where development allows a default; refuse to start
    a production app without a public address."""
    app_env = config["APP_ENV"]
    if not config.get("PUBLIC_URL"):
        if app_env not in DEVELOPMENT_URLS:
            raise RuntimeError(
                "PUBLIC_URL is not set. Set it to the address people use, e.g. "
                "https://caseboard.example.org, or set APP_ENV=development."
            )
        config["PUBLIC_URL"] = DEVELOPMENT_URLS[app_env]
    parts = urlsplit(config["PUBLIC_URL"])
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise RuntimeError(
            f"PUBLIC_URL must be a scheme and host with no path, like https://caseboard.example"
            f".org (it is {config['PUBLIC_URL']!r})."
        )
    config["PREFERRED_URL_SCHEME"] = parts.scheme
    if config.get("TRUSTED_HOSTS") is None:
        hosts = [parts.hostname]
        if app_env in DEVELOPMENT_URLS:
            hosts += [host for host in LOCAL_HOSTS if host != parts.hostname]
        config["TRUSTED_HOSTS"] = hosts


def development_secret_key(instance_path: str) -> str:
    """A random key kept in the instance folder, so development sessions survive restarts."""
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
