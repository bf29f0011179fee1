"""GET /api/v1/questions and /api/v1/questions/<id>: public questions that are not hidden, with
their visible answers, an attached study only when it is published and public, filters, keyset
pages, problems, one rate limit, and a constant number of queries."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import event

from board.extensions import db
from board.models import Status, Visibility
from board.models.base import utcnow
from tests.api.conftest import PUBLIC_URL, base_config, make_test_app
from tests.factories import make_council, make_study, make_user
from tests.question_rows import make_answer, make_question

SECRETS = ("Quinn Asker", "quinn.asker@hereshire.gov.uk", "Ann Swerer", "An answer nobody reads")


@pytest.fixture
def asked(app):
    """Questions (newest first: chatbots, sensors, phishing), one members-only and one hidden,
    with answers: one hidden, one helpful with a public study, others with studies nobody
    outside may read."""
    with app.app_context():
        now = utcnow()
        here = make_council("Hereshire Council")
        there = make_council("Thereshire Council")
        asker = make_user(here, name="Quinn Asker", email="quinn.asker@hereshire.gov.uk")
        helper = make_user(there, name="Ann Swerer")
        public_study = make_study(there, helper, title="Our chatbot pilot")
        members_study = make_study(
            there, helper, visibility=Visibility.MEMBERS, title="Members chatbot notes"
        )
        draft_study = make_study(there, helper, status=Status.DRAFT, title="Draft chatbot notes")

        def ask(title, minutes, **fields):
            return make_question(
                asker, title, created_at=now - timedelta(minutes=minutes), **fields
            )

        chatbots = ask(
            "Has any council tried chatbots?",
            1,
            topics=["digital-communications", "data-and-research"],
            details="We want **facts** <script>alert(1)</script>",
        )
        sensors = ask("Sensors in bins?", 2, topics=["smart-places-technology"])
        phishing = ask("Phishing drills that worked?", 3, topics=["cyber-security"])
        members = ask("Members only worry", 4, visibility=Visibility.MEMBERS)
        hidden = ask("Hidden spam question", 5, hidden_at=now, hidden_reason="Spam")
        helpful = make_answer(
            chatbots,
            helper,
            "It *worked* for us <img src=x onerror=alert(1)>",
            study_id=public_study.id,
            helpful_at=now,
            created_at=now - timedelta(seconds=50),
        )
        make_answer(
            chatbots,
            helper,
            "Our notes are for members",
            study_id=members_study.id,
            created_at=now - timedelta(seconds=40),
        )
        make_answer(
            chatbots,
            helper,
            "A draft of ours",
            study_id=draft_study.id,
            created_at=now - timedelta(seconds=30),
        )
        make_answer(
            chatbots,
            helper,
            "An answer nobody reads",
            hidden_at=now,
            created_at=now - timedelta(seconds=20),
        )
        make_answer(members, helper, "Members answer")
        db.session.commit()
        return SimpleNamespace(
            chatbots=chatbots.id,
            sensors=sensors.id,
            phishing=phishing.id,
            members=members.id,
            hidden=hidden.id,
            helpful=helpful.id,
            public_study=public_study.id,
            asker=asker,
            there=there.slug,
        )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [question["id"] for question in response.get_json()["questions"]]


def test_lists_public_questions_that_are_not_hidden_newest_first(client, asked):
    response = client.get("/api/v1/questions")
    assert response.mimetype == "application/json"
    assert ids(response) == [asked.chatbots, asked.sensors, asked.phishing]
    body = response.get_json()
    assert body["next"] is None
    first = body["questions"][0]
    assert first["url"].startswith(f"{PUBLIC_URL}/questions/{asked.chatbots}/")
    assert first["api_url"] == f"{PUBLIC_URL}/api/v1/questions/{asked.chatbots}"
    assert first["council"] == {
        "slug": "hereshire-council",
        "name": "Hereshire Council",
        "nation": "england",
        "type": "district",
    }
    assert [topic["slug"] for topic in first["topics"]] == [
        "digital-communications",
        "data-and-research",
    ]
    assert first["answered"] is True
    assert first["answered_at"].endswith("+00:00")
    assert first["asked_at"].endswith("+00:00")
    # The hidden answer is not counted.
    assert first["answer_count"] == 3
    text = response.get_data(as_text=True)
    for secret in (*SECRETS, "Members only worry", "Hidden spam question"):
        assert secret not in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=cyber-security", ["phishing"]),
        ("topic=cyber-security&topic=smart-places-technology", ["sensors", "phishing"]),
        ("topic=data-and-research", ["chatbots"]),  # the members-only one is not counted
        ("answered=true", ["chatbots"]),
        ("answered=false", ["sensors", "phishing"]),
        ("answered=FALSE&topic=cyber-security", ["phishing"]),
        ("answered=&topic=", ["chatbots", "sensors", "phishing"]),
        ("unknown=ignored", ["chatbots", "sensors", "phishing"]),
    ],
)
def test_filters_by_topic_and_answered(client, asked, query, expected):
    assert ids(client.get(f"/api/v1/questions?{query}")) == [
        getattr(asked, key) for key in expected
    ]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("topic=no-such-topic", "topic"),
        ("answered=maybe", "answered"),
        # A control character is no space to ignore (found by the schema's negative tests).
        ("answered=%1D", "answered"),
        ("answered=%0Atrue", "answered"),
        ("answered=true&answered=false", "answered"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("cursor=not-a-cursor", "cursor"),
    ],
)
def test_refuses_what_it_cannot_use_with_a_problem(client, asked, query, name):
    response = client.get(f"/api/v1/questions?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["type"] == f"{PUBLIC_URL}/api#problem-invalid-params"
    assert name in [param["name"] for param in body["invalid-params"]]


def test_a_studies_cursor_is_no_cursor_for_questions(client, app, asked):
    with app.app_context():
        here = make_council("Pagesham Council")
        for number in range(3):
            make_study(here, title=f"Paged study {number}")
        db.session.commit()
    studies_next = client.get("/api/v1/studies?limit=1").get_json()["next"]
    cursor = studies_next.split("cursor=")[1]
    response = client.get(f"/api/v1/questions?cursor={cursor}")
    assert response.status_code == 400


def test_pages_follow_next_without_skipping_or_repeating(client, app, asked):
    first = client.get("/api/v1/questions?limit=2&answered=")
    assert ids(first) == [asked.chatbots, asked.sensors]
    following = first.get_json()["next"]
    assert following.startswith(f"{PUBLIC_URL}/api/v1/questions?")
    assert "limit=2" in following
    assert first.headers["Link"] == f'<{following}>; rel="next"'
    # A question asked meanwhile goes first and shifts nothing.
    with app.app_context():
        make_question(asked.asker, "Asked while paging", topics=["cyber-security"])
        db.session.commit()
    second = client.get(following.removeprefix(PUBLIC_URL))
    assert ids(second) == [asked.phishing]
    assert second.get_json()["next"] is None
    assert "Link" not in second.headers
    filtered = client.get("/api/v1/questions?limit=1&topic=cyber-security").get_json()
    assert "topic=cyber-security" in filtered["next"]


def test_one_question_with_its_visible_answers(client, asked):
    response = client.get(f"/api/v1/questions/{asked.chatbots}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["title"] == "Has any council tried chatbots?"
    assert body["url"].startswith(f"{PUBLIC_URL}/questions/{asked.chatbots}/")
    assert body["details"]["markdown"].startswith("We want **facts**")
    assert "<strong>facts</strong>" in body["details"]["html"]
    assert "<script" not in body["details"]["html"]
    answers = body["answers"]
    assert [answer["body"]["markdown"][:10] for answer in answers] == [
        "It *worked",
        "Our notes ",
        "A draft of",
    ]
    helpful = answers[0]
    assert helpful["id"] == asked.helpful
    assert helpful["helpful"] is True
    assert "<em>worked</em>" in helpful["body"]["html"]
    assert "<img" not in helpful["body"]["html"]
    assert helpful["council"]["slug"] == asked.there
    assert helpful["answered_at"].endswith("+00:00")
    assert helpful["study"] == {
        "id": asked.public_study,
        "title": "Our chatbot pilot",
        "url": f"{PUBLIC_URL}/studies/{asked.public_study}/our-chatbot-pilot",
        "api_url": f"{PUBLIC_URL}/api/v1/studies/{asked.public_study}",
    }
    # Members-only and draft studies: not named, not linked.
    assert answers[1]["study"] is None and answers[1]["helpful"] is False
    assert answers[2]["study"] is None
    text = response.get_data(as_text=True)
    for secret in (*SECRETS, "Members chatbot notes", "Draft chatbot notes"):
        assert secret not in text
    assert body["answer_count"] == 3


@pytest.mark.parametrize("key", ["members", "hidden", "missing"])
def test_members_only_hidden_and_missing_questions_are_not_found(client, asked, sign_in, key):
    question_id = getattr(asked, key, 999_999)
    for signed_in in (False, True):  # as a visitor, then with a verified member's session
        if signed_in:
            sign_in(asked.asker)
        response = client.get(f"/api/v1/questions/{question_id}")
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"
        assert "Members" not in response.get_data(as_text=True)
    assert client.get(f"/api/v1/questions/{2**63}").status_code == 404


def test_a_members_session_changes_nothing(client, asked, sign_in):
    visitors = client.get("/api/v1/questions").get_data()
    sign_in(asked.asker)
    response = client.get("/api/v1/questions")
    assert response.get_data() == visitors
    assert "Set-Cookie" not in response.headers
    assert response.cache_control.public


def test_a_question_is_shareable_and_answers_304(client, asked):
    path = f"/api/v1/questions/{asked.chatbots}"
    first = client.get(path)
    assert first.cache_control.public and first.cache_control.s_maxage == 60
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert (
        client.get(path, headers={"Origin": "https://x.example"}).headers[
            "Access-Control-Allow-Origin"
        ]
        == "*"
    )


def _statements(app, client, path: str) -> int:
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements)


def test_the_same_queries_whatever_the_page_size(app, client, asked):
    with app.app_context():
        there = make_council("Manyham Council")
        helper = make_user(there)
        for number in range(30):
            question = make_question(
                asked.asker,
                f"Question number {number}",
                topics=["cyber-security", "smart-places-technology"],
            )
            for _ in range(3):
                make_answer(question, helper)
        db.session.commit()
    small = _statements(app, client, "/api/v1/questions?limit=2")
    large = _statements(app, client, "/api/v1/questions?limit=30")
    assert small == large
    # Topics (to check the filter), the page, its topics and its answer counts.
    assert large <= 4


def test_a_question_costs_the_same_queries_however_many_answers(app, client, asked):
    with app.app_context():
        helper = make_user(make_council("Manyham Council"))
        study = make_study(helper.council, helper)
        few = make_question(asked.asker, "Few answers", topics=["cyber-security"])
        make_answer(few, helper, study_id=study.id)
        many = make_question(
            asked.asker, "Many answers", topics=["cyber-security", "data-and-research"]
        )
        for _ in range(12):
            make_answer(many, helper, study_id=study.id)
        db.session.commit()
        few_id, many_id = few.id, many.id
    one = _statements(app, client, f"/api/v1/questions/{few_id}")
    twelve = _statements(app, client, f"/api/v1/questions/{many_id}")
    assert one == twelve
    assert twelve <= 4


@pytest.fixture
def limited_app(database_url):
    config = base_config(database_url)
    config.update(PUBLIC_URL=PUBLIC_URL, TRUSTED_HOSTS=["localhost"], API_RATE_LIMIT="2 per minute")
    app = make_test_app(config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_questions_share_the_apis_rate_limit(limited_app):
    client = limited_app.test_client()
    assert client.get("/api/v1/topics").status_code == 200
    assert client.get("/api/v1/questions").status_code == 200
    response = client.get("/api/v1/questions/1")
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) >= 1


def test_the_openapi_document_describes_questions(client, asked):
    document = client.get("/api/v1/openapi.json").get_json()
    listing = document["paths"]["/api/v1/questions"]["get"]
    parameters = {parameter["name"]: parameter for parameter in listing["parameters"]}
    assert set(parameters) == {"topic", "answered", "limit", "cursor"}
    assert "cyber-security" in parameters["topic"]["schema"]["items"]["enum"]
    assert parameters["answered"]["schema"]["enum"] == ["", "true", "false"]
    one = document["paths"]["/api/v1/questions/{question_id}"]["get"]
    assert "public question" in one["responses"]["404"]["description"]
    schema = document["components"]["schemas"]["Question"]
    assert {"answers", "details", "url", "answered"} <= set(schema["properties"])


@pytest.fixture
def api_app(database_url):
    config = base_config(database_url)
    config.update(
        PUBLIC_URL=PUBLIC_URL, TRUSTED_HOSTS=["localhost"], API_RATE_LIMIT="100000 per minute"
    )
    app = make_test_app(config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize(
    ("path", "mode"),
    [
        ("/api/v1/questions", GenerationMode.POSITIVE),
        ("/api/v1/questions", GenerationMode.NEGATIVE),
        ("/api/v1/questions/{question_id}", GenerationMode.POSITIVE),
    ],
)
def test_every_question_operation_keeps_to_its_description(api_app, asked, path, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)
    operation = schema[path]["GET"]
    calls = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def keeps_to_it(case):
        # A cursor is any text to the schema, but only one the API signed is taken.
        response = case.call_and_validate(
            headers={"Accept-Encoding": "identity"},
            excluded_checks=[positive_data_acceptance],
        )
        calls.append(response.status_code)

    keeps_to_it()
    assert calls and all(status < 500 for status in calls)
    # Every question of the board too: the public ones keep to the schema, the others are 404.
    if path.endswith("{question_id}"):
        for question_id in (asked.chatbots, asked.sensors, asked.members, asked.hidden):
            case = operation.Case(path_parameters={"question_id": question_id})
            response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
            public = question_id in (asked.chatbots, asked.sensors)
            assert response.status_code == (200 if public else 404)


def test_the_api_page_explains_questions_with_examples(client):
    from html import unescape

    html = unescape(client.get("/api").get_data(as_text=True))
    assert 'id="questions"' in html
    assert f"curl '{PUBLIC_URL}/api/v1/questions?topic=cyber-security&answered=false'" in html
    assert f"curl '{PUBLIC_URL}/api/v1/questions/7'" in html
    assert 'href="/feeds/questions.atom"' in html
