"""Database connection behaviour that the ORM does not set by itself."""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

from board.extensions import db


@event.listens_for(Engine, "connect")
def _set_up_each_connection(dbapi_connection, connection_record):
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        # SQLite ignores foreign keys unless asked, per connection; PostgreSQL always enforces
        # them.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
    # PostgreSQL: psycopg prepares a statement run five times on a connection, and PostgreSQL
    # then plans it once for any values when that plan costs about what the plans made for the
    # values did (plan_cache_mode "auto", its default): planning a study page's statements
    # cost more than running them. Where the values decide the plan (a search, related
    # studies, the board's page), they are written into the SQL text, so each text has its own
    # plan (values_written_in below, board/related.py, board/browse/queries.py).


def values_written_in(statement):
    """``statement`` with every parameter's value written into its SQL text when it runs
    (literal_execute), for PostgreSQL: a statement whose plan depends on its values (a search:
    its words, and whether to look among the newest studies or everywhere) then has none left
    to plan once for any values, and each text repeated keeps the plan made for it. Under
    plan_cache_mode "auto", a search for a rare word kept as a plan for any values took twice
    as long as one planned for it."""

    def write_in(element, **_):
        if isinstance(element, BindParameter) and not element.literal_execute:
            return element.render_literal_execute()
        return None

    return visitors.replacement_traverse(statement, {}, write_in)


# Whether the connection's transaction ran anything but SELECT: set by before_cursor_execute,
# cleared when a transaction begins. Kept in the connection's info, which lives with it in the
# pool.
WROTE = "board_transaction_wrote"


@event.listens_for(Engine, "begin")
def _nothing_written_yet(connection) -> None:
    connection.info[WROTE] = False


@event.listens_for(Engine, "before_cursor_execute")
def _note_what_is_not_a_select(connection, cursor, statement, parameters, context, many) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":
        connection.info[WROTE] = True


def ends_with_commit(session, exc) -> bool:
    """Whether this request's transaction may end with COMMIT rather than ROLLBACK: on
    PostgreSQL, after a request that raised nothing and ran only SELECTs, with no change waiting
    in the session. The two then do the same (nothing was written; locks go either way), but
    psycopg forgets every statement it has prepared on a connection at a ROLLBACK (a PREPARE in
    the rolled-back transaction might be undone), and keeps them at a COMMIT: after one, the
    statements a page runs again and again on that connection are parsed and planned once,
    not on every request (about a third of the database's time for a board page)."""
    transaction = session.get_transaction()
    # Not begun, or already failed (a flush that raised leaves it inactive until rolled back).
    if exc is not None or transaction is None or not transaction.is_active:
        return False
    if session.new or session.dirty or session.deleted:
        return False
    connection = session.connection()
    if connection.dialect.name != "postgresql" or connection.info.get(WROTE, True):
        return False
    return not connection.in_nested_transaction()


def init_app(app: Flask) -> None:
    """Call after ``db.init_app``: teardown functions run last-registered first, so this one
    ends the session before Flask-SQLAlchemy's own teardown does."""

    @app.teardown_appcontext
    def _end_session_even_if_the_database_went_away(exc) -> None:
        # Ending a session rolls back its transaction. If the database restarted since the
        # response was made, that rollback fails; the response is already right, and the pool
        # replaces the dead connection, so log it rather than turn the answer into a 500.
        try:
            if ends_with_commit(db.session(), exc):
                db.session.commit()
            db.session.remove()
        except OperationalError as error:
            app.logger.warning("database connection lost at the end of a request: %s", error.orig)
