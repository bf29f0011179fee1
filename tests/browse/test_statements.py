"""Browsing runs statements built once for each form they take, with the request's filters as
parameters: they find what the filters' own conditions find, for visitors and for members."""

import pytest
from werkzeug.datastructures import MultiDict

from board.browse import queries, results
from board.browse.forms import CouncilLookup, parse_filters
from board.browse.results import CARD_WIDTH
from board.extensions import db
from board.models import CouncilType, Nation, Outcome, Status, Topic, Visibility
from tests.factories import make_council, make_study, make_user
from tests.statements import statements_for

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
        rows = db.session.execute(page, parameters).all()
        assert [tuple(row[:CARD_WIDTH]) for row in rows] == [tuple(row) for row in expected_rows]
        if dialect == "postgresql":
            # Each row of the page carries the count too (one round trip fewer).
            assert {row.total for row in rows} == {expected_total}
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


@pytest.mark.parametrize("order", ["newest", "useful", "updated"])
def test_on_postgresql_the_page_is_sent_with_its_values_written_in(app, client, board, order):
    """PostgreSQL keeps one plan for a prepared statement without parameters; with the page's
    LIMIT and OFFSET as parameters it planned the page afresh every time. The count the page
    carries is written in too."""
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
                response = client.get(f"/?topic={topic}&page={page}&sort={order}")
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


def test_on_postgresql_the_page_carries_its_count(app, client, board):
    """On PostgreSQL the count is a column of the page's statement: one round trip fewer. SQLite
    runs its statements in-process, so it counts and reads the page in two."""
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
    # The topics and councils the form lists, read once and kept (another page: the results
    # cache would keep this one).
    client.get("/?outcome=worked")
    for path, headers in [("/", {}), ("/?topic=cyber-security", {"HX-Request": "true"})]:
        statements = statements_for(app, client, path, headers)
        counts = [statement for statement in statements if "count(*)" in statement]
        pages = [statement for statement in statements if "AS page_ids" in statement]
        assert len(counts) == 1 and len(pages) == 1
        assert (counts == pages) is postgresql


@pytest.mark.parametrize(
    ("path", "shown", "runs_the_count_alone"),
    [
        # No study matches: the page has no rows to carry the count.
        ("/?topic=cyber-security&outcome=ongoing", "No case studies match these filters", True),
        # Past the end: the page says how many there are, and that this page has none.
        ("/?topic=cyber-security&page=9", "There are no results on page 9", True),
        ("/?topic=cyber-security", 'class="app-study-card"', False),
    ],
)
def test_a_page_without_rows_still_says_how_many_match(
    app, client, board, path, shown, runs_the_count_alone
):
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
        filters = _filters([("topic", "cyber-security")])
        visible = queries.visible_conditions(None)
        matching = db.session.scalar(
            queries.capped_count_query([*visible, *queries.filter_conditions(filters)])
        )
    expected = 0 if "outcome" in path else matching
    assert expected != 1  # "case studies", not "case study"
    for headers in ({}, {"HX-Request": "true"}):
        statements = statements_for(app, client, path, headers)
        html = client.get(path, headers=headers).text
        assert f"{expected} case studies" in html
        assert shown in html
        counted_alone = [
            statement
            for statement in statements
            if "count(*)" in statement and "AS page_ids" not in statement
        ]
        assert len(counted_alone) == (1 if runs_the_count_alone or not postgresql else 0)


@pytest.mark.parametrize("count_limit", [queries.COUNT_LIMIT, 3], ids=["counted", "capped"])
@pytest.mark.parametrize("members", [False, True], ids=["visitor", "member"])
def test_the_count_shown_is_the_count_alone(app, board, members, count_limit, monkeypatch):
    """What the board says is how many match, as the count run alone says (as it did before
    PostgreSQL's page carried it), for every form of the statements and on every page."""
    monkeypatch.setattr(queries, "COUNT_LIMIT", count_limit)
    with app.app_context():
        viewer = make_user(make_council()) if members else None
        topics = db.session.scalars(queries.topics_query()).all()
        dialect = db.session.get_bind().dialect.name
        for args in [*ARGS, [("sort", "useful")], [("page", "2")], [("page", "40")]]:
            filters = _filters(args)
            per_page = 2
            shown = results.find_studies(filters, viewer, per_page, topics)
            offset = (filters.page - 1) * per_page
            count, _, parameters = queries.browse_statements(
                filters, members, dialect, per_page + 1, offset
            )
            alone = db.session.scalar(count, parameters)
            assert shown.total == alone, args
            assert shown.more is (alone >= count_limit), args
