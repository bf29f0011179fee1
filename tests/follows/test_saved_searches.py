"""Saved searches: the board's link to save its filters, the page that names them, and one
follow for one set of filters however they are written."""

from __future__ import annotations

import re
from html import unescape

import pytest

from board.extensions import db
from board.models import FollowKind
from tests.factories import make_council, make_study
from tests.follows.conftest import follows_of

FILTERS = "outcome=did-not-work&topic=cyber-security&topic=data-and-research"
CANONICAL = "topic=data-and-research&topic=cyber-security&outcome=did-not-work"


@pytest.fixture
def councils(app, world):
    with app.app_context():
        kent = make_council("Kent County Council", domain="kent.gov.uk")
        make_council("Kent Fire Authority", domain="kentfire.gov.uk")
        make_study(kent, topics=["cyber-security"])
        db.session.commit()
        return kent.slug


def _link(html: str) -> str | None:
    match = re.search(r'href="([^"]*)">Get emails about this search<', html)
    return unescape(match.group(1)) if match else None


def test_the_boards_link_carries_its_filters_canonically(client, world):
    link = _link(client.get(f"/?{FILTERS}&sort=useful&page=1").text)
    # Topics in the board's order, sort and page left out: what matches, not how it is shown.
    assert link == f"/account/following/search?{CANONICAL}"
    assert _link(client.get("/").text) == "/account/following/search"


def test_the_link_is_the_same_for_everyone_and_follows_htmx_changes(client, world, as_role):
    visitor = _link(client.get("/?outcome=worked").text)
    as_role("author")
    assert _link(client.get("/?outcome=worked").text) == visitor
    swapped = client.get(
        "/?outcome=did-not-work", headers={"HX-Request": "true", "HX-Trigger": "filters"}
    )
    assert "<html" not in swapped.text
    assert _link(swapped.text) == "/account/following/search?outcome=did-not-work"


def test_topic_and_council_pages_link_only_with_more_filters(client, world, councils):
    assert _link(client.get("/topics/cyber-security").text) is None
    assert _link(client.get(f"/councils/{councils}").text) is None
    assert (
        _link(client.get("/topics/cyber-security?outcome=worked").text)
        == "/account/following/search?topic=cyber-security&outcome=worked"
    )
    assert (
        _link(client.get(f"/councils/{councils}?q=phishing").text)
        == f"/account/following/search?q=phishing&council={councils}"
    )


def test_the_page_describes_the_filters_and_suggests_a_name(client, world, as_role, councils):
    as_role("author")
    response = client.get(f"/account/following/search?{FILTERS}&council=Kent%20County&q=phishing")
    assert response.status_code == 200
    html = unescape(response.text)
    assert "Case studies that mention “phishing”" in html
    assert "Topic: Data and research or Cyber security" in html or (
        "Topic: Cyber security or Data and research" in html
    )
    assert "Outcome: Did not work" in html
    assert "Council: Kent County Council" in html
    # Prefilled as the board titles the same filters.
    name = re.search(r'name="name"[^>]*value="([^"]*)"', response.text)
    assert name is not None
    assert "Did not work" in unescape(name.group(1))
    assert "Kent County Council" in unescape(name.group(1))


def test_saving_a_search(app, client, world, as_role, post):
    as_role("author")
    response = post(f"/account/following/search?{FILTERS}", {"name": "Failed security pilots"})
    assert response.status_code == 302
    assert response.location == "/account/following"
    page = client.get("/account/following").text
    assert "You are following “Failed security pilots”." in unescape(page)
    [follow] = follows_of(app, world.people.author)
    assert follow.kind is FollowKind.SEARCH
    assert follow.query == CANONICAL
    assert follow.target == f"search:{CANONICAL}"
    assert follow.name == "Failed security pilots"


def test_a_name_typed_before_the_session_ended_is_kept(app, client, world, as_role, post):
    """Signed out (in another tab, or the session expired) between opening the page and
    pressing the button: nothing is saved, the page says why, and the name is still there."""
    as_role("author")
    page = client.get(f"/account/following/search?{FILTERS}").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/auth/logout", data={"csrf_token": token})
    response = post(f"/account/following/search?{FILTERS}", {"name": "My careful name"})
    assert response.status_code == 401
    html = unescape(response.get_data(as_text=True))
    assert "You have been signed out, so this search was not saved." in html
    assert 'value="My careful name"' in html
    assert follows_of(app, world.people.author) == []


def test_the_same_filters_in_another_order_are_the_same_follow(app, client, world, as_role, post):
    as_role("author")
    post(f"/account/following/search?{FILTERS}", {"name": "First"})
    reordered = (
        "topic=cyber-security&sort=newest&outcome=did-not-work&topic=data-and-research&page=3"
    )
    page = client.get(f"/account/following/search?{reordered}").text
    assert "You already follow this search, as “First”." in unescape(page)
    response = post(f"/account/following/search?{reordered}", {"name": "Second"})
    assert response.status_code == 302
    assert "You already follow this search" in unescape(client.get("/account/following").text)
    [follow] = follows_of(app, world.people.author)
    assert follow.name == "First"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("   ", "Enter a name for this search"),
        ("x" * 121 + " <b>kept</b>", "The name must be 120 characters or fewer"),
    ],
)
def test_a_bad_name_is_explained_and_kept(app, client, world, as_role, post, typed, message):
    as_role("author")
    response = post(f"/account/following/search?{FILTERS}", {"name": typed})
    assert response.status_code == 422
    html = response.text
    assert "govuk-error-summary" in html
    assert html.count(message) == 2  # in the summary and beside the field
    assert 'href="#name"' in html
    assert "<title>Error: " in html
    if typed.strip():
        assert "&lt;b&gt;kept&lt;/b&gt;" in html
    assert follows_of(app, world.people.author) == []


def test_a_council_text_that_names_no_one_council_cannot_be_saved(
    app, client, world, as_role, post, councils
):
    # The board's link carries the text as typed, so the page can say what is wrong with it.
    assert _link(client.get("/?council=kent&outcome=worked").text) == (
        "/account/following/search?outcome=worked&council=kent"
    )
    as_role("author")
    html = unescape(client.get("/account/following/search?council=kent").text)
    assert "More than one council matches “kent”" in html
    assert 'name="name"' not in html
    response = post("/account/following/search?council=kent", {"name": "Kent"})
    assert response.status_code == 422
    assert follows_of(app, world.people.author) == []


def test_an_empty_search_follows_everything(app, client, world, as_role, post):
    as_role("author")
    html = unescape(client.get("/account/following/search").text)
    assert "All case studies: every newly published case study" in html
    post("/account/following/search", {"name": "Everything"})
    [follow] = follows_of(app, world.people.author)
    assert (follow.query, follow.target) == ("", "search:")


def test_a_visitor_is_sent_to_sign_in_and_back(client, world):
    response = client.get(f"/account/following/search?{FILTERS}")
    assert response.status_code == 302
    assert response.location.startswith("/auth/login?next=")
    assert "following%2Fsearch" in response.location


def test_an_unconfirmed_address_cannot_save_a_search(app, client, world, as_role, post):
    as_role("unverified")
    assert client.get(f"/account/following/search?{FILTERS}").status_code == 403
    assert post(f"/account/following/search?{FILTERS}", {"name": "x"}).status_code == 403


def test_a_refused_token_keeps_the_name(app, client, world, as_role):
    as_role("author")
    response = client.post(
        f"/account/following/search?{FILTERS}",
        data={"name": "My careful name", "csrf_token": "not-the-token"},
    )
    assert response.status_code == 400
    assert "My careful name" in response.text
    assert follows_of(app, world.people.author) == []


def test_input_that_is_not_ours_is_never_a_server_error(app, client, world, as_role, post):
    as_role("author")
    too_long = "q=" + "%C3%A9" * 200  # 200 accented letters: over 500 characters encoded
    html = unescape(client.get(f"/account/following/search?{too_long}").text)
    assert "This search is too long to save" in html
    assert post(f"/account/following/search?{too_long}", {"name": "x"}).status_code == 422
    for args in ("q=%00nul", "topic=nope&outcome=maybe&page=abc", "nation=" + "x" * 5000):
        assert client.get(f"/account/following/search?{args}").status_code == 200
    html = unescape(client.get("/account/following/search?topic=nope").text)
    assert "We ignored part of the address: “nope” is not a topic." in html
    assert follows_of(app, world.people.author) == []
