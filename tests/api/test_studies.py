"""GET /api/v1/studies and /api/v1/studies/<id>: the board's filters, keyset pages, every
public field, and nothing that is not published and public."""

from __future__ import annotations

import pytest

from board.api import cursor
from board.extensions import db
from board.models import Status
from board.models.base import utcnow
from tests.api.conftest import PUBLIC_URL, titles, walk
from tests.factories import make_council, make_study


def test_lists_published_public_studies_newest_first(client, board):
    response = client.get("/api/v1/studies")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert [study["id"] for study in body["studies"]] == [
        board.ids[key] for key in ("a", "b", "c", "d", "e")
    ]
    assert body["next"] is None
    assert body["licence"]["name"] == "Open Government Licence v3.0"
    first = body["studies"][0]
    assert (
        first["url"] == f"{PUBLIC_URL}/studies/{board.ids['a']}/phishing-drills-for-every-officer"
    )
    assert first["api_url"] == f"{PUBLIC_URL}/api/v1/studies/{board.ids['a']}"
    assert first["council"] == {
        "slug": board.here,
        "name": "Hereshire Council",
        "nation": "wales",
        "type": "unitary",
    }
    assert first["topics"] == [{"slug": "cyber-security", "name": "Cyber security"}]
    assert first["outcome"] == "worked"
    assert first["cost_band"] == "under-10k"
    assert first["published_at"].endswith("+00:00")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=cyber-security", ["a", "b"]),
        ("topic=cyber-security&topic=smart-places-technology", ["a", "b", "c"]),
        ("outcome=worked", ["a"]),
        ("council=hereshire-council", ["a", "c"]),
        ("council=THERESHIRE", ["b", "d"]),
        ("nation=wales", ["a", "c"]),
        ("council_type=unitary", ["a", "c"]),
        ("q=phishing", ["a", "d"]),
        ("q=phishing&sort=useful", ["d", "a"]),
        ("sort=useful", ["d", "e", "a", "b", "c"]),
        ("topic=cyber-security&outcome=did-not-work&council=thereshire-council", ["b"]),
        ("q=the", ["a", "b", "c", "d", "e"]),  # only a stop word: no search, as on the board
        ("unknown=ignored", ["a", "b", "c", "d", "e"]),
        # Empty fields, as the board's form sends them without JavaScript: "any".
        ("q=&topic=&outcome=&council=&nation=&council_type=&sort=", ["a", "b", "c", "d", "e"]),
    ],
)
def test_takes_the_boards_filters(client, board, query, expected):
    response = client.get(f"/api/v1/studies?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert [study["id"] for study in response.get_json()["studies"]] == [
        board.ids[key] for key in expected
    ]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("topic=no-such-topic", "topic"),
        ("topic=" + "&topic=".join(["cyber-security"] * 9), "topic"),
        ("outcome=maybe", "outcome"),
        ("nation=atlantis", "nation"),
        ("council_type=parish", "council_type"),
        ("council=shire", "council"),  # several councils match
        ("council=nowhere-at-all", "council"),
        ("sort=relevance", "sort"),
        ("sort=oldest", "sort"),
        ("q=" + "x" * 201, "q"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=abc", "limit"),
        ("limit=", "limit"),
        ("outcome=worked&outcome=worked", "outcome"),
        ("limit=2&limit=3", "limit"),
        ("limit=-5", "limit"),
        ("limit=1e2", "limit"),
        ("limit=" + "9" * 400, "limit"),
        ("cursor=garbage", "cursor"),
        ("cursor=" + "A" * 5000, "cursor"),
    ],
)
def test_refuses_what_it_cannot_use_with_a_problem(client, board, query, name):
    response = client.get(f"/api/v1/studies?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 400
    assert body["type"] == f"{PUBLIC_URL}/api#problem-invalid-params"
    assert body["title"] and body["detail"]
    assert [param["name"] for param in body["invalid-params"]] == [name]
    assert body["invalid-params"][0]["reason"]


def test_says_every_bad_parameter_at_once(client, board):
    body = client.get("/api/v1/studies?outcome=maybe&nation=mars&limit=0").get_json()
    assert {param["name"] for param in body["invalid-params"]} == {"outcome", "nation", "limit"}


def test_pages_follow_next_to_the_end_without_skipping_or_repeating(client, board):
    first = client.get("/api/v1/studies?limit=2&topic=cyber-security&topic=smart-places-technology")
    body = first.get_json()
    assert len(body["studies"]) == 2
    assert body["next"].startswith(f"{PUBLIC_URL}/api/v1/studies?")
    assert "topic=cyber-security" in body["next"] and "limit=2" in body["next"]
    assert first.headers["Link"] == f'<{body["next"]}>; rel="next"'
    everything = walk(client, "/api/v1/studies?limit=2")
    assert everything == [board.ids[key] for key in ("a", "b", "c", "d", "e")]
    assert walk(client, "/api/v1/studies?limit=1&sort=useful") == [
        board.ids[key] for key in ("d", "e", "a", "b", "c")
    ]
    assert walk(client, "/api/v1/studies?limit=1&q=phishing") == [board.ids["a"], board.ids["d"]]


def test_a_study_published_between_pages_is_neither_skipped_nor_repeated(app, client, board):
    body = client.get("/api/v1/studies?limit=2").get_json()
    seen = [study["id"] for study in body["studies"]]
    with app.app_context():
        council = make_council("Newshire Council")
        new = make_study(council, title="Published meanwhile", published_at=utcnow())
        db.session.commit()
        new_id = new.id
    rest = walk(client, body["next"])
    assert seen + rest == [board.ids[key] for key in ("a", "b", "c", "d", "e")]
    assert new_id not in rest
    # A reader starting now sees it first.
    assert client.get("/api/v1/studies?limit=1").get_json()["studies"][0]["id"] == new_id


def test_a_study_unpublished_between_pages_is_just_left_out(app, client, board):
    body = client.get("/api/v1/studies?limit=2").get_json()
    with app.app_context():
        from board.models import CaseStudy

        db.session.get(CaseStudy, board.ids["c"]).status = Status.WITHDRAWN
        db.session.commit()
    assert walk(client, body["next"]) == [board.ids["d"], board.ids["e"]]


def test_a_tampered_cursor_is_refused(app, client, board):
    url = client.get("/api/v1/studies?limit=1").get_json()["next"]
    token = url.split("cursor=")[1]
    payload, _, signature = token.partition(".")
    forged = payload[:-2] + ("AA" if not payload.endswith("AA") else "BB") + "." + signature
    for bad in (forged, payload + ".", "." + signature, token + "x"):
        response = client.get(f"/api/v1/studies?limit=1&cursor={bad}")
        assert response.status_code == 400, bad
        assert response.get_json()["invalid-params"][0]["name"] == "cursor"
    # A well-signed cursor of another order, or of a made-up shape, is refused too.
    response = client.get(f"/api/v1/studies?limit=1&sort=useful&cursor={token}")
    assert response.status_code == 400
    assert "newest" in response.get_json()["invalid-params"][0]["reason"]
    with app.test_request_context():
        odd = cursor._serializer().dumps(["newest", "yesterday", 1])
        huge = cursor._serializer().dumps(["newest", "2026-01-01T00:00:00+00:00", 2**70])
    for bad in (odd, huge):
        assert client.get(f"/api/v1/studies?cursor={bad}").status_code == 400


def test_a_study_has_every_public_field(client, board):
    response = client.get(f"/api/v1/studies/{board.ids['a']}")
    assert response.status_code == 200
    study = response.get_json()
    assert study["id"] == board.ids["a"]
    assert study["title"] == "Phishing drills for every officer"
    assert study["url"].startswith(PUBLIC_URL + "/studies/")
    assert study["council"]["slug"] == board.here
    assert study["licence"]["url"].startswith("https://www.nationalarchives.gov.uk/")
    sections = {section["id"]: section for section in study["sections"]}
    assert list(sections) == [
        "challenge",
        "what_we_tried",
        "what_happened",
        "what_we_learned",
        "what_we_would_do_differently",
    ]
    learned = sections["what_we_learned"]
    assert learned["heading"] == "What we learned"
    assert learned["markdown"] == "**Start** small <script>alert(1)</script>"
    assert "<strong>Start</strong>" in learned["html"]
    assert "<script>" not in learned["html"]
    # The council that tried it too, with its public write-up; the members-only one is not
    # linked (its council is named: that it tried is public).
    tried = {entry["council"]["slug"]: entry for entry in study["tried_too"]}
    assert [link["id"] for link in tried[board.there]["studies"]] == [board.ids["b"]]
    assert tried[board.here]["studies"] == []
    assert study["useful_count"] == 0
    assert {"published_at", "updated_at", "started_on", "ended_on", "cost_band"} <= set(study)


def test_canonical_urls_come_from_public_url_not_the_host_header(client, board):
    study = client.get(
        f"/api/v1/studies/{board.ids['a']}", headers={"X-Forwarded-Host": "evil.example"}
    ).get_json()
    assert study["url"].startswith(PUBLIC_URL)
    assert "evil" not in str(study)


@pytest.mark.parametrize(
    "kind", ["members", "draft", "submitted", "changes", "withdrawn", "rejected"]
)
@pytest.mark.parametrize("signed_in", [False, True])
def test_no_study_but_published_public_ones_is_there(client, board, sign_in, kind, signed_in):
    if signed_in:
        sign_in(board.member)  # a verified member, who reads members-only studies on the site
    response = client.get(f"/api/v1/studies/{board.hidden[kind]}")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 404
    listing = client.get("/api/v1/studies?topic=cyber-security&limit=100")
    assert board.hidden[kind] not in [study["id"] for study in listing.get_json()["studies"]]


@pytest.mark.parametrize(
    "path", ["/api/v1/studies/0", f"/api/v1/studies/{2**64}", "/api/v1/studies/x"]
)
def test_ids_that_cannot_be_are_not_found(client, board, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_titles_helper_sanity(client, board):
    assert titles(client.get("/api/v1/studies?outcome=worked")) == [
        "Phishing drills for every officer"
    ]
