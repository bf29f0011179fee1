"""Search quality, measured: the labelled queries of labelled_queries.toml, searched the way
the board searches, must find a right study in the top 3 for at least 90% of them.

The figure is printed (pytest -s shows it) with every miss, so that a change to search can be
judged by it, and the file can grow without touching this test.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from board.browse.forms import BoardFilters
from board.browse.results import find_studies
from board.extensions import db
from board.models import Topic
from tests.factories import make_council, make_study, make_user

LABELLED = Path(__file__).with_name("labelled_queries.toml")
TOP = 3
REQUIRED_SHARE = 0.90


def labelled() -> dict:
    with LABELLED.open("rb") as file:
        return tomllib.load(file)


def test_the_labelled_set_is_big_enough_and_well_formed():
    data = labelled()
    queries = data["query"]
    assert len(queries) >= 40
    assert len({entry["q"].lower() for entry in queries}) == len(queries), "a query twice"
    for entry in queries:
        assert entry["q"].strip() and entry["want"] and entry["note"], entry


def add_studies(studies: list[dict]) -> None:
    councils = {}
    for fields in studies:
        fields = dict(fields)
        name = fields.pop("council")
        council = councils.get(name) or make_council(name)
        councils[name] = council
        make_study(council, make_user(council), **fields)


def test_search_finds_a_right_study_in_the_top_three(app):
    data = labelled()
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        add_studies(data.get("study", []))
        # A member of a council: members-only studies count too.
        viewer = make_user(make_council("Labelled Set Council"))
        db.session.commit()
        topics = list(db.session.scalars(db.select(Topic).order_by(Topic.position)))
        titles = set(db.session.scalars(db.text("SELECT title FROM case_studies")))
        hits, misses = 0, []
        for entry in data["query"]:
            unknown = [title for title in entry["want"] if title not in titles]
            assert not unknown, f"{entry['q']!r} wants studies that do not exist: {unknown}"
            page = find_studies(BoardFilters(q=entry["q"]), viewer, TOP, topics)
            found = [card.title for card in page.items[:TOP]]
            if set(found) & set(entry["want"]):
                hits += 1
            else:
                misses.append(f"{entry['q']!r} ({entry['note']}): {found}")
    share = hits / len(data["query"])
    report = (
        f"{hits} of {len(data['query'])} queries ({share:.0%}) found a right study in the top {TOP}"
    )
    print(report, *misses, sep="\n  ")
    if share < REQUIRED_SHARE:
        pytest.fail(report + ". Missed:\n  " + "\n  ".join(misses))
