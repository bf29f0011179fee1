"""GET /api/v1/studies.csv: the board's filters, one row per published public study, streamed
in keyset batches, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import types

import pytest

from board.api import csv_export
from board.extensions import db
from tests.api.conftest import PUBLIC_URL
from tests.factories import make_council, make_study


def rows_of(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_a_header_row_then_one_row_per_study(client, board):
    response = client.get("/api/v1/studies.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.mimetype_params["charset"] == "utf-8"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="case-board-studies-'
    )
    assert response.get_data().startswith("\ufeff".encode())  # for Excel
    rows = rows_of(response)
    assert rows[0] == list(csv_export.HEADER)
    assert [int(row[0]) for row in rows[1:]] == [board.ids[key] for key in "abcde"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["title"] == "Phishing drills for every officer"
    assert (
        first["url"] == f"{PUBLIC_URL}/studies/{board.ids['a']}/phishing-drills-for-every-officer"
    )
    assert first["council"] == "Hereshire Council"
    assert first["nation"] == "Wales"
    assert first["council type"] == "Unitary authority"
    assert first["topics"] == "Cyber security"
    assert first["outcome"] == "Worked"
    assert first["cost band"] == "Under £10,000"
    assert first["published"].endswith("Z")
    assert first["useful count"] == "0"
    assert first["licence"].startswith("Open Government Licence v3.0")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=cyber-security", "ab"),
        ("council=thereshire-council&sort=useful", "db"),
        ("q=phishing", "ad"),
        ("nation=wales&outcome=worked", "a"),
    ],
)
def test_takes_the_boards_filters(client, board, query, expected):
    rows = rows_of(client.get(f"/api/v1/studies.csv?{query}"))
    assert [int(row[0]) for row in rows[1:]] == [board.ids[key] for key in expected]


def test_bad_filters_are_a_problem_not_an_empty_file(client, board):
    response = client.get("/api/v1/studies.csv?topic=nope")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_it_is_streamed_in_batches(client, board, monkeypatch):
    monkeypatch.setattr(csv_export, "BATCH_SIZE", 2)
    response = client.get("/api/v1/studies.csv", buffered=False)
    assert response.is_streamed
    chunks = [chunk for chunk in response.response if chunk]
    response.close()
    # The header, then three batches of at most two rows: never the whole file at once.
    assert len(chunks) == 4
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert [int(row[0]) for row in rows[1:]] == [board.ids[key] for key in "abcde"]


def test_the_rows_come_from_a_generator(app, board):
    from werkzeug.datastructures import MultiDict

    from board.api.studies import read_studies_query

    with app.test_request_context("/api/v1/studies.csv"):
        lines = csv_export.lines(read_studies_query(MultiDict(), paged=False), batch_size=2)
        assert isinstance(lines, types.GeneratorType)
        assert next(lines).startswith("\ufeffid,title")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_a_spreadsheet_would_run_are_neutralised(app, client, start):
    with app.app_context():
        council = make_council(f"{start}Council of cmd")
        make_study(
            council,
            title=f'{start}HYPERLINK("http://evil.example")',
            summary=f"{start}1+1",
        )
        db.session.commit()
    rows = rows_of(client.get("/api/v1/studies.csv"))
    row = dict(zip(rows[0], rows[1], strict=True))
    for column in ("title", "summary", "council"):
        assert row[column].startswith("'" + start), (column, row[column])


def test_harmless_cells_are_left_as_they_are():
    assert csv_export.neutralised("Chatbot = success") == "Chatbot = success"
    assert csv_export.neutralised(12) == "12"
    assert csv_export.neutralised(None) == ""
    assert csv_export.neutralised("-1") == "'-1"
