"""Attaching a study to an answer ("we tried this"): the council's own from a list, another's
by its address or number; shown only to those who may read it."""

from __future__ import annotations

import pytest

from board.extensions import db
from board.models import Answer, Status, Visibility
from board.questions.answer_forms import NO_SUCH_STUDY, NOT_A_STUDY_ADDRESS, study_id_from_address
from tests.answers.conftest import make_answer, make_question, post, sign_out
from tests.factories import make_study


def attached(app, question_id):
    with app.app_context():
        return [
            answer.study_id
            for answer in db.session.scalars(
                db.select(Answer).where(Answer.question_id == question_id)
            )
        ]


@pytest.fixture
def studies(app, world):
    with app.app_context():
        made = {
            "own": make_study(world.there, title="Thereshire chatbot"),
            "own_draft": make_study(world.there, status=Status.DRAFT, title="Unfinished"),
            "other": make_study(world.here, title="Hereshire webchat"),
            "other_members": make_study(
                world.here, visibility=Visibility.MEMBERS, title="Members-only webchat"
            ),
            "other_draft": make_study(world.here, status=Status.DRAFT, title="Secret draft"),
            "other_submitted": make_study(world.here, status=Status.SUBMITTED, title="Waiting"),
        }
        db.session.commit()
        return {name: study.id for name, study in made.items()}


def test_the_list_offers_the_council_s_published_studies(app, client, as_role, question, studies):
    as_role("outsider")
    page = client.get(f"/test/questions/{question}").text
    assert "Thereshire chatbot" in page
    assert "Unfinished" not in page and "Hereshire webchat" not in page
    response = post(
        client, f"/questions/{question}/answers", body="See ours", own_study=str(studies["own"])
    )
    assert response.status_code == 302
    assert attached(app, question) == [studies["own"]]
    page = client.get(f"/test/questions/{question}").text
    answers = page[page.index('id="answers-list"') :]
    assert "We tried this:" in answers and "Thereshire chatbot" in answers
    assert f'href="/studies/{studies["own"]}/thereshire-chatbot"' in answers


def test_a_member_without_published_studies_sees_no_list(client, as_role, question):
    as_role("outsider")
    page = client.get(f"/test/questions/{question}").text
    assert 'name="own_study"' not in page and 'name="other_study"' in page


@pytest.mark.parametrize(
    "address",
    [
        "{id}",
        "/studies/{id}",
        "/studies/{id}/hereshire-webchat",
        "studies/{id}/anything",
        "http://localhost/studies/{id}/hereshire-webchat?x=1#top",
    ],
)
def test_another_council_s_study_by_its_address(app, client, as_role, question, studies, address):
    as_role("outsider")
    response = post(
        client,
        f"/questions/{question}/answers",
        body="Theirs",
        other_study=address.format(id=studies["other"]),
    )
    assert response.status_code == 302, response.text
    assert attached(app, question) == [studies["other"]]


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("other_draft", NO_SUCH_STUDY),
        ("other_submitted", NO_SUCH_STUDY),
        ("own_draft", NO_SUCH_STUDY),
        ("missing", NO_SUCH_STUDY),
        ("elsewhere", NOT_A_STUDY_ADDRESS),
        ("words", NOT_A_STUDY_ADDRESS),
        ("not_a_study_page", NOT_A_STUDY_ADDRESS),
        ("huge", NOT_A_STUDY_ADDRESS),
        ("nul", NOT_A_STUDY_ADDRESS),
    ],
)
def test_a_study_that_cannot_be_attached_is_refused(
    app, client, as_role, question, studies, which, message
):
    addresses = {
        "missing": "/studies/987654",
        "elsewhere": f"https://evil.example/studies/{studies['other']}",
        "words": "the one about chatbots",
        "not_a_study_page": "/councils/hereshire-council",
        "huge": "/studies/99999999999999999999",
        "nul": "/studies/x\x00y",
    }
    address = addresses.get(which) or f"/studies/{studies.get(which)}"
    as_role("outsider")
    for htmx in (False, True):
        response = post(
            client, f"/questions/{question}/answers", htmx=htmx, body="Text", other_study=address
        )
        assert response.status_code == 422
        html = response.text
        kept = address.replace("\x00", "")
        assert message.replace("'", "&#39;") in html and kept in html and "Text" in html
    assert attached(app, question) == []


def test_a_member_may_attach_another_council_s_members_only_study(
    app, client, as_role, question, studies
):
    # Verified members read members-only studies; the page shows it only to those who may.
    as_role("outsider")
    address = str(studies["other_members"])
    post(client, f"/questions/{question}/answers", body="x", other_study=address)
    assert attached(app, question) == [studies["other_members"]]


def test_another_council_s_study_cannot_be_chosen_from_the_list(
    app, client, as_role, question, studies
):
    as_role("outsider")
    response = post(
        client, f"/questions/{question}/answers", body="x", own_study=str(studies["other"])
    )
    assert response.status_code == 422
    assert attached(app, question) == []


@pytest.mark.parametrize("value", ["99999999999999999999", "abc", "-1", "²"])
def test_a_list_choice_that_is_not_offered_is_refused(app, client, as_role, question, value):
    as_role("outsider")
    response = post(client, f"/questions/{question}/answers", body="x", own_study=value)
    assert response.status_code == 422
    assert attached(app, question) == []


def test_both_a_list_choice_and_an_address_is_refused(app, client, as_role, question, studies):
    as_role("outsider")
    response = post(
        client,
        f"/questions/{question}/answers",
        body="x",
        own_study=str(studies["own"]),
        other_study=str(studies["other"]),
    )
    assert response.status_code == 422 and "not both" in response.text


def test_a_members_only_study_is_never_shown_to_visitors(app, client, as_role, world, studies):
    with app.app_context():
        question = make_question(world.people.author)
        make_answer(question, world.people.outsider, body="Look", study_id=studies["other_members"])
        db.session.commit()
        question_id = question.id
    as_role("visitor")
    page = client.get(f"/test/questions/{question_id}").text
    assert "Look" in page
    assert "Members-only webchat" not in page and "We tried this" not in page
    assert f"/studies/{studies['other_members']}" not in page
    as_role("unverified")
    page = client.get(f"/test/questions/{question_id}").text
    assert "Members-only webchat" not in page and "We tried this" not in page
    sign_out(client)
    as_role("colleague")
    assert "Members-only webchat" in client.get(f"/test/questions/{question_id}").text


def test_a_study_no_longer_published_disappears_from_the_answer(app, client, as_role, world):
    with app.app_context():
        study = make_study(world.there, title="Pulled study")
        question = make_question(world.people.author)
        make_answer(question, world.people.outsider, study_id=study.id)
        study.status = Status.WITHDRAWN
        db.session.commit()
        question_id = question.id
    as_role("outsider")  # even to its own council, an answer links only to what is published
    page = client.get(f"/test/questions/{question_id}").text
    assert "Pulled study" not in page and "We tried this" not in page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("#12", 12),
        (" /studies/12 ", 12),
        ("/studies/12/", 12),
        ("/studies/12/slug", 12),
        ("/studies/12/slug/", 12),
        ("http://localhost/studies/12", 12),
        ("https://localhost/studies/12/slug?a=b", 12),
        ("https://other.example/studies/12", None),
        ("javascript:alert(1)", None),
        ("/studies/12/slug/more", None),
        ("/studies/new", None),
        ("", None),
        ("12345678901234", None),
    ],
)
def test_study_addresses(app, text, expected):
    with app.test_request_context("/", base_url="http://localhost"):
        assert study_id_from_address(text) == expected
