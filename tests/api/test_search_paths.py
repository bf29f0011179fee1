"""The API's search is one more filter on its list (board/search.py matching_condition), kept as
one statement per kind of request (board/api/queries.py). On SQLite a search with many matches
is checked study by study along the list's order and one with few has its matches looked up
(search.is_common): either way the same studies in the same order, page after page. On
PostgreSQL the planner chooses, and the threshold changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from board import search
from board.api import queries
from board.extensions import db
from board.models.base import utcnow
from tests.api.conftest import walk
from tests.factories import make_council, make_study


@pytest.fixture
def welsh(app, board):
    """A Welsh study among the board's (newest of all), found by "phishing" as a Welsh word."""
    with app.app_context():
        study = make_study(
            make_council("Cyngor Sir Enghraifft"),
            language="cy",
            title="Hyfforddiant phishing i staff y cyngor",
            summary="Fe wnaethon ni brofi staff.",
            published_at=utcnow() - timedelta(seconds=30),
        )
        db.session.commit()
        return study.id


@pytest.fixture(params=["checked along the order", "matches looked up"])
def threshold(request, monkeypatch):
    """Every search common (each study checked along the order), or none (matches listed)."""
    monkeypatch.setattr(
        search, "COMMON_MATCHES", 1 if request.param == "checked along the order" else 10_000
    )
    return request.param


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=phishing", ["welsh", "a", "d"]),
        ("q=phishing&sort=useful", ["d", "welsh", "a"]),
        ("q=phishing&language=en", ["a", "d"]),
        ("q=phishing&language=cy", ["welsh"]),
        ("q=phishing+filters", ["d"]),
        ("q=phishing&topic=cyber-security", ["a"]),
        ("q=phishing&council=thereshire-council", ["d"]),
        ("q=volcano", []),
    ],
)
def test_a_search_lists_the_same_studies_whichever_way_it_is_matched(
    client, board, welsh, threshold, query, expected
):
    ids = {**board.ids, "welsh": welsh}
    wanted = [ids[key] for key in expected]
    # One page, and one study a page following the cursor: the same studies in the same order.
    response = client.get(f"/api/v1/studies?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert [study["id"] for study in response.get_json()["studies"]] == wanted
    assert walk(client, f"/api/v1/studies?{query}&limit=1") == wanted


def test_the_csv_of_a_search_has_every_match(client, board, welsh, threshold):
    response = client.get("/api/v1/studies.csv?q=phishing")
    assert response.status_code == 200
    rows = response.get_data(as_text=True).splitlines()[1:]
    assert [int(row.split(",", 1)[0]) for row in rows] == [welsh, board.ids["a"], board.ids["d"]]


def test_searches_of_one_kind_share_a_statement_with_their_own_values(client, board):
    queries._studies_statement.cache_clear()
    assert [s["id"] for s in client.get("/api/v1/studies?q=drills").get_json()["studies"]] == [
        board.ids["a"]
    ]
    kept = queries._studies_statement.cache_info().currsize
    assert kept >= 1
    # Another word of the same shape, and a filter's other value: the same kept statements.
    assert search.shape_of(search.plan_search("sensors")) == search.shape_of(
        search.plan_search("drills")
    )
    for query, expected in (
        ("q=sensors", ["c"]),
        ("q=drills&outcome=worked", ["a"]),
        ("q=drills&outcome=did-not-work", []),
        ("q=sensors&outcome=did-not-work", ["c"]),
    ):
        body = client.get(f"/api/v1/studies?{query}").get_json()
        assert [study["id"] for study in body["studies"]] == [board.ids[k] for k in expected]
    assert queries._studies_statement.cache_info().currsize <= kept + 1
