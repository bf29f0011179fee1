"""The answers under a question cost the same number of queries however many there are."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from board.extensions import db
from board.models import Visibility
from board.models.base import utcnow
from tests.answers.conftest import make_answer, make_question, post
from tests.browse.test_board import count_queries
from tests.factories import make_study, make_user


def add_answers(app, world, question_id, count):
    """``count`` answers from people of both councils, with studies of every kind attached,
    some helpful, some written up, one hidden."""
    with app.app_context():
        for number in range(count):
            council = world.here if number % 2 else world.there
            person = make_user(council)
            study = make_study(
                council,
                person,
                visibility=Visibility.MEMBERS if number % 3 else Visibility.PUBLIC,
            )
            write_up = make_study(world.there, person, title=f"Write-up {number}")
            make_answer(
                question_id,
                person,
                body=f"Answer **{number}**",
                study_id=study.id,
                write_up_id=write_up.id if number % 4 == 0 else None,
                helpful_at=utcnow() if number % 5 == 0 else None,
                hidden_at=utcnow() if number == 7 else None,
            )
        db.session.commit()


@pytest.mark.parametrize("role", ["visitor", "author", "outsider", "moderator"])
def test_queries_do_not_grow_with_answers(app, client, as_role, world, role):
    with app.app_context():
        question_id = make_question(world.people.author).id
        # Each council has a study to attach from the start, so the form is the same each time
        # (each Design System field widget renders a template of its own).
        make_study(world.here)
        make_study(world.there)
        db.session.commit()
    as_role(role)
    path = f"/test/questions/{question_id}"
    add_answers(app, world, question_id, 1)
    few = count_queries(app, client, path)
    add_answers(app, world, question_id, 30)
    assert count_queries(app, client, path) == few
    assert client.get(path).text.count('class="app-comment app-answer') >= 30


def test_posting_in_place_costs_the_same_with_many_answers(app, client, as_role, world):
    with app.app_context():
        question_id = make_question(world.people.author).id
        db.session.commit()
    as_role("outsider")

    def posting_queries():
        statements = []
        with app.app_context():
            engine = db.engine

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            response = post(client, f"/questions/{question_id}/answers", htmx=True, body="Hi")
            assert response.status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    add_answers(app, world, question_id, 1)
    few = posting_queries()
    add_answers(app, world, question_id, 30)
    # The post (and the page its token is read from) does not grow with the answers.
    assert posting_queries() == few
