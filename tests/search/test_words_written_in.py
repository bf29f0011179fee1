"""On PostgreSQL a search's words are written into the SQL text (board/search.py _pg_group),
so that a statement psycopg prepares is never planned once for any words; on SQLite they stay
parameters. Either way the words find what they should, quotes and all."""

from __future__ import annotations

import pytest

from board.extensions import db
from tests.factories import make_council, make_study
from tests.statements import statements_with_parameters_for


def search_statements(app, client, path: str) -> tuple[bool, list[tuple[str, object]]]:
    """Whether the database is PostgreSQL, and the full-text statements a GET of ``path`` ran
    with their parameters."""
    seen = statements_with_parameters_for(app, client, path)
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
    marker = "tsquery" if postgresql else "MATCH"
    searches = [(statement, parameters) for statement, parameters in seen if marker in statement]
    assert searches
    return postgresql, searches


@pytest.fixture
def studies(app):
    with app.app_context():
        council = make_council("Written In Council")
        make_study(council, title="Gritting routes by sensor", summary="Lorries went out.")
        make_study(council, title="O'Brien's parking permits", summary="Permits online.")
        db.session.commit()


def values_of(parameters) -> list[str]:
    values = parameters.values() if isinstance(parameters, dict) else parameters
    return [value.lower() for value in values if isinstance(value, str)]


@pytest.mark.parametrize(
    ("query", "word", "found"),
    [
        ("gritting", "gritting", "Gritting routes by sensor"),
        ("sensor gritting", "sensor", "Gritting routes by sensor"),
        ("o'brien's permits", "permits", "O&#39;Brien&#39;s parking permits"),
    ],
)
def test_the_words_are_written_in_on_postgresql_only(app, client, studies, query, word, found):
    postgresql, searches = search_statements(app, client, f"/?q={query}")
    for statement, parameters in searches:
        sent = " ".join(values_of(parameters))
        if postgresql:
            assert word in statement.lower()
            assert word not in sent
        else:
            assert word in sent
    assert found in client.get(f"/?q={query}").text


@pytest.mark.parametrize(
    "path",
    [
        "/?q=gritting",
        "/?q=gritting&topic=data-and-research",
        "/?q=gritting&outcome=worked&language=en&language=cy",
        "/api/v1/studies?q=gritting&outcome=worked&language=en&language=cy",
        "/?q=gritting+sensor&sort=newest&page=1",
        "/api/v1/studies?q=gritting",
    ],
)
def test_a_search_statement_has_no_parameters_on_postgresql(app, client, studies, path):
    """Every value written in, not only the words: with any left as a parameter, PostgreSQL
    may keep one plan for any values once the same search has run five times."""
    postgresql, searches = search_statements(app, client, path)
    for _statement, parameters in searches:
        assert (not parameters) == postgresql
