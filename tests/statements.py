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
