"""The listing reads the topics once for each value of the board's change counter: a change
to a topic (which moves the counter) shows on the next page."""

from sqlalchemy import text

from board.extensions import db
from tests.browse.test_board import statements_for
from tests.factories import make_council, make_study


def reads_topics(statements: list[str]) -> bool:
    return any("FROM topics" in statement for statement in statements)


def test_the_topics_are_read_once_while_nothing_changes(app, client):
    with app.app_context():
        make_study(make_council("Keptshire Council"), topics=["cyber-security"])
        db.session.commit()
    assert reads_topics(statements_for(app, client, "/?outcome=worked"))
    assert not reads_topics(statements_for(app, client, "/?outcome=did-not-work"))
    assert not reads_topics(statements_for(app, client, "/topics/cyber-security"))
    with app.app_context():
        make_study(make_council("Newshire Council"))
        db.session.commit()
    assert reads_topics(statements_for(app, client, "/?outcome=ongoing"))


def test_a_topic_changed_by_hand_shows_at_once(app, client):
    with app.app_context():
        make_study(make_council("Handshire Council"), topics=["cyber-security"])
        db.session.commit()
    assert "Cyber security" in client.get("/?outcome=worked").text
    with app.app_context():
        db.session.execute(
            text(
                "UPDATE topics SET name = 'Cyber resilience', slug = 'cyber-resilience' "
                "WHERE slug = 'cyber-security'"
            )
        )
        db.session.commit()
    try:
        html = client.get("/?outcome=did-not-work").text
        assert "Cyber resilience" in html and "Cyber security" not in html
        assert 'href="/topics/cyber-resilience"' in html
        assert client.get("/topics/cyber-security").status_code == 404
        assert "Cyber resilience" in client.get("/topics/cyber-resilience").text
    finally:
        with app.app_context():
            db.session.execute(
                text(
                    "UPDATE topics SET name = 'Cyber security', slug = 'cyber-security' "
                    "WHERE slug = 'cyber-resilience'"
                )
            )
            db.session.commit()


def test_kept_topics_outlive_the_sessions_that_read_them(app, client):
    """Topics kept by one request are detached from its session: later requests still read
    their names, in each request's language."""
    with app.app_context():
        make_study(make_council("Sessionshire Council"), topics=["cyber-security"])
        db.session.commit()
    assert "Cyber security" in client.get("/?outcome=worked").text
    client.set_cookie("board_language", "cy")
    assert "Seiberddiogelwch" in client.get("/?outcome=ongoing").text
    client.set_cookie("board_language", "en")
    assert "Cyber security" in client.get("/topics/cyber-security?outcome=ongoing").text
