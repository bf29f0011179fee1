"""Asking a question: who may, what a good question is, and nothing typed is lost."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from board.extensions import db
from board.models import Question, Topic, Visibility
from tests.conftest import csrf_token_from

GOOD = {
    "title": "Has any council used a chatbot for council tax queries?",
    "details": "We are looking at **chatbots** for the busy weeks in March.",
    "visibility": "members",
}


def topic_id(app, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Topic.id).where(Topic.slug == slug))


def post(client, data: dict, path: str = "/questions/new"):
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def questions(app) -> list[Question]:
    with app.app_context():
        return list(db.session.scalars(select(Question)))


def test_a_verified_member_asks_and_sees_the_question(app, client, as_role, world):
    as_role("author")
    data = {
        **GOOD,
        "topics": [topic_id(app, "digital-communications"), topic_id(app, "data-and-research")],
    }
    response = post(client, data)
    assert response.status_code == 302
    [question] = questions(app)
    assert (
        response.headers["Location"]
        == f"/questions/{question.id}/has-any-council-used-a-chatbot-for-council-tax-queries"
    )
    with app.app_context():
        question = db.session.get(Question, question.id)
        assert question.council_id == world.here.id
        assert question.author_id == world.people.author.id
        assert question.visibility is Visibility.MEMBERS
        assert [t.slug for t in question.topics] == ["digital-communications", "data-and-research"]
        assert question.hidden_at is None and question.answered_at is None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your question has been posted" in page
    assert "<strong>chatbots</strong>" in page
    assert (
        '<h1 class="govuk-heading-xl app-break-anywhere" lang="en">Has any council used a chatbot'
        in page
    )


def test_details_are_optional(app, client, as_role):
    as_role("colleague")
    response = post(
        client,
        {
            "title": "Has anyone tried smart bins?",
            "topics": topic_id(app, "smart-places-technology"),
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    assert questions(app)[0].details == ""


def test_a_title_with_line_breaks_stays_on_one_line(app, client, as_role):
    as_role("author")
    post(
        client,
        {
            **GOOD,
            "title": "Has any council\r\nused a chatbot?\u2028",
            "topics": topic_id(app, "cyber-security"),
        },
    )
    assert questions(app)[0].title == "Has any council used a chatbot?"


BAD_INPUT = [
    ({"title": ""}, "title", "Enter your question"),
    ({"title": "   "}, "title", "Enter your question"),
    ({"title": "Chatbots for council tax"}, "title", "Your question must end with a question mark"),
    ({"title": "Why " + "x" * 200 + "?"}, "title", "Your question must be 200 characters or fewer"),
    ({"details": "d" * 5001}, "details", "Details must be 5,000 characters or fewer"),
    ({"topics": None}, "topics", "Select at least one topic"),
    ({"topics": "999999"}, "topics", "Choose topics from the list"),
    ({"topics": "not-a-number"}, "topics", "Choose topics from the list"),
    ({"visibility": None}, "visibility", "Select who can read it"),
    ({"visibility": "secret"}, "visibility", "Not a valid choice"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_INPUT)
def test_bad_input_is_explained_and_kept(app, client, as_role, change, field, message):
    as_role("author")
    data = {**GOOD, "topics": topic_id(app, "cyber-security"), "details": "Kept <details> text"}
    data.update(change)
    data = {key: value for key, value in data.items() if value is not None}
    response = post(client, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in html
    assert html.count(message) >= 2, "said in the summary and beside the field"
    assert f'href="#{field}' in html
    assert "<title>Error: " in html
    if field != "details":
        assert "Kept &lt;details&gt; text" in html
    if field != "title":
        assert "Has any council used a chatbot for council tax queries?" in html
    assert questions(app) == []


def test_ticked_topics_are_kept(app, client, as_role):
    as_role("author")
    chosen = topic_id(app, "cyber-security")
    html = post(client, {**GOOD, "title": "", "topics": chosen}).get_data(as_text=True)
    assert f'value="{chosen}" checked' in html
    assert 'value="members" checked' in html


def test_a_failed_csrf_check_keeps_the_question(app, client, as_role):
    as_role("author")
    response = client.post(
        "/questions/new",
        data={**GOOD, "topics": topic_id(app, "cyber-security"), "csrf_token": "stale"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your session expired" in html
    assert "Has any council used a chatbot for council tax queries?" in html
    assert questions(app) == []


def test_visitors_are_sent_to_sign_in(client):
    response = client.get("/questions/new")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_a_visitor_whose_session_ended_keeps_their_text(app, client, as_role):
    as_role("visitor")
    response = post(client, {**GOOD, "topics": topic_id(app, "cyber-security")})
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "You have been signed out" in html
    assert "Has any council used a chatbot for council tax queries?" in html
    assert questions(app) == []


@pytest.mark.parametrize("role", ["unverified", "admin"])
def test_people_without_a_verified_council_are_told_why(app, client, as_role, role):
    as_role(role)
    response = client.get("/questions/new")
    assert response.status_code == 403
    assert "You cannot ask a question yet" in response.get_data(as_text=True)
    response = post(client, {**GOOD, "topics": topic_id(app, "cyber-security")})
    assert response.status_code == 403
    assert questions(app) == []


def test_a_moderator_with_a_council_asks_for_it(app, client, as_role, world):
    as_role("moderator")
    assert post(client, {**GOOD, "topics": topic_id(app, "cyber-security")}).status_code == 302
    assert questions(app)[0].council_id == world.there.id


def test_asking_is_rate_limited(app, client, as_role):
    app.config["POSTING_RATE_LIMIT"] = "2 per minute"
    as_role("author")
    data = {**GOOD, "topics": topic_id(app, "cyber-security")}
    assert post(client, data).status_code == 302
    assert post(client, data).status_code == 302
    refused = post(client, data)
    assert refused.status_code == 429
    assert "You have asked a lot of questions in a short time" in refused.text
    assert len(questions(app)) == 2


def test_the_form_says_what_a_question_looks_like(client, as_role):
    as_role("author")
    html = client.get("/questions/new").get_data(as_text=True)
    assert "ending with a question mark" in html
    assert "Details (optional)" in html
    assert 'name="visibility"' in html and 'name="topics"' in html
