"""Property-based tests: no form input, however strange, gives a server error."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.extensions import db
from board.models import Comment, Topic
from tests.conftest import csrf_token_from
from tests.factories import make_council, make_study, make_user

# Any text: control characters, NUL, surrogates excluded (they cannot be sent as UTF-8),
# right-to-left marks, emoji, very long strings.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=3000)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_no_server_error(response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]


def token(client, path: str) -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


@SETTINGS
@given(name=ANY_TEXT, email=ANY_TEXT, job=ANY_TEXT, password=ANY_TEXT, role=ANY_TEXT)
def test_registration_never_fails(app, name, email, job, password, role):
    app.config["REGISTER_RATE_LIMIT"] = "100000 per second"
    client = app.test_client()
    data = {
        "name": name,
        "email": email,
        "job_title": job,
        "password": password,
        "council_role": role,
        "csrf_token": token(client, "/auth/register"),
    }
    assert_no_server_error(client.post("/auth/register", data=data))


@SETTINGS
@given(email=ANY_TEXT, password=ANY_TEXT, next_url=ANY_TEXT)
def test_sign_in_and_reset_never_fail(app, email, password, next_url):
    app.config["LOGIN_RATE_LIMIT"] = app.config["RESET_RATE_LIMIT"] = "100000 per second"
    client = app.test_client()
    login = {"email": email, "password": password, "csrf_token": token(client, "/auth/login")}
    assert_no_server_error(client.post("/auth/login", query_string={"next": next_url}, data=login))
    reset = {"email": email, "csrf_token": token(client, "/auth/reset")}
    assert_no_server_error(client.post("/auth/reset", data=reset))


@pytest.fixture
def writer(app):
    with app.app_context():
        council = make_council()
        user = make_user(council, email="writer@testshire.gov.uk")
        study = make_study(council, user)
        db.session.commit()
        return user.email, study.id


@SETTINGS
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            name: ANY_TEXT
            for name in (
                "title",
                "summary",
                "outcome",
                "challenge",
                "what_we_tried",
                "what_happened",
                "what_we_learned",
                "what_we_would_do_differently",
                "started_month",
                "started_year",
                "ended_month",
                "ended_year",
                "cost_band",
                "visibility",
                "topics",
                "action",
            )
        },
    ),
    comment=ANY_TEXT,
    board_query=st.dictionaries(
        st.sampled_from(
            ["q", "topic", "outcome", "council", "nation", "council_type", "sort", "page"]
        ),
        ANY_TEXT,
    ),
)
def test_writing_commenting_and_browsing_never_fail(app, writer, fields, comment, board_query):
    from tests.factories import PASSWORD

    for limit in ("POSTING_RATE_LIMIT", "COMMENT_RATE_LIMIT", "LOGIN_RATE_LIMIT"):
        app.config[limit] = "100000 per second"
    email, study_id = writer
    client = app.test_client()
    client.post(
        "/auth/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token(client, "/auth/login")},
    )
    form = {**fields, "csrf_token": token(client, "/studies/new")}
    assert_no_server_error(client.post("/studies/new", data=form))
    assert_no_server_error(client.post("/studies/preview", data={**form, "text": comment}))
    assert_no_server_error(
        client.post(
            f"/studies/{study_id}/comments",
            data={"body": comment, "csrf_token": form["csrf_token"]},
        )
    )
    assert_no_server_error(client.get("/", query_string=board_query))
    assert_no_server_error(
        client.get("/", query_string=board_query, headers={"HX-Request": "true"})
    )
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Topic)) == 7


def test_control_characters_never_reach_the_database(app, client, csrf_token, outbox):
    """PostgreSQL refuses NUL in text: before every form dropped control characters, this was
    a 500 there."""
    from board.models import User

    data = {
        "name": "Nul\x00 Person\x07",
        "email": "nul@testshire.gov.uk",
        "job_title": "Officer\x1b[31m",
        "password": "correct horse battery staple",
        "council_role": "officer",
        "csrf_token": csrf_token("/auth/register"),
    }
    assert client.post("/auth/register", data=data).status_code == 302
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "nul@testshire.gov.uk"))
        assert (user.name, user.job_title) == ("Nul Person", "Officer[31m")


# -- path segments and ids -------------------------------------------------------------------

# Text for a path segment: anything, NUL and other control characters included, sent
# percent-encoded as a browser or a script would.
ANY_SEGMENT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=200)
HUGE_OR_NOT_A_NUMBER = st.one_of(
    st.integers(min_value=1, max_value=6).map(str),  # ids of rows that exist
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["0", "2147483647", "2147483648", "9223372036854775808", "00001", "1e3"]),
    ANY_SEGMENT,
)
PATH_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PLACEHOLDER = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_]\w*)(?:\((?P<arguments>[^)]*)\))?:)?(?P<name>[a-zA-Z_]\w*)>"
)


def _get_rules_with_parameters() -> list[str]:
    """Every GET rule of the app that takes something from the path."""
    from board import create_app
    from tests.conftest import base_config

    app = create_app(base_config("sqlite://"))
    return sorted(
        rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and rule.arguments
    )


GET_RULES_WITH_PARAMETERS = _get_rules_with_parameters()


def _segment_strategy(converter: str | None, arguments: str | None):
    if converter == "int":
        return HUGE_OR_NOT_A_NUMBER.map(lambda value: quote(value, safe=""))
    if converter == "any":
        words = [word.strip(" '\"") for word in (arguments or "").split(",")]
        return st.one_of(st.sampled_from(words), ANY_SEGMENT.map(lambda v: quote(v, safe="")))
    if converter == "path":  # may hold slashes, and "..": still never a server error
        return st.lists(ANY_SEGMENT, min_size=1, max_size=4).map(
            lambda parts: "/".join(quote(part, safe="") for part in parts)
        )
    return ANY_SEGMENT.map(lambda value: quote(value, safe=""))


def path_strategy(rule: str):
    """Paths matching ``rule``'s shape, each parameter filled with hostile values."""
    pieces: list = []
    position = 0
    for match in PLACEHOLDER.finditer(rule):
        pieces.append(st.just(rule[position : match.start()]))
        pieces.append(_segment_strategy(match["converter"], match["arguments"]))
        position = match.end()
    pieces.append(st.just(rule[position:]))
    return st.tuples(*pieces).map("".join)


@pytest.fixture
def clients(app, world):
    """A visitor, a member with a study and a comment, and a moderator, each signed in once."""
    from tests.factories import PASSWORD

    with app.app_context():
        study = make_study(world.here, world.people.author)
        db.session.add(
            Comment(case_study_id=study.id, author_id=world.people.author.id, body="Hello")
        )
        db.session.commit()
    signed_in = {"visitor": app.test_client()}
    for role in ("author", "moderator"):
        client = app.test_client()
        person = getattr(world.people, role)
        response = client.post(
            "/auth/login",
            data={
                "email": person.email,
                "password": PASSWORD,
                "csrf_token": token(client, "/auth/login"),
            },
        )
        assert response.status_code == 302
        signed_in[role] = client
    return signed_in


@pytest.mark.parametrize("rule", GET_RULES_WITH_PARAMETERS)
@PATH_SETTINGS
@given(data=st.data())
def test_no_path_gives_a_server_error(clients, rule, data):
    """Arbitrary text, NUL, huge and negative numbers in every path parameter of every GET
    route, for a visitor, a member and a moderator, with and without htmx: never a 5xx."""
    path = data.draw(path_strategy(rule), label="path")
    role = data.draw(st.sampled_from(sorted(clients)), label="role")
    headers = {"HX-Request": "true"} if data.draw(st.booleans(), label="htmx") else {}
    response = clients[role].get(path, headers=headers)
    response.close()  # a static file's response holds the file open
    assert_no_server_error(response)
