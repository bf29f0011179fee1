"""Fixtures for the operating tests."""

from __future__ import annotations

import pytest

from board.extensions import db
from tests.conftest import base_config, make_test_app


@pytest.fixture
def app_with(database_url):
    """Make an app on the test database with settings of its own; its connections are closed
    afterwards (PostgreSQL counts them)."""
    made = []

    def make(**settings):
        app = make_test_app(base_config(database_url) | settings)
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
