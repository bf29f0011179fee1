"""Browsing runs statements built once for each form they take, with the request's filters as
parameters: they find what the filters' own conditions find, for visitors and for members."""

import pytest
from werkzeug.datastructures import MultiDict

from board.browse import queries
from board.browse.forms import CouncilLookup, parse_filters
from board.extensions import db
from board.models import CouncilType, Nation, Outcome, Status, Topic, Visibility
from tests.factories import make_council, make_study

ARGS = [
    [],
    [("topic", "cyber-security")],
    [("topic", "cyber-security"), ("topic", "data-and-research")],
    [("topic", "cyber-security"), ("outcome", "worked")],
    [("topic", "data-and-research"), ("sort", "useful")],
    [("topic", "data-and-research"), ("sort", "updated")],
    [("outcome", "did-not-work"), ("sort", "updated"), ("page", "2")],
    [("nation", "wales")],
    [("nation", "wales"), ("council_type", "welsh-principal-area")],
    [("council", "kentish-town-council")],
    [("council", "kentish-town-council"), ("topic", "cyber-security")],
    [("language", "cy")],
    [("language", "cy"), ("language", "en"), ("topic", "cyber-security")],
    [("topic", "cyber-security"), ("page", "3")],
]


@pytest.fixture
def board(app):
    with app.app_context():
        kent = make_council("Kentish Town Council", council_type=CouncilType.DISTRICT)
        cardiff = make_council(
            "Cardiff Bay Council",
            nation=Nation.WALES,
            council_type=CouncilType.WELSH_PRINCIPAL_AREA,
            region="Wales",
        )
        kinds = [
            (["cyber-security"], Outcome.WORKED),
            (["cyber-security", "data-and-research"], Outcome.DID_NOT_WORK),
            (["data-and-research"], Outcome.PARTLY_WORKED),
        ]
        for number in range(18):
            topics, outcome = kinds[number % 3]
            make_study(
                kent if number % 2 else cardiff,
                title=f"Pilot {number}",
                topics=topics,
                outcome=outcome,
                useful_count=number % 5,
                language="cy" if number % 4 == 0 else "en",
                visibility=Visibility.MEMBERS if number % 5 == 0 else Visibility.PUBLIC,
                status=Status.SUBMITTED if number % 7 == 3 else Status.PUBLISHED,
            )
        db.session.commit()


def _filters(args):
    topics = db.session.scalars(queries.topics_query()).all()

    def find_councils(text):
        return CouncilLookup(councils=db.session.scalars(queries.council_by_slug(text)).all())

    return parse_filters(MultiDict(args), topics, find_councils=find_councils)


@pytest.mark.parametrize("members", [False, True], ids=["visitor", "member"])
@pytest.mark.parametrize("args", ARGS, ids=lambda args: "&".join(f"{k}={v}" for k, v in args))
def test_the_statements_find_what_the_filters_conditions_find(app, board, args, members):
    per_page = 2
    with app.app_context():
        filters = _filters(args)
        assert not filters.ignored
        offset = (filters.page - 1) * per_page
        dialect = db.session.get_bind().dialect.name
        count, page, parameters = queries.browse_statements(
            filters, members, dialect, per_page, offset
        )
        visible = queries.visible_conditions(None)
        if members:
            visible = [queries.CaseStudy.status == Status.PUBLISHED]
        conditions = [*visible, *queries.filter_conditions(filters)]

        expected_total = db.session.scalar(queries.capped_count_query(conditions))
        expected_rows = db.session.execute(
            queries.page_query(conditions, filters.ordering, per_page, offset)
        ).all()
        assert db.session.scalar(count, parameters) == expected_total
        assert db.session.execute(page, parameters).all() == expected_rows
        assert expected_total > 0
        assert expected_rows


def test_the_count_of_one_topic_stops_at_the_limit_and_skips_what_is_not_shown(
    app, board, monkeypatch
):
    with app.app_context():
        filters = _filters([("topic", "cyber-security")])
        topic = db.session.scalar(db.select(Topic).where(Topic.slug == "cyber-security"))
        dialect = db.session.get_bind().dialect.name

        def count(members):
            statement, _, parameters = queries.browse_statements(filters, members, dialect, 5, 0)
            return db.session.scalar(statement, parameters)

        shown = [study for study in topic_studies(topic) if study.status is Status.PUBLISHED]
        public = [study for study in shown if study.visibility is Visibility.PUBLIC]
        assert 0 < len(public) < len(shown)
        assert count(members=False) == len(public)
        assert count(members=True) == len(shown)

        monkeypatch.setattr(queries, "COUNT_LIMIT", 3)
        assert count(members=False) == 3
        assert count(members=True) == 3


def topic_studies(topic):
    from board.models import CaseStudy, case_study_topics

    return db.session.scalars(
        db.select(CaseStudy)
        .join(case_study_topics, case_study_topics.c.case_study_id == CaseStudy.id)
        .where(case_study_topics.c.topic_id == topic.id)
    ).all()


def test_each_form_of_statement_is_built_once(app, board):
    with app.app_context():
        dialect = db.session.get_bind().dialect.name
        first = queries.browse_statements(
            _filters([("topic", "cyber-security")]), False, dialect, 5, 0
        )
        again = queries.browse_statements(
            _filters([("topic", "data-and-research")]), False, dialect, 5, 10
        )
        member = queries.browse_statements(
            _filters([("topic", "cyber-security")]), True, dialect, 5, 0
        )
        assert first[:2] == again[:2]
        assert first[2][queries.TOPIC_IDS] != again[2][queries.TOPIC_IDS]
        assert first[0] is not member[0] and first[1] is not member[1]


def test_on_postgresql_the_page_is_sent_with_its_values_written_in(app, client, board):
    """PostgreSQL keeps one plan for a prepared statement without parameters; with the page's
    LIMIT and OFFSET as parameters it planned the page afresh every time."""
    from sqlalchemy import event

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite plans each statement once whatever its parameters")
        sent = []

        def record(conn, cursor, statement, parameters, context, executemany):
            sent.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            pages = {}
            for topic, page in [("cyber-security", "1"), ("data-and-research", "2")]:
                sent.clear()
                response = client.get(f"/?topic={topic}&page={page}")
                assert response.status_code == 200
                (statement, parameters) = next(
                    (statement, parameters)
                    for statement, parameters in sent
                    if "AS page_ids" in statement
                )
                assert not parameters
                assert "'published'" in statement and "'public'" in statement
                pages[topic] = statement
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        assert pages["cyber-security"] != pages["data-and-research"]
