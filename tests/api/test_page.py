"""The page at /api that explains the API, and the board's link to the CSV of its view."""

from __future__ import annotations

from html import unescape

import pytest

from tests.api.conftest import PUBLIC_URL


def test_the_api_page_explains_it_with_examples(client, board):
    response = client.get("/api")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = unescape(response.get_data(as_text=True))
    assert 'href="/api/v1/openapi.json"' in html
    assert f"curl '{PUBLIC_URL}/api/v1/studies?topic=cyber-security&outcome=did-not-work'" in html
    assert 'id="problem-invalid-params"' in html  # where invalid-params problems point
    assert "Open Government Licence v3.0" in html
    assert "120 per minute and 2000 per hour" in html
    assert "Access-Control-Allow-Origin" not in response.headers


def csv_link(html: str) -> str:
    start = html.index('class="govuk-body app-download-results"><a class="govuk-link" href="')
    start = html.index('href="', start) + len('href="')
    return unescape(html[start : html.index('"', start)])


@pytest.mark.parametrize(
    ("board_path", "expected"),
    [
        ("/", "/api/v1/studies.csv"),
        (
            "/?topic=cyber-security&outcome=did-not-work&sort=useful",
            "/api/v1/studies.csv?topic=cyber-security&outcome=did-not-work&sort=useful",
        ),
        # Relevance is the board's; the CSV is newest first.
        ("/?q=phishing", "/api/v1/studies.csv?q=phishing"),
        # A council text naming no single council is ignored by the board, and so by the link.
        ("/?council=shire&nation=wales", "/api/v1/studies.csv?nation=wales"),
        ("/topics/cyber-security", "/api/v1/studies.csv?topic=cyber-security"),
        ("/councils/thereshire-council", "/api/v1/studies.csv?council=thereshire-council"),
    ],
)
def test_the_board_links_to_the_csv_of_its_view(client, board, board_path, expected):
    link = csv_link(client.get(board_path).get_data(as_text=True))
    assert link == expected
    # The link gives what the board shows (the public studies of it).
    assert client.get(link).status_code == 200


def test_the_link_follows_the_filters_when_htmx_swaps_the_results(client, board):
    response = client.get(
        "/?outcome=worked",
        headers={"HX-Request": "true", "HX-Target": "results", "HX-Trigger": "filters"},
    )
    assert csv_link(response.get_data(as_text=True)) == "/api/v1/studies.csv?outcome=worked"


def test_members_are_told_the_csv_has_public_studies_only(client, board, sign_in):
    assert "members-only studies are not included" not in client.get("/").get_data(as_text=True)
    sign_in(board.member)
    assert "members-only studies are not included" in client.get("/").get_data(as_text=True)
