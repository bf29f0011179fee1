"""A request's transaction ends with COMMIT on PostgreSQL only when it wrote nothing
(board/database.py ends_with_commit): psycopg keeps its prepared statements at a COMMIT and
forgets them at a ROLLBACK. Anything written, pending, or ended by an error is rolled back as
before, and a write is never kept by it."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from board.database import ends_with_commit
from board.extensions import db
from board.models import Council
from tests.factories import make_council


def postgresql(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


@pytest.fixture
def council_id(app):
    with app.app_context():
        council = make_council("Ceredigion County Council")
        db.session.commit()
        return council.id


def test_a_request_that_only_read_may_end_with_commit_on_postgresql(app, council_id):
    with app.test_request_context("/"):
        session = db.session()
        session.execute(text("SELECT name FROM councils")).all()
        assert ends_with_commit(session, None) is postgresql(app)
        assert ends_with_commit(session, RuntimeError("the view failed")) is False


@pytest.mark.parametrize(
    "write",
    [
        "UPDATE councils SET name = 'Written' WHERE id = :id",
        "  update councils SET name = 'Written' WHERE id = :id",
        "WITH changed AS (UPDATE councils SET name = 'Written' WHERE id = :id RETURNING id) "
        "SELECT id FROM changed",
    ],
)
def test_a_request_that_wrote_is_rolled_back_at_its_end(app, council_id, write):
    if "WITH" in write and not postgresql(app):
        pytest.skip("SQLite has no data-modifying WITH")
    with app.test_request_context("/"):
        session = db.session()
        session.execute(text("SELECT name FROM councils")).all()
        session.execute(text(write), {"id": council_id})
        assert ends_with_commit(session, None) is False
    # The request has ended (its teardown ran): the write is gone.
    with app.app_context():
        assert db.session.get(Council, council_id).name == "Ceredigion County Council"


def test_a_change_waiting_in_the_session_is_never_committed_by_it(app, council_id):
    with app.test_request_context("/"):
        session = db.session()
        session.execute(text("SELECT name FROM councils")).all()
        session.get(Council, council_id).name = "Pending"
        assert ends_with_commit(session, None) is False


def test_a_new_transaction_starts_with_nothing_written(app, council_id):
    with app.test_request_context("/"):
        session = db.session()
        session.execute(
            text("UPDATE councils SET name = 'Kept' WHERE id = :id"), {"id": council_id}
        )
        session.commit()
        session.execute(text("SELECT name FROM councils")).all()
        assert ends_with_commit(session, None) is postgresql(app)


def test_a_visitors_page_ends_with_commit_on_postgresql_and_rollback_on_sqlite(app, client):
    ends = []
    with app.app_context():
        engine = db.engine

    def on_commit(connection):
        ends.append("commit")

    def on_rollback(connection):
        ends.append("rollback")

    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", on_rollback)
    try:
        assert client.get("/").status_code == 200
    finally:
        event.remove(engine, "commit", on_commit)
        event.remove(engine, "rollback", on_rollback)
    assert ends[:1] == (["commit"] if postgresql(app) else ["rollback"])


def test_a_transaction_a_failed_flush_left_inactive_is_rolled_back(app, council_id):
    from sqlalchemy.exc import IntegrityError

    with app.test_request_context("/"):
        session = db.session()
        with pytest.raises(IntegrityError):
            make_council("Ceredigion County Council")  # the same address as the fixture's
            session.commit()
        assert ends_with_commit(session, None) is False
    # The request's end (its teardown, run as the context closed) raised nothing.
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Council)) == 1
