"""Database connection behaviour that the ORM does not set by itself."""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from board.extensions import db


@event.listens_for(Engine, "connect")
def _enforce_sqlite_foreign_keys(dbapi_connection, connection_record):
    # SQLite ignores foreign keys unless asked, per connection; PostgreSQL always enforces them.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def init_app(app: Flask) -> None:
    """Call after ``db.init_app``: teardown functions run last-registered first, so this one
    ends the session before Flask-SQLAlchemy's own teardown does."""

    @app.teardown_appcontext
    def _end_session_even_if_the_database_went_away(exc) -> None:
        # Ending a session rolls back its transaction. If the database restarted since the
        # response was made, that rollback fails; the response is already right, and the pool
        # replaces the dead connection, so log it rather than turn the answer into a 500.
        try:
            db.session.remove()
        except OperationalError as error:
            app.logger.warning("database connection lost at the end of a request: %s", error.orig)
