"""The SQL statements a request runs, for tests that count them."""

from __future__ import annotations

from sqlalchemy import event

from board.extensions import db


def statements_for(app, client, path: str, headers: dict | None = None) -> list[str]:
    """The SQL statements a GET of ``path`` runs (it must answer 200)."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path, headers=headers or {}).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return statements


def statements_with_parameters_for(app, client, path: str) -> list[tuple[str, object]]:
    """The SQL statements a GET of ``path`` runs (it must answer 200), each with the
    parameters sent beside it."""
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen
