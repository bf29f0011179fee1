"""Fixtures shared by every test.

The database is migrated once per run. Each test then gets a clean database: on SQLite a copy
of the migrated file, on PostgreSQL (TEST_DATABASE_URL) the same database with its tables
emptied (the seeded topics and the board's change counter are kept).
"""

from __future__ import annotations

import os
import re
import shutil
from types import SimpleNamespace

import pytest
from argon2 import PasswordHasher, profiles
from flask_migrate import upgrade
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, make_url, text

from board import create_app
from board.auth import passwords

# Argon2's cheapest parameters, set before any test module hashes a password: the suite signs
# people in thousands of times, and the default costs about 0.15 s each on purpose.
passwords.use_hasher(PasswordHasher.from_parameters(profiles.CHEAPEST))

from board.extensions import db  # noqa: E402
from board.models import Role  # noqa: E402
from tests.factories import make_council, make_user  # noqa: E402

KEPT_TABLES = {"topics", "alembic_version", "board_version"}


def base_config(database_url: str) -> dict:
    return {
        "TESTING": True,
        "APP_ENV": "testing",
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_BACKEND": "memory",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
    }


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Migrate an empty database once; return its URL."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = _database_of_this_worker(url)
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "template.db")
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    if not url.startswith("sqlite:///"):
        engine = create_engine(url)
        with engine.connect() as connection:
            SEEDED_TOPICS.extend(
                dict(row) for row in connection.execute(text("SELECT * FROM topics")).mappings()
            )
        engine.dispose()
    return url


def _database_of_this_worker(url: str) -> str:
    """The database this process tests on: ``url``'s own, or, when pytest-xdist runs the suite
    in several processes, one of its own named after it and the worker, made afresh, as each
    test empties the tables it used."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return _fresh_database_beside(url, worker) if worker else url


def _fresh_database_beside(url: str, name: str) -> str:
    """An empty PostgreSQL database named after ``url``'s and ``name``, on the same server,
    dropped first if it exists; its URL."""
    template = make_url(url)
    own = template.set(database=f"{template.database}_{name}")
    server = create_engine(template.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    server.dispose()
    return own.render_as_string(hide_password=False)


# The seven topics as the migrations seed them, read once on PostgreSQL, where the topics table
# is kept between tests rather than copied afresh: a test that renames a topic must not leave
# the new name to the tests after it.
SEEDED_TOPICS: list[dict] = []


def _restore_seeded_topics(connection) -> None:
    for row in SEEDED_TOPICS:
        # The column names come from the table itself; the values are bound parameters.
        columns = ", ".join(f'"{column}" = :{column}' for column in row if column != "id")
        connection.execute(text(f"UPDATE topics SET {columns} WHERE id = :id"), row)  # noqa: S608


def separate_database(database_template: str, name: str, folder) -> str:
    """A migrated, empty database of its own, for tests that build one site for a whole module
    while other tests empty the shared one: on SQLite a copy of the template in ``folder``, on
    PostgreSQL a database named after the test database and ``name``, made afresh."""
    if database_template.startswith("sqlite:///"):
        copy = folder / f"{name}.db"
        shutil.copyfile(database_template.removeprefix("sqlite:///"), copy)
        return "sqlite:///" + str(copy)
    url = _fresh_database_beside(database_template, name)
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def database_url(database_template, tmp_path):
    """A clean, migrated database for one test."""
    if database_template.startswith("sqlite:///"):
        copy = tmp_path / "test.db"
        shutil.copyfile(database_template.removeprefix("sqlite:///"), copy)
        yield "sqlite:///" + str(copy)
        return
    yield database_template
    engine = create_engine(database_template)
    with engine.begin() as connection:
        tables = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars()
        emptied = ", ".join(f'"{name}"' for name in tables if name not in KEPT_TABLES)
        if emptied:
            # TRUNCATE does not fire the moderation log's row triggers; DELETE would.
            connection.execute(text(f"TRUNCATE {emptied} RESTART IDENTITY CASCADE"))
        _restore_seeded_topics(connection)
    engine.dispose()


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory for the whole run. Each test makes its own app, and
    each app's Jinja environment would otherwise compile every template it renders again (the
    Design System's macros are large): most of a view test's time. Jinja keys each entry by
    template and checks it against the source, so an edited template is compiled afresh."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = SharedBytecodeCache()


def make_test_app(config: dict):
    """The app for a test, sharing compiled templates with every other test's app."""
    app = create_app(config)
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    return app


@pytest.fixture
def app(database_url):
    app = make_test_app(base_config(database_url))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _push_request_context():
    """Replace pytest-flask's autouse request context: tests open an app context themselves,
    only around database work, so each request sees the database as a browser would."""


@pytest.fixture
def outbox(app):
    return app.extensions.setdefault("outbox", [])


# Pages carry the token in their forms, and in the htmx header settings on <body> once the browser
# has a session (a visitor's first page starts none: board/http_cache.py).
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


@pytest.fixture
def csrf_token(client):
    """The CSRF token of ``client``'s session."""

    def fetch(path: str = "/auth/login") -> str:
        return csrf_token_from(client.get(path).get_data(as_text=True))

    return fetch


@pytest.fixture
def sign_in(client, csrf_token):
    from tests.factories import PASSWORD

    def sign_in_as(user, password: str = PASSWORD):
        response = client.post(
            "/auth/login",
            data={"email": user.email, "password": password, "csrf_token": csrf_token()},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return sign_in_as


@pytest.fixture
def world(app):
    """Two councils and one person in each role. The moderator belongs to the other council."""
    with app.app_context():
        here = make_council("Hereshire Council", domain="hereshire.gov.uk")
        there = make_council("Thereshire Council", domain="thereshire.gov.uk")
        people = SimpleNamespace(
            visitor=None,
            unverified=make_user(None, verified=False, name="Una Verified"),
            author=make_user(here, name="Ava Author", email="ava@hereshire.gov.uk"),
            colleague=make_user(here, name="Colin Colleague"),
            outsider=make_user(there, name="Otto Outsider"),
            moderator=make_user(there, role=Role.MODERATOR, name="Mo Derator"),
            admin=make_user(None, role=Role.ADMIN, name="Ada Admin"),
        )
        db.session.commit()
        return SimpleNamespace(here=here, there=there, people=people)


@pytest.fixture
def as_role(client, sign_in, world):
    """Sign in as the named role (or stay a visitor, with a session from the sign-in form, as a
    visitor who sends a form has: every page then carries its CSRF token)."""

    def become(role: str):
        person = getattr(world.people, role)
        if person is not None:
            sign_in(person)
        else:
            client.get("/auth/login")
        return person

    return become


def pytest_sessionstart(session):
    """The Welsh catalogue compiled from its source, so a run of pytest alone (CI's second run,
    say) reads the translations the code has now."""
    from scripts.translations import compile_catalogue

    compile_catalogue()


@pytest.fixture(scope="session")
def extracted_strings(tmp_path_factory):
    """The strings in the code now (a .pot), extracted as `make translations-extract` does."""
    from scripts.translations import extract

    template = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    extract(template)
    return template


@pytest.fixture(scope="session")
def english(extracted_strings):
    """The interface's English, to look for on pages shown in Welsh (tests/i18n/english.py)."""
    from babel.messages.pofile import write_po

    from scripts.translations import WELSH, read, with_parts
    from tests.i18n.english import load

    # The catalogue with any translations not yet folded into it (board/translations/parts/).
    welsh = extracted_strings.parent / "welsh.po"
    with welsh.open("wb") as file:
        write_po(file, with_parts(read(WELSH)))
    return load(extracted_strings, welsh)
