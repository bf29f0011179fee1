"""Each row of case_study_topics carries its study's status and visibility (migration 0019),
copied by the database's triggers, so that a topic's studies are counted from one index: the
copies follow every change, however it is made, and the count is the one the board's general
conditions give, for visitors and for members."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from board.browse import queries
from board.browse.cache import results_cache
from board.case_studies import services
from board.extensions import db
from board.models import Role, Status, Topic, Visibility, case_study_topics
from tests.browse.test_statements import _filters
from tests.factories import make_council, make_study, make_user
from tests.statements import statements_for

TOPIC_SLUGS = ["cyber-security", "data-and-research", "smart-places-technology"]


def copies(study_id: int) -> dict[str, tuple[str, str]]:
    """The study's topics (slugs) with the status and visibility their rows carry."""
    rows = db.session.execute(
        select(Topic.slug, case_study_topics.c.study_status, case_study_topics.c.study_visibility)
        .join(Topic, Topic.id == case_study_topics.c.topic_id)
        .where(case_study_topics.c.case_study_id == study_id)
    )
    return {slug: (str(status), str(visibility)) for slug, status, visibility in rows}


def out_of_step() -> list:
    """Every row of case_study_topics whose copies differ from its study's values."""
    return db.session.execute(
        text(
            "SELECT t.case_study_id, t.topic_id FROM case_study_topics AS t "
            "JOIN case_studies AS s ON s.id = t.case_study_id "
            "WHERE t.study_status IS NULL OR t.study_visibility IS NULL "
            "OR t.study_status <> s.status OR t.study_visibility <> s.visibility"
        )
    ).all()


def expect(study, status: Status, visibility: Visibility, topics: list[str]) -> None:
    db.session.flush()
    assert copies(study.id) == {slug: (status.value, visibility.value) for slug in topics}
    assert out_of_step() == []


def test_a_study_made_with_its_topics_in_one_flush_has_them_copied(app):
    with app.app_context():
        council = make_council()
        shown = make_study(council, visibility=Visibility.MEMBERS, topics=TOPIC_SLUGS[:2])
        draft = make_study(council, status=Status.DRAFT, topics=["cyber-security"])
        expect(shown, Status.PUBLISHED, Visibility.MEMBERS, TOPIC_SLUGS[:2])
        expect(draft, Status.DRAFT, Visibility.PUBLIC, ["cyber-security"])
        db.session.commit()
        expect(shown, Status.PUBLISHED, Visibility.MEMBERS, TOPIC_SLUGS[:2])


def test_the_copies_follow_the_review_lifecycle(app):
    with app.app_context(), app.test_request_context("/"):
        council = make_council()
        author = make_user(council)
        moderator = make_user(make_council(), role=Role.MODERATOR)
        study = make_study(council, author, status=Status.SUBMITTED, topics=TOPIC_SLUGS[:2])
        expect(study, Status.SUBMITTED, Visibility.PUBLIC, TOPIC_SLUGS[:2])

        services.approve(study, moderator)
        expect(study, Status.PUBLISHED, Visibility.PUBLIC, TOPIC_SLUGS[:2])

        study.visibility = Visibility.MEMBERS
        expect(study, Status.PUBLISHED, Visibility.MEMBERS, TOPIC_SLUGS[:2])
        study.visibility = Visibility.PUBLIC
        expect(study, Status.PUBLISHED, Visibility.PUBLIC, TOPIC_SLUGS[:2])

        services.unpublish(study, moderator, "Names a resident.")
        expect(study, study.status, Visibility.PUBLIC, TOPIC_SLUGS[:2])
        assert study.status is not Status.PUBLISHED

        again = make_study(council, author, topics=["cyber-security"])
        services.withdraw(again, author)
        expect(again, Status.WITHDRAWN, Visibility.PUBLIC, ["cyber-security"])
        db.session.commit()
        assert out_of_step() == []


def test_topics_added_and_removed_carry_the_study_values(app):
    with app.app_context():
        study = make_study(make_council(), visibility=Visibility.MEMBERS, topics=["cyber-security"])
        topics = {topic.slug: topic for topic in db.session.scalars(queries.topics_query())}
        study.topics.append(topics["data-and-research"])
        expect(study, Status.PUBLISHED, Visibility.MEMBERS, ["cyber-security", "data-and-research"])
        study.topics.remove(topics["cyber-security"])
        expect(study, Status.PUBLISHED, Visibility.MEMBERS, ["data-and-research"])
        services.set_topics(study, [topics[slug].id for slug in TOPIC_SLUGS])
        expect(study, Status.PUBLISHED, Visibility.MEMBERS, TOPIC_SLUGS)
        db.session.commit()


def test_hand_written_sql_is_followed_too(app):
    with app.app_context():
        council = make_council()
        first = make_study(council, topics=TOPIC_SLUGS[:2])
        second = make_study(council, status=Status.SUBMITTED, topics=["cyber-security"])
        db.session.commit()
        db.session.execute(
            text("UPDATE case_studies SET status = 'withdrawn' WHERE id = :id"), {"id": first.id}
        )
        expect(first, Status.WITHDRAWN, Visibility.PUBLIC, TOPIC_SLUGS[:2])
        db.session.execute(
            text("UPDATE case_studies SET status = 'published', visibility = 'members'")
        )
        expect(first, Status.PUBLISHED, Visibility.MEMBERS, TOPIC_SLUGS[:2])
        expect(second, Status.PUBLISHED, Visibility.MEMBERS, ["cyber-security"])
        smart = db.session.scalar(select(Topic.id).where(Topic.slug == "smart-places-technology"))
        db.session.execute(
            text("INSERT INTO case_study_topics (case_study_id, topic_id) VALUES (:study, :topic)"),
            {"study": second.id, "topic": smart},
        )
        expect(
            second,
            Status.PUBLISHED,
            Visibility.MEMBERS,
            ["cyber-security", "smart-places-technology"],
        )
        db.session.commit()
        assert out_of_step() == []


def board_version() -> int:
    return db.session.scalar(text("SELECT version FROM board_version"))


def test_the_change_counter_moves_for_what_the_board_shows_only(app):
    with app.app_context():
        study = make_study(make_council(), topics=["cyber-security"])
        db.session.commit()
        topic = db.session.scalar(select(Topic).where(Topic.slug == "data-and-research"))

        before = board_version()
        study.topics.append(topic)
        db.session.commit()
        assert board_version() > before

        before = board_version()
        study.visibility = Visibility.MEMBERS
        db.session.commit()
        assert board_version() > before

        # The copies are the study's own values: writing them alone changes nothing shown.
        before = board_version()
        db.session.execute(text("UPDATE case_study_topics SET study_status = study_status"))
        db.session.commit()
        assert board_version() == before


# A small board: each study a status, a visibility and some of three topics.
STUDIES = st.lists(
    st.tuples(
        st.sampled_from([Status.PUBLISHED, Status.PUBLISHED, Status.SUBMITTED, Status.WITHDRAWN]),
        st.sampled_from(list(Visibility)),
        st.sets(st.sampled_from(TOPIC_SLUGS), min_size=1),
    ),
    max_size=8,
)
# Then some of them change: (which study, its new status, its new visibility).
CHANGES = st.lists(
    st.tuples(st.integers(0, 7), st.sampled_from(list(Status)), st.sampled_from(list(Visibility))),
    max_size=4,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(studies=STUDIES, changes=CHANGES)
def test_one_topic_is_counted_as_the_general_conditions_count(app, studies, changes):
    with app.app_context():
        try:
            council = make_council()
            author = make_user(council)
            made = [
                make_study(council, author, status, visibility, topics=sorted(topics))
                for status, visibility, topics in studies
            ]
            for number, status, visibility in changes:
                if number < len(made):
                    made[number].status = status
                    made[number].visibility = visibility
            db.session.flush()
            dialect = db.session.get_bind().dialect.name
            for slug in TOPIC_SLUGS:
                filters = _filters([("topic", slug)])
                for members in (False, True):
                    count, _, parameters = queries.browse_statements(
                        filters, members, dialect, 5, 0
                    )
                    visible = queries._visible_conditions(members)
                    general = queries.capped_count_query(
                        [*visible, *queries.filter_conditions(filters)]
                    )
                    assert db.session.scalar(count, parameters) == db.session.scalar(general)
        finally:
            db.session.rollback()


def test_the_count_of_a_topic_still_stops_at_the_limit(app, client, monkeypatch):
    with app.app_context():
        council = make_council()
        for _ in range(4):
            make_study(council, topics=["cyber-security"])
        make_study(council, visibility=Visibility.MEMBERS, topics=["cyber-security"])
        db.session.commit()
    fragment_headers = {"HX-Request": "true"}
    assert "4 case studies" in client.get("/topics/cyber-security").text
    assert "4 case studies" in client.get("/?topic=cyber-security", headers=fragment_headers).text
    monkeypatch.setattr(queries, "COUNT_LIMIT", 3)
    with app.app_context():
        results_cache.clear()  # the pages above are kept, and the limit is not in their key
    assert "3 or more case studies" in client.get("/topics/cyber-security").text
    fragment = client.get("/?topic=cyber-security", headers=fragment_headers)
    assert "3 or more case studies" in fragment.text


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["board", "fragment"])
def test_the_count_of_one_topic_reads_its_topic_rows_alone(app, client, headers):
    with app.app_context():
        make_study(make_council(), topics=["cyber-security", "data-and-research"])
        db.session.commit()
    client.get("/")  # the topics and councils the form lists, read once and kept
    one = statements_for(app, client, "/?topic=cyber-security", headers)
    two = statements_for(app, client, "/?topic=cyber-security&topic=data-and-research", headers)
    assert len(one) == len(two)
    counts = [statement for statement in one if "count(*)" in statement]
    assert len(counts) == 1
    count = counts[0]
    if ") AS total" in count:
        # PostgreSQL: the page carries the count as its column "total" (one round trip fewer).
        count = count[count.index("(SELECT count(*)") : count.index(") AS total")]
    assert "FROM case_study_topics" in count
    assert "case_studies" not in count.replace("case_study_topics", "")
