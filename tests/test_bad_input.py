"""Input that is not ours answers 404 or 400 with the normal error page, never a server error.

Each case was a 500 once: an id too large for SQLite's integer or PostgreSQL's ``integer``
column, a NUL byte that PostgreSQL refuses, a redirect built from the query string, and a CSRF
failure whose re-called view aborted inside the error handler.
"""

from __future__ import annotations

import pytest

from board.extensions import db
from board.models import Comment
from board.models.base import utcnow
from tests.conftest import csrf_token_from
from tests.factories import make_study, make_user

HUGE = "99999999999999999999"  # beyond SQLite's 64-bit integers
BEYOND_INT4 = "2147483648"  # beyond PostgreSQL's integer columns


def token(client, path: str = "/") -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


@pytest.fixture
def places(app, world):
    with app.app_context():
        study = make_study(world.here, world.people.author, title="Smart bins")
        comment = Comment(case_study_id=study.id, author_id=world.people.author.id, body="Hi")
        db.session.add(comment)
        waiting = make_user(None, verified=False)
        waiting.email_confirmed_at = utcnow()
        db.session.commit()
        return {"study": study.id, "slug": study.slug, "comment": comment.id, "waiting": waiting.id}


def assert_not_found_page(response) -> None:
    assert response.status_code == 404, response.status_code
    assert "Page not found" in response.text


@pytest.mark.parametrize("number", [HUGE, BEYOND_INT4, "0", "10" + "0" * 40])
@pytest.mark.parametrize(
    "template",
    [
        "/studies/{}",
        "/studies/{}/some-slug",
        "/studies/{}/edit",
        "/comments/{}/reply",
        "/comments/{}/edit",
        "/moderation/comments/{}/hide",
        "/questions/{}",
        "/questions/{}/some-slug",
        "/moderation/questions/{}/hide",
        "/moderation/answers/{}/restore",
    ],
)
def test_ids_out_of_range_in_the_path_are_not_found(client, as_role, template, number):
    as_role("moderator")
    assert_not_found_page(client.get(template.format(number)))


@pytest.mark.parametrize("number", [HUGE, BEYOND_INT4])
@pytest.mark.parametrize(
    "template",
    [
        "/studies/{}/comments",
        "/studies/{}/useful",
        "/studies/{}/tried-too",
        "/studies/{}/submit",
        "/comments/{}/delete",
        "/moderation/studies/{}/approve",
        "/moderation/reports/{}/resolve",
        "/moderation/members/{}/verify",
        "/moderation/questions/{}/hide",
        "/moderation/answers/{}/hide",
        "/questions/{}/answers",
        "/questions/{}/answers/1/helpful",
        "/questions/{}/answers/1/write-up",
        "/questions/1/answers/{}/helpful",
        "/questions/1/answers/{}/write-up",
    ],
)
def test_ids_out_of_range_in_posted_paths_are_not_found(client, as_role, template, number):
    as_role("moderator")
    response = client.post(template.format(number), data={"csrf_token": token(client)})
    assert_not_found_page(response)


def test_ids_are_ascii_digits_only(client, places):
    """Other scripts' digits ("٣" is 3 to Python) do not make a second address for a page."""
    arabic_indic = str(places["study"]).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert_not_found_page(client.get(f"/studies/{arabic_indic}"))


@pytest.mark.parametrize("reply_to", [HUGE, BEYOND_INT4, "0", "²", "٣", "-1", " 1"])
def test_a_reply_to_an_id_out_of_range_is_refused(client, as_role, places, reply_to):
    as_role("outsider")
    response = client.post(
        f"/studies/{places['study']}/comments",
        data={"body": "Hello", "reply_to": reply_to, "csrf_token": token(client)},
    )
    assert response.status_code in (400, 404)
    assert "Page not found" in response.text or "That did not work" in response.text


@pytest.mark.parametrize(
    "target",
    [
        f"comment:{HUGE}",
        f"study:{HUGE}",
        f"comment:{BEYOND_INT4}",
        "comment:²",
        "study:0",
        f"question:{HUGE}",
        f"answer:{BEYOND_INT4}",
        "question:²",
        "answer:0",
    ],
)
def test_a_report_of_an_id_out_of_range_is_refused(client, as_role, places, target):
    as_role("outsider")
    new = client.get("/reports/new", query_string={"target": target})
    assert new.status_code in (400, 404), new.status_code
    posted = client.post(
        "/reports", data={"target": target, "reason": "spam", "csrf_token": token(client)}
    )
    assert posted.status_code in (400, 404), posted.status_code


@pytest.mark.parametrize("council_id", [HUGE, BEYOND_INT4, "-1", "²"])
def test_verifying_with_a_council_id_out_of_range_asks_again(
    app, client, as_role, places, council_id
):
    as_role("moderator")
    response = client.post(
        f"/moderation/members/{places['waiting']}/verify",
        data={"council_id": council_id, "csrf_token": token(client)},
    )
    assert response.status_code == 302
    assert "before verifying them" in client.get("/moderation/members").text


@pytest.mark.parametrize("own_study", [HUGE, BEYOND_INT4, "²"])
def test_tried_too_with_an_own_study_out_of_range_links_nothing(client, as_role, places, own_study):
    as_role("outsider")
    response = client.post(
        f"/studies/{places['study']}/tried-too",
        data={"own_study": own_study, "csrf_token": token(client)},
    )
    assert response.status_code == 302


@pytest.mark.parametrize("number", [HUGE, BEYOND_INT4, "-1", "²"])
def test_board_pages_out_of_range_are_ignored(client, number):
    response = client.get("/", query_string={"page": number})
    assert response.status_code == 200
    assert "is not a page number" in response.text


# -- the study's canonical address -----------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "study_id=2",
        "slug=x",
        "_anchor=evil",
        "_external=1&_scheme=javascript",
        "_method=POST",
        "a=1&a=2&b=%C3%A9",
    ],
)
def test_the_slug_redirect_keeps_the_query_string_verbatim(client, places, query):
    response = client.get(f"/studies/{places['study']}?{query}")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/studies/{places['study']}/{places['slug']}?{query}"


def test_the_slug_redirect_without_a_query_string_has_none(client, places):
    response = client.get(f"/studies/{places['study']}/wrong-slug")
    assert response.headers["Location"] == f"/studies/{places['study']}/{places['slug']}"


# -- NUL and other control characters --------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/councils/a%00b", "/councils/%00", "/topics/a%00b", "/councils/a%07b"]
)
def test_control_characters_in_a_slug_are_not_found(client, path):
    assert_not_found_page(client.get(path))


@pytest.mark.parametrize(
    "query",
    [
        "council=%00",
        "council=a%00b",
        "topic=%00",
        "topic=cyber%00security",
        "q=%00",
        "q=bins%00",
        "outcome=%00",
        "nation=%00",
        "council_type=%00",
        "sort=%00",
        "page=%00",
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_control_characters_in_the_filters_are_ignored(client, query, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(f"/?{query}", headers=headers)
    assert response.status_code == 200
    assert "\x00" not in response.text


def test_a_council_filter_with_a_nul_says_there_is_no_such_council(client, world):
    response = client.get("/?council=a%00b")
    assert "No council matches “ab”" in response.text


# -- a CSRF failure whose view refuses the request -------------------------------------------


@pytest.mark.parametrize(
    "data",
    [{}, {"target": "nonsense"}, {"target": f"comment:{HUGE}"}, {"target": "study:1"}],
)
def test_a_report_without_a_csrf_token_answers_the_csrf_page(client, as_role, data):
    as_role("outsider")
    response = client.post("/reports", data=data)
    assert response.status_code == 400
    assert "Your session expired" in response.text


def test_a_report_without_a_csrf_token_keeps_the_details_when_it_can(client, as_role, places):
    as_role("outsider")
    target = f"comment:{places['comment']}"
    response = client.post("/reports", data={"target": target, "details": "It is spam, sorry"})
    assert response.status_code == 400
    assert "It is spam, sorry" in response.text


def test_a_comment_without_a_csrf_token_replying_to_nothing_answers_the_csrf_page(
    client, as_role, places
):
    as_role("outsider")
    response = client.post(
        f"/studies/{places['study']}/comments", data={"body": "Hello", "reply_to": HUGE}
    )
    assert response.status_code == 400
    assert "Your session expired" in response.text
