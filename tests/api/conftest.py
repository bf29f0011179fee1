"""A small board for the API's tests: public studies to filter and page through, and one study
in every state that must never appear."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from board.extensions import db
from board.models import (
    CostBand,
    CouncilType,
    Nation,
    Outcome,
    Status,
    TriedToo,
    Visibility,
)
from board.models.base import utcnow
from tests.conftest import base_config, make_test_app
from tests.factories import make_comment, make_council, make_study, make_user

PUBLIC_URL = "http://caseboard.example"
# Personal details of the people in the board: none may appear in any answer.
SECRETS = (
    "Priya Private",
    "priya.private@hereshire.gov.uk",
    "Head of Hidden Things",
    "A hidden comment nobody may read",
    "Members only near miss",
)
HIDDEN_TITLES = {
    "members": "Members only near miss",
    "draft": "Draft we have not finished",
    "submitted": "Submitted and waiting",
    "changes": "Changes were requested",
    "withdrawn": "Withdrawn by the council",
    "rejected": "Rejected by a moderator",
}


@pytest.fixture
def app(database_url):
    config = base_config(database_url)
    config.update(PUBLIC_URL=PUBLIC_URL, TRUSTED_HOSTS=["localhost"])
    app = make_test_app(config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def board(app):
    """Five public studies (newest first: a, b, c, d, e), and one of each hidden kind."""
    with app.app_context():
        now = utcnow()
        here = make_council(
            "Hereshire Council", nation=Nation.WALES, council_type=CouncilType.UNITARY
        )
        there = make_council("Thereshire Council", domain="thereshire.gov.uk")
        retired = make_council("Oldshire Council", retired_at=now)
        author = make_user(
            here,
            name="Priya Private",
            email="priya.private@hereshire.gov.uk",
            job_title="Head of Hidden Things",
        )
        member = make_user(there, name="Mem Ber")

        def public(key, council, minutes, **fields):
            return make_study(
                council, author, published_at=now - timedelta(minutes=minutes), **fields
            )

        studies = {
            "a": public(
                "a",
                here,
                1,
                title="Phishing drills for every officer",
                topics=["cyber-security"],
                outcome=Outcome.WORKED,
                cost_band=CostBand.UNDER_10K,
                what_we_learned="**Start** small <script>alert(1)</script>",
            ),
            "b": public("b", there, 2, title="Chatbot for council tax", topics=["cyber-security"]),
            "c": public("c", here, 3, title="Sensors in bins", topics=["smart-places-technology"]),
            "d": public("d", there, 4, title="Phishing filters we removed", useful_count=7),
            "e": public("e", retired, 5, title="Data warehouse", useful_count=3),
        }
        hidden = {
            "members": make_study(
                here,
                author,
                visibility=Visibility.MEMBERS,
                title=HIDDEN_TITLES["members"],
                topics=["cyber-security"],
            ),
        }
        for key, status in (
            ("draft", Status.DRAFT),
            ("submitted", Status.SUBMITTED),
            ("changes", Status.CHANGES_REQUESTED),
            ("withdrawn", Status.WITHDRAWN),
            ("rejected", Status.REJECTED),
        ):
            hidden[key] = make_study(
                here, author, status=status, title=HIDDEN_TITLES[key], topics=["cyber-security"]
            )
        comment = make_comment(studies["a"].id, author, "A hidden comment nobody may read")
        comment.hidden_at = now
        # "We tried this too" from another council, linking a public and a members-only study.
        db.session.add_all(
            [
                TriedToo(
                    case_study_id=studies["a"].id,
                    user_id=member.id,
                    council_id=there.id,
                    own_study_id=studies["b"].id,
                ),
                TriedToo(
                    case_study_id=studies["a"].id,
                    user_id=author.id,
                    council_id=here.id,
                    own_study_id=hidden["members"].id,
                ),
            ]
        )
        db.session.commit()
        return SimpleNamespace(
            ids={key: study.id for key, study in studies.items()},
            hidden={key: study.id for key, study in hidden.items()},
            here=here.slug,
            there=there.slug,
            retired=retired.slug,
            author=author,
            member=member,
        )


def titles(response) -> list[str]:
    return [study["title"] for study in response.get_json()["studies"]]


def walk(client, url: str) -> list[int]:
    """Every id from ``url`` on, following ``next``."""
    ids = []
    while url:
        response = client.get(url.removeprefix(PUBLIC_URL))
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        ids += [study["id"] for study in body["studies"]]
        url = body["next"]
    return ids
