"""The listing's link prefixes are made by url_for once for each listing and kept: kept under
everything url_for reads to make them, and within a bound."""

from flask import url_for

from board.browse import routes
from board.browse.routes import ListingLinks
from board.extensions import db
from board.models import Topic


def test_the_kept_prefixes_follow_where_the_app_is_mounted_and_the_listing(app):
    with app.app_context():
        topics = db.session.scalars(db.select(Topic).order_by(Topic.position)).all()
    for base_url in ["http://localhost/", "http://localhost/mounted/", "http://localhost/"]:
        for endpoint, view_args in [
            ("browse.board", {}),
            ("browse.topic", {"slug": "cyber-security"}),
            ("browse.council", {"slug": "leeds"}),
            ("browse.council", {"slug": "york"}),
        ]:
            with app.test_request_context("/", base_url=base_url):
                links = ListingLinks(endpoint, view_args, topics)
                assert links.listing == url_for(endpoint, **view_args)
                assert links.board({"page": 2}) == url_for(endpoint, **view_args, page=2)
                assert links.council("leeds") == url_for("browse.council", slug="leeds")
                assert links.topics == {
                    topic.id: url_for("browse.topic", slug=topic.slug) for topic in topics
                }


def test_a_renamed_topic_slug_gets_its_new_link(app):
    with app.app_context():
        topic = db.session.scalar(db.select(Topic).where(Topic.slug == "cyber-security"))
        with app.test_request_context("/"):
            assert (
                "/topics/cyber-security"
                in ListingLinks("browse.board", {}, [topic]).topics[topic.id]
            )
        topic.slug = "cyber-resilience"
        with app.test_request_context("/"):
            links = ListingLinks("browse.board", {}, [topic])
            assert links.topics[topic.id] == url_for("browse.topic", slug="cyber-resilience")
        db.session.rollback()


def test_the_kept_prefixes_stay_within_their_bound(app, monkeypatch):
    monkeypatch.setattr(routes, "MAX_PREFIXES", 3)
    with app.test_request_context("/"):
        for number in range(7):
            links = ListingLinks("browse.council", {"slug": f"council-{number}"}, [])
            assert links.listing == url_for("browse.council", slug=f"council-{number}")
        assert len(app.extensions["board_listing_prefixes"]) <= 3
