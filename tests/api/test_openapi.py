"""The OpenAPI description is generated from the code, and the API keeps to it: schemathesis
calls every operation through the app, in-process, with inputs generated from openapi.json
(valid ones and invalid ones), and checks that nothing answers 5xx and that every answer
matches its documented status, media type and schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from board.extensions import db
from tests.api.conftest import PUBLIC_URL, base_config, make_test_app


def test_openapi_describes_every_operation(client, board):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": PUBLIC_URL}]
    assert document["info"]["license"]["name"] == "Open Government Licence v3.0"
    assert set(document["paths"]) == {
        "/api/v1/studies",
        "/api/v1/studies/{study_id}",
        "/api/v1/studies.csv",
        "/api/v1/topics",
        "/api/v1/councils",
        "/api/v1/questions",
        "/api/v1/questions/{question_id}",
    }
    studies = document["paths"]["/api/v1/studies"]["get"]
    parameters = {parameter["name"]: parameter for parameter in studies["parameters"]}
    assert set(parameters) == {
        "topic",
        "outcome",
        "council",
        "nation",
        "council_type",
        "language",
        "q",
        "sort",
        "limit",
        "cursor",
    }
    assert "cyber-security" in parameters["topic"]["schema"]["items"]["enum"]
    assert parameters["limit"]["schema"]["maximum"] == 100
    assert parameters["outcome"]["schema"]["enum"] == [
        "",
        "worked",
        "partly-worked",
        "did-not-work",
        "ongoing",
    ]
    assert studies["responses"]["400"]["content"]["application/problem+json"]
    study_schema = document["components"]["schemas"]["Study"]
    assert {"sections", "tried_too", "licence", "url"} <= set(study_schema["properties"])
    assert "null" in study_schema["properties"]["started_on"]["type"]


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


OPERATIONS = [
    "/api/v1/studies",
    "/api/v1/studies/{study_id}",
    "/api/v1/studies.csv",
    "/api/v1/topics",
    "/api/v1/councils",
]


# schemathesis' pytest plugin (schema.parametrize, from_fixture) does not run under pytest 9
# yet, so each operation's strategy drives Hypothesis directly, as schemathesis documents for
# tests of its own.
# Invalid inputs for the operations that take any.
CASES = [(path, GenerationMode.POSITIVE) for path in OPERATIONS] + [
    (path, GenerationMode.NEGATIVE) for path in OPERATIONS[:3]
]


@pytest.mark.parametrize(("path", "mode"), CASES)
def test_every_operation_keeps_to_its_description(api_app, board, path, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)
    operation = schema[path]["GET"]
    calls = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def keeps_to_it(case):
        # The in-process client does not undo brotli, which the app would send.
        response = case.call_and_validate(
            headers={"Accept-Encoding": "identity"},
            # A council text is any text, but one naming no council (or several) is refused:
            # that depends on the data, as no schema can say.
            excluded_checks=[positive_data_acceptance],
        )
        calls.append(response.status_code)

    keeps_to_it()
    assert calls, "no request was made"
    assert all(status < 500 for status in calls)
    if mode is GenerationMode.POSITIVE and path != "/api/v1/studies/{study_id}":
        assert 200 in calls


def test_a_real_study_keeps_to_its_description(api_app, board):
    """Generated ids are rarely those of studies: every study of the board, checked too."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)
    operation = schema["/api/v1/studies/{study_id}"]["GET"]
    for study_id in [*board.ids.values(), *board.hidden.values()]:
        case = operation.Case(path_parameters={"study_id": study_id})
        response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
        expected = 200 if study_id in board.ids.values() else 404
        assert response.status_code == expected
