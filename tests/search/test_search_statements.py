"""The board's search statements are built once for each shape of search, audience and set of
filters in use, and kept (board/browse/results.py, _search_statements): each search gives its
own words and filter values as parameters, a visitor never runs a member's statement, a change
to the studies shows at once, and a kept statement run without its words or a filter's value
fails rather than reuse another search's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import StatementError

from board import search
from board.browse import queries, results
from board.browse.forms import BoardFilters
from board.extensions import db
from board.models import CaseStudy, Outcome, Status, Topic, User, Visibility
from board.models.base import utcnow
from tests.factories import make_council, make_study, make_user

PER_PAGE = 20


@pytest.fixture
def shelf(app):
    with app.app_context():
        council = make_council("Kept Statements Council")
        author = make_user(council)
        now = utcnow()
        ids = {
            "phishing-title": make_study(
                council,
                author,
                title="Phishing drills for every officer",
                summary="We tested staff.",
                published_at=now - timedelta(days=30),
            ).id,
            "phishing-section": make_study(
                council,
                author,
                title="Backups in the cloud",
                what_happened="A phishing email locked a laptop.",
                outcome=Outcome.WORKED,
                published_at=now - timedelta(days=10),
            ).id,
            "kiosk": make_study(
                council,
                author,
                title="Kiosk at the station",
                summary="Timetables on a screen.",
                published_at=now - timedelta(days=5),
            ).id,
            "members": make_study(
                council,
                author,
                title="Members only phishing incident",
                visibility=Visibility.MEMBERS,
                published_at=now - timedelta(days=1),
            ).id,
        }
        member = make_user(make_council("Member Council"))
        db.session.commit()
        return ids, member.id


def found(text: str, viewer=None, **filters) -> list[int]:
    """The ids of the first page of the board's search for ``text``, in the page's order."""
    topics = list(db.session.scalars(db.select(Topic).order_by(Topic.position)))
    page = results.find_studies(BoardFilters(q=text, **filters), viewer, PER_PAGE, topics)
    return [card.id for card in page.items]


@pytest.fixture
def kept():
    """The kept statements, emptied before and after the test."""
    results._search_statements.cache_clear()
    yield results._search_statements
    results._search_statements.cache_clear()


def test_searches_of_one_shape_share_a_statement_and_each_finds_its_own_words(app, shelf, kept):
    ids, _ = shelf
    with app.app_context():
        assert found("kiosk") == [ids["kiosk"]]
        built = kept.cache_info().currsize
        assert found("backups") == [ids["phishing-section"]]
        assert found("kiosk") == [ids["kiosk"]]
        # One word each, with no synonyms or other spellings: the same shape, so no statement
        # was built for the later searches.
        assert search.shape_of(search.plan_search("backups")) == ((1,),)
        assert kept.cache_info().currsize == built
        assert kept.cache_info().hits >= 2


def test_a_visitor_never_runs_a_members_statement(app, shelf, kept):
    ids, member_id = shelf
    with app.app_context():
        member = db.session.get(User, member_id)
        assert ids["members"] in found("phishing", member)
        # The member's statement is kept first; the visitor's search must not use it.
        assert ids["members"] not in found("phishing")
        assert ids["members"] not in found("phishing", sort="newest")
        assert ids["members"] in found("phishing", member, sort="newest")


def test_a_change_to_the_studies_shows_at_once(app, shelf, kept):
    ids, _ = shelf
    with app.app_context():
        assert found("kiosk") == [ids["kiosk"]]
        council = make_council("Another Council")
        newer = make_study(council, title="Kiosk in the library", summary="A self-service kiosk.")
        db.session.commit()
        assert set(found("kiosk")) == {ids["kiosk"], newer.id}
        db.session.get(CaseStudy, newer.id).status = Status.WITHDRAWN
        db.session.commit()
        assert found("kiosk") == [ids["kiosk"]]


def test_a_kept_statement_without_its_words_fails(app, shelf, kept):
    with app.app_context():
        dialect = db.engine.dialect.name
        found("phishing")
        groups = search.plan_search("phishing")
        ranked, _ = kept(
            dialect, search.shape_of(groups), False, frozenset(), False, False, "relevance"
        )
        with pytest.raises(StatementError, match=r"phrase_0_0|match"):
            db.session.execute(
                ranked, {"candidate_limit": 200, "page_limit": PER_PAGE, "page_offset": 0}
            )
        db.session.rollback()


def test_the_kept_statements_are_bounded():
    assert results._search_statements.cache_info().maxsize == results.SEARCH_STATEMENTS
    assert 0 < results.SEARCH_STATEMENTS <= 1000


@pytest.mark.parametrize("text", ["phishing", "phishing laptop", "kiosk station", "volcano"])
def test_the_board_and_matching_studies_query_find_the_same_studies(app, shelf, kept, text):
    """matching_studies_query (the API, digests) binds the words into its statement; the board
    gives them to a kept one: the same search, the same studies in the same order."""
    with app.app_context():
        dialect = db.engine.dialect.name
        # Fewer matches than the limit: the board ranks them with bm25 on SQLite too.
        query = search.matching_studies_query(text, None, dialect)
        direct = [
            row.id
            for row in sorted(db.session.execute(query), key=lambda row: (-row.score, -row.id))
        ]
        assert found(text) == direct[:PER_PAGE]


def test_a_filtered_search_keeps_one_statement_for_its_filters_and_gives_their_values(
    app, shelf, kept
):
    ids, _ = shelf
    with app.app_context():
        assert found("kiosk", outcome=Outcome.DID_NOT_WORK) == [ids["kiosk"]]
        built = kept.cache_info().currsize
        assert built > 0
        # The same filter with another value, and other words of the same shape: the kept
        # statement, with these values.
        assert search.shape_of(search.plan_search("laptop")) == ((1,),)
        assert found("laptop", outcome=Outcome.WORKED) == [ids["phishing-section"]]
        assert found("kiosk", outcome=Outcome.WORKED) == []
        assert kept.cache_info().currsize == built
        assert found("phishing", outcome=Outcome.DID_NOT_WORK) == [ids["phishing-title"]]
        assert found("phishing", languages=["en"]) == [
            ids["phishing-title"],
            ids["phishing-section"],
        ]
        assert found("phishing", languages=["cy"]) == []
        # Two languages are one list parameter: every value of the list is used.
        assert found("phishing", languages=["en", "cy"]) == [
            ids["phishing-title"],
            ids["phishing-section"],
        ]


def test_a_filtered_search_never_runs_a_members_statement_for_a_visitor(app, shelf, kept):
    ids, member_id = shelf
    with app.app_context():
        member = db.session.get(User, member_id)
        assert ids["members"] in found("phishing", member, outcome=Outcome.DID_NOT_WORK)
        assert ids["members"] not in found("phishing", outcome=Outcome.DID_NOT_WORK)


def test_a_kept_statement_without_a_filters_value_fails(app, shelf, kept):
    with app.app_context():
        dialect = db.engine.dialect.name
        groups = search.plan_search("phishing")
        ranked, _ = kept(
            dialect,
            search.shape_of(groups),
            False,
            frozenset({queries.OUTCOME}),
            False,
            False,
            "relevance",
        )
        words = search.search_parameters(groups, dialect)
        with pytest.raises(StatementError, match=queries.OUTCOME):
            db.session.execute(
                ranked,
                {**words, "candidate_limit": 200, "page_limit": PER_PAGE, "page_offset": 0},
            )
        db.session.rollback()
