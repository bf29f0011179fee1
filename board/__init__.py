"""Case Board: a peer case-study board for UK councils."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_compress import Compress

from board import (
    database,  # also registers connection behaviour
    request_log,
    static_files,
)
from board.config import check_public_address, development_secret_key, from_environment
from board.extensions import csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app; ``config`` overrides settings from the environment (tests use it)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        # /static is served by board/static_files.py, under content-hashed names.
        static_folder=None,
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(from_environment(app.instance_path))
    if config:
        app.config.from_mapping(config)
    _ensure_secret_key(app)
    check_public_address(app.config)
    request_log.init_app(app)  # first: its after-request function must run last

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from board import (
        account,
        admin,
        api,
        auth,
        browse,
        case_studies,
        comments,
        core,
        digests,
        errors,
        feeds,
        follow_ups,
        follows,
        http_cache,
        i18n,
        moderation,
        notifications,
        questions,
        security,
        seo,
        templating,
        updates,
    )

    security.init_app(app)
    static_files.init_app(app, PROJECT_ROOT / "static")
    _compress_responses(app)
    http_cache.init_app(app)  # after compression: see board/http_cache.py
    templating.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    from board import converters  # before the blueprints: rules pick converters when added

    converters.init_app(app)
    app.register_blueprint(core.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(browse.bp)
    app.register_blueprint(case_studies.bp)
    app.register_blueprint(comments.bp)
    app.register_blueprint(moderation.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(seo.bp)
    app.register_blueprint(follows.bp)
    app.register_blueprint(digests.bp)
    app.register_blueprint(updates.bp)
    app.register_blueprint(follow_ups.bp)
    app.register_blueprint(questions.bp)

    from board import cli

    cli.init_app(app)
    digests.cli.init_app(app)
    follow_ups.cli.init_app(app)
    return app


def _compress_responses(app: Flask) -> None:
    """Brotli, zstd or gzip, whichever the client asks for, on HTML (htmx fragments too), CSS,
    JavaScript, JSON, SVG and feeds of 500 bytes or more (Flask-Compress's defaults).

    Streamed responses pass through as they are: Flask-Compress would wrap a stream in its own
    generator and never close the one it wraps (a file download would leave its file open), and
    a stream's ETag would need it read whole. Static files are not streamed
    (board/static_files.py), so they are compressed like pages, and once per process."""
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", static_files.CompressedFiles)
    app.config.setdefault("COMPRESS_CACHE_KEY", static_files.compressed_file_key)
    Compress(app)


def _ensure_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if app.config["APP_ENV"] in ("development", "testing"):
        app.config["SECRET_KEY"] = development_secret_key(app.instance_path)
        return
    raise RuntimeError(
        "SECRET_KEY is not set. Set it to a long random value, or set APP_ENV=development."
    )
