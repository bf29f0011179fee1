from sqlalchemy import event

from board.extensions import db
from board.models import Status
from board.moderation.queries import word_diff
from tests.factories import make_council, make_study, make_user


def test_word_diff_marks_changed_phrases():
    assert word_diff("We tried a chatbot", "We tried a text service") == [
        ("same", "We tried a "),
        ("removed", "chatbot"),
        ("added", "text service"),
    ]
    assert word_diff("", "New text") == [("added", "New text")]
    assert word_diff("Same", "Same") == [("same", "Same")]


def test_queue_query_count_does_not_grow_with_the_queue(app, client, sign_in):
    from board.models import Role

    with app.app_context():
        moderator = make_user(make_council(), role=Role.MODERATOR)
        db.session.commit()
    sign_in(moderator)

    def add_reviewables(count):
        with app.app_context():
            for _ in range(count):
                council = make_council()
                study = make_study(council, status=Status.SUBMITTED)
                study.submitted_at = study.created_at
            db.session.commit()

    def queries_for_queue():
        statements = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get("/moderation").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    add_reviewables(2)
    few = queries_for_queue()
    add_reviewables(12)
    assert queries_for_queue() == few
