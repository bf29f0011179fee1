"""The board's page around its results: the write-up button, the title (on a whole page and in
what htmx swaps in), the live region, the tags on a card and the numbered pages."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from flask import render_template_string, url_for
from sqlalchemy import update

from board.browse.routes import ListingLinks
from board.browse.titles import listing_title
from board.extensions import db
from board.models import Outcome, Role, Topic, Visibility
from tests.browse.test_filters import HX
from tests.factories import make_council, make_study, make_user

DASH = " \N{EN DASH} "
WRITE_UP_BUTTON = re.compile(
    r'<a href="/studies/new" role="button" draggable="false" class="govuk-button"[^>]*>\s*'
    r"Write up an experiment\s*</a>"
)


def title_of(html: str) -> str:
    titles = re.findall(r"<title>(.*?)</title>", html, re.DOTALL)
    assert len(titles) == 1, titles
    return titles[0].replace("&amp;", "&")


@pytest.fixture
def people(app):
    with app.app_context():
        council = make_council("Pageshire Council")
        people = {
            "member": make_user(council),
            "moderator": make_user(council, role=Role.MODERATOR),
            "unverified": make_user(None, verified=False),
        }
        db.session.commit()
        return people


@pytest.mark.parametrize(
    ("who", "shown"),
    [(None, False), ("unverified", False), ("member", True), ("moderator", True)],
)
def test_members_who_can_write_get_a_write_up_button(client, sign_in, people, who, shown):
    if who:
        sign_in(people[who])
    html = client.get("/").text
    assert bool(WRITE_UP_BUTTON.search(html)) is shown


def test_the_write_up_button_is_not_cached_with_the_results(client, sign_in, people):
    # The results block is cached and shared by every member; the button is not part of it.
    client.get("/")
    sign_in(people["member"])
    assert WRITE_UP_BUTTON.search(client.get("/").text)


@pytest.fixture
def failures(app):
    """45 failed cyber experiments: three pages of twenty."""
    with app.app_context():
        council = make_council("Titleshire Council")
        for number in range(45):
            make_study(
                council,
                title=f"Failed drill {number}",
                topics=["cyber-security"],
                outcome=Outcome.DID_NOT_WORK,
            )
        make_study(council, title="A success", topics=["data-and-research"], outcome=Outcome.WORKED)
        db.session.commit()


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/?page=2", f"Case studies (page 2 of 3){DASH}Case Board"),
        (
            "/?outcome=did-not-work&topic=cyber-security&page=2",
            f"Did not work, Cyber security (page 2 of 3){DASH}Case studies{DASH}Case Board",
        ),
        ("/?topic=data-and-research", f"Data and research{DASH}Case studies{DASH}Case Board"),
        (
            "/?q=drill&council=titleshire-council",
            f"Titleshire Council, Search: drill (page 1 of 3){DASH}Case studies{DASH}Case Board",
        ),
        ("/topics/cyber-security?page=3", f"Cyber security (page 3 of 3){DASH}Case Board"),
        (
            "/councils/titleshire-council?outcome=worked",
            f"Worked{DASH}Titleshire Council{DASH}Case Board",
        ),
        ("/?page=9", f"Case studies (page 9){DASH}Case Board"),
    ],
)
def test_the_title_says_what_is_shown(client, failures, path, title):
    assert title_of(client.get(path).text) == title


@pytest.mark.parametrize("target", [None, "board"])
def test_what_htmx_swaps_in_carries_the_title_at_its_top_level(client, failures, target):
    headers = {**HX, "HX-Target": target} if target else {**HX, "HX-Trigger": "filters"}
    html = client.get("/?outcome=did-not-work&page=2", headers=headers).text
    # htmx only reads a <title> that is not inside another element of the swapped content.
    assert html.lstrip().startswith("<title>")
    assert title_of(html) == f"Did not work (page 2 of 3){DASH}Case studies{DASH}Case Board"


def test_a_cached_title_follows_the_audience_and_the_data(app, client, sign_in, people):
    with app.app_context():
        council = make_council("Cacheborough Council")
        for number in range(15):
            make_study(council, title=f"Public {number}", topics=["cyber-security"])
        for number in range(10):
            make_study(
                council,
                title=f"Private {number}",
                topics=["cyber-security"],
                visibility=Visibility.MEMBERS,
            )
        db.session.commit()
    path = "/?topic=cyber-security"
    for headers in ({}, HX):
        assert title_of(client.get(path, headers=headers).text) == (
            f"Cyber security{DASH}Case studies{DASH}Case Board"
        )
    sign_in(people["member"])
    for headers in ({}, HX):
        # Members see 25 studies: two pages.
        assert title_of(client.get(path, headers=headers).text) == (
            f"Cyber security (page 1 of 2){DASH}Case studies{DASH}Case Board"
        )
    with app.app_context():
        db.session.execute(
            update(Topic).where(Topic.slug == "cyber-security").values(name_en="Cyber resilience")
        )
        db.session.commit()
    for headers in ({}, HX):
        assert title_of(client.get(path, headers=headers).text) == (
            f"Cyber resilience (page 1 of 2){DASH}Case studies{DASH}Case Board"
        )


def test_the_live_region_is_part_of_the_page_not_of_what_is_swapped(client, failures):
    html = client.get("/").text
    status = re.search(r'<p id="result-status"[^>]*>', html).group(0)
    assert 'role="status"' in status and 'aria-live="polite"' in status
    assert html.index('id="result-status"') < html.index('<div id="board"')
    assert html.count('id="result-status"') == 1
    # A filter link redraws the whole board: the region is filled, never drawn again.
    board = client.get("/?outcome=did-not-work", headers={**HX, "HX-Target": "board"}).text
    assert board.count('id="result-status"') == 1
    assert re.search(r'<p id="result-status" hx-swap-oob="innerHTML"></p>', board)
    assert 'role="status"' not in board
    # A form change keeps focus in the form: the region says the count.
    response = client.get("/?outcome=did-not-work", headers={**HX, "HX-Trigger": "filters"})
    assert re.search(
        r'<p id="result-status" hx-swap-oob="innerHTML">45 case studies</p>', response.text
    )
    assert "autofocus" not in response.text
    # The same URL answers differently for a link: caches must keep the two apart.
    assert {"HX-Request", "HX-Target", "HX-Trigger"} <= {
        value.strip() for value in response.headers["Vary"].split(",")
    }


def test_selects_wait_for_a_settled_choice_and_tick_boxes_do_not(client, failures):
    form = re.search(r"<form [^>]*>", client.get("/").text).group(0)
    trigger = re.search(r'hx-trigger="([^"]+)"', form).group(1)
    specs = [spec.strip() for spec in trigger.split(", ")]
    assert "change delay:500ms from:(#filters select)" in specs
    assert "change from:(#filters input[type=checkbox])" in specs


def test_cards_carry_the_design_systems_tags(app, client, sign_in):
    with app.app_context():
        council = make_council("Tagshire Council")
        make_study(council, title="Failed", outcome=Outcome.DID_NOT_WORK)
        make_study(council, title="Worked", outcome=Outcome.WORKED)
        make_study(council, title="Partly", outcome=Outcome.PARTLY_WORKED)
        make_study(council, title="Ongoing", outcome=Outcome.ONGOING)
        make_study(council, title="Secret", visibility=Visibility.MEMBERS)
        member = make_user(council)
        db.session.commit()
    html = client.get("/").text
    tags = re.findall(r'<strong class="govuk-tag ([^"]*)">\s*([^<]+?)\s*</strong>', html)
    assert ("govuk-tag--red app-outcome-tag", "Did not work") in tags
    assert ("govuk-tag--green app-outcome-tag", "Worked") in tags
    assert ("govuk-tag--yellow app-outcome-tag", "Partly worked") in tags
    assert ("govuk-tag--blue app-outcome-tag", "Ongoing") in tags
    assert "Members only" not in html
    sign_in(member)
    html = client.get("/").text
    assert re.search(r'<strong class="govuk-tag govuk-tag--grey">\s*Members only\s*</strong>', html)
    # No old hand-made classes left in the listing.
    assert not re.search(r'class="(tag|chip|heading-[a-z]+|lead|visually-hidden|button)[ "]', html)


def render_pagination(
    app, page: int, pages: int | None, has_next: bool = True, target: str | None = "#results"
) -> str:
    results = SimpleNamespace(
        page=page,
        pages=pages,
        has_prev=page > 1,
        prev_num=page - 1,
        has_next=has_next,
        next_num=page + 1,
    )
    with app.test_request_context("/?topic=cyber-security"):
        return render_template_string(
            '{% from "macros/listing.html" import pagination %}'
            "{{ pagination(results, url, {'topic': 'cyber-security'}, target=target) }}",
            results=results,
            url=ListingLinks("browse.board", {}, []).board,
            target=target,
        )


def test_pages_are_numbered_with_gaps_and_keep_their_htmx_attributes(app):
    html = render_pagination(app, page=5, pages=10)
    items = re.findall(
        r'<li class="govuk-pagination__item([^"]*)">\s*(?:<a [^>]*aria-label="Page (\d+)"|(⋯))',
        html.replace("&ctdot;", "⋯"),
    )
    shown = [number or "…" for _, number, _ in items]
    assert shown == ["1", "…", "4", "5", "6", "…", "10"]
    assert re.search(r'aria-label="Page 5" aria-current="page"', html)
    links = re.findall(r"<a [^>]*>", html)
    # Previous, seven items less two gaps, next: each with its href and its htmx twin.
    assert len(links) == 7
    for link in links:
        href = re.search(r' href="([^"]+)"', link).group(1)
        assert f'hx-get="{href}"' in link
        assert 'hx-target="#results"' in link and 'hx-push-url="true"' in link
        assert "topic=cyber-security" in href
    assert re.search(r'href="/\?topic=cyber-security&amp;page=4" rel="prev"', html)
    assert re.search(r'href="/\?topic=cyber-security&amp;page=6" rel="next"', html)
    # The first page's address has no page number: one view, one URL.
    assert 'href="/?topic=cyber-security" aria-label="Page 1"' in html


def test_pages_without_a_target_are_plain_links(app):
    html = render_pagination(app, page=2, pages=3, target=None)
    assert html.count('class="govuk-link govuk-pagination__link"') == 5
    assert "hx-" not in html


def test_pages_of_an_unknown_total_are_previous_and_next_only(app):
    html = render_pagination(app, page=3, pages=None)
    assert "govuk-pagination__list" not in html
    assert "govuk-pagination--block" in html
    assert "Page 2" in html and "Page 4" in html


def test_a_title_without_filters_or_pages_is_the_place_alone():
    filters = SimpleNamespace(
        outcome=None, topics=[], council=None, nation=None, council_type=None, languages=[], q=""
    )
    results = SimpleNamespace(page=1, pages=1)
    assert listing_title(filters, results, "Case studies") == "Case studies"


@pytest.mark.parametrize(
    ("endpoint", "view_args"),
    [("browse.board", {}), ("browse.topic", {"slug": "cyber-security"})],
)
def test_listing_links_are_the_ones_url_for_makes(app, endpoint, view_args):
    """The board builds its links without url_for (a tenth of a page's time): the same
    addresses, in the same order and encoding, quoting included."""
    args = {
        "q": 'Wi-Fi & "5G" café/?#100%',
        "topic": ["cyber-security", "data-and-research"],
        "council": "Ynys Môn",
        "sort": "useful",
        "page": None,
    }
    with app.test_request_context("/"):
        topics = db.session.scalars(db.select(Topic).order_by(Topic.position)).all()
        links = ListingLinks(endpoint, view_args, topics)
        assert links.board(args) == url_for(endpoint, **view_args, **args)
        assert links.board({}) == url_for(endpoint, **view_args)
        assert links.council("st-helens-&-co") == url_for("browse.council", slug="st-helens-&-co")
        assert links.topics[topics[0].id] == url_for("browse.topic", slug=topics[0].slug)
        card = SimpleNamespace(id=12, slug="chatbot-for-council-tax")
        assert links.study(card) == url_for(
            "case_studies.show", study_id=12, slug="chatbot-for-council-tax"
        )
