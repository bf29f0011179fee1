"""Topics and councils with their counts, and what no answer may ever hold: studies that are
not published and public, hidden comments, people's names, emails and job titles, whoever
asks, whatever the filters, counts included."""

from __future__ import annotations

import pytest

from tests.api.conftest import HIDDEN_TITLES, PUBLIC_URL, SECRETS

EVERY_ANSWER = [
    "/api/v1/studies?limit=100",
    "/api/v1/studies?topic=cyber-security&limit=100",
    "/api/v1/studies?council=hereshire-council&limit=100",
    "/api/v1/studies?q=members&limit=100",
    "/api/v1/studies?q=draft&limit=100",
    "/api/v1/studies?q=hidden&limit=100",
    "/api/v1/studies?sort=useful&limit=100",
    "/api/v1/studies.csv",
    "/api/v1/studies.csv?topic=cyber-security",
    "/api/v1/studies.csv?q=members",
    "/api/v1/topics",
    "/api/v1/councils",
    "/api/v1/openapi.json",
]


def test_topics_count_published_public_studies_only(client, board):
    response = client.get("/api/v1/topics")
    assert response.status_code == 200
    topics = {topic["slug"]: topic for topic in response.get_json()["topics"]}
    assert len(topics) == 7
    # a and b only: the members-only study and the five unpublished ones are not counted.
    assert topics["cyber-security"]["published_studies"] == 2
    assert topics["smart-places-technology"]["published_studies"] == 1
    assert topics["data-and-research"]["published_studies"] == 2  # d and e
    assert topics["cyber-security"]["url"] == f"{PUBLIC_URL}/topics/cyber-security"
    assert topics["cyber-security"]["studies_url"] == (
        f"{PUBLIC_URL}/api/v1/studies?topic=cyber-security"
    )
    assert topics["cyber-security"]["name"] == "Cyber security"
    assert topics["cyber-security"]["description"]


def test_councils_count_published_public_studies_only(client, board):
    councils = {
        council["slug"]: council
        for council in client.get("/api/v1/councils").get_json()["councils"]
    }
    assert set(councils) == {board.here, board.there, board.retired}
    # Hereshire wrote seven studies; only a and c are published and public.
    assert councils[board.here]["published_studies"] == 2
    assert councils[board.there]["published_studies"] == 2
    assert councils[board.retired]["published_studies"] == 1
    assert councils[board.retired]["retired"] is True
    assert councils[board.here]["retired"] is False
    assert councils[board.here]["nation"] == "wales"
    assert councils[board.here]["type"] == "unitary"
    assert councils[board.here]["studies_url"] == (
        f"{PUBLIC_URL}/api/v1/studies?council={board.here}"
    )


@pytest.mark.parametrize("who", ["visitor", "member", "author", "moderator"])
def test_nothing_private_in_any_answer_whoever_asks(app, client, board, sign_in, who):
    if who != "visitor":
        from board.extensions import db
        from board.models import Role
        from tests.factories import make_user

        with app.app_context():
            person = {
                "member": board.member,
                "author": board.author,
                "moderator": make_user(None, role=Role.MODERATOR),
            }[who]
            db.session.commit()
        sign_in(person)
    hidden_ids = set(board.hidden.values())
    for path in EVERY_ANSWER:
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        for secret in (*SECRETS, *HIDDEN_TITLES.values()):
            assert secret not in text, f"{secret!r} in {path} as {who}"
        assert "Set-Cookie" not in response.headers, path
        assert "Cookie" not in response.vary, path
        if path.startswith("/api/v1/studies?"):
            ids = {study["id"] for study in response.get_json()["studies"]}
            assert not ids & hidden_ids, path
    for study_id in hidden_ids:
        assert client.get(f"/api/v1/studies/{study_id}").status_code == 404


def test_the_answer_is_the_same_for_a_member_as_for_a_visitor(app, client, board, sign_in):
    as_visitor = {path: client.get(path).get_data() for path in EVERY_ANSWER[:7]}
    sign_in(board.member)
    assert client.get("/").status_code == 200  # the member's board does show members-only
    for path, body in as_visitor.items():
        assert client.get(path).get_data() == body, path
