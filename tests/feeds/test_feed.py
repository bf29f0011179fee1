"""GET /feeds/latest.atom: valid Atom, the board's filters, newest 50, conditional GET, and
only ever published public studies, whoever asks and whatever the filters."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from sqlalchemy import update

from board.extensions import db
from board.feeds.atom import FEED_SIZE
from board.licence import LICENCE_NAME, LICENCE_URL
from board.models import CaseStudy, CouncilType, Nation, Outcome, Status, Visibility
from board.models.base import utcnow
from tests.factories import make_comment, make_council, make_study, make_user

ATOM = "application/atom+xml; charset=utf-8"


def feed_of(response):
    """The parsed feed; fails on any error feedparser finds (a "bozo" feed)."""
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == ATOM
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def titles(response) -> list[str]:
    return [entry.title for entry in feed_of(response).entries]


@pytest.fixture
def site(app):
    """Two councils in different nations and of different types, and studies on each."""
    with app.app_context():
        here = make_council("Feedshire Council", nation=Nation.WALES)
        there = make_council(
            "Otherborough Council", council_type=CouncilType.LONDON_BOROUGH, slug="otherborough"
        )
        now = utcnow()
        make_study(
            here,
            title="Phishing drills for every officer",
            summary="Monthly fake phishing emails & a short course.",
            topics=["cyber-security"],
            outcome=Outcome.WORKED,
            published_at=now - timedelta(hours=1),
        )
        make_study(
            here,
            title="Chatbot for council tax",
            topics=["digital-communications"],
            outcome=Outcome.DID_NOT_WORK,
            published_at=now - timedelta(hours=2),
        )
        make_study(
            there,
            title="Backups we never tested",
            topics=["cyber-security", "data-and-research"],
            outcome=Outcome.DID_NOT_WORK,
            published_at=now - timedelta(hours=3),
        )
        db.session.commit()


def test_an_entry_carries_what_a_feed_reader_shows(client, site):
    parsed = feed_of(client.get("/feeds/latest.atom"))
    assert parsed.feed.title == "Latest case studies \N{EN DASH} Case Board"
    assert parsed.feed.rights == f"Published under the {LICENCE_NAME}: {LICENCE_URL}"
    assert parsed.feed.id == "http://localhost/feeds/latest.atom"
    [newest, *_] = parsed.entries
    assert newest.title == "Phishing drills for every officer"
    assert newest.link.startswith("http://localhost/studies/")
    assert newest.link.endswith("/phishing-drills-for-every-officer")
    study_id = newest.link.split("/")[-2]
    assert newest.id == f"tag:localhost,2025:studies/{study_id}"
    assert newest.summary == (
        "Monthly fake phishing emails & a short course. "
        "(Outcome: Worked. Council: Feedshire Council.)"
    )
    assert newest.author == "Feedshire Council"
    assert newest.author_detail.href == "http://localhost/councils/feedshire-council"
    terms = {(tag.term, tag.scheme, tag.label) for tag in newest.tags}
    assert terms == {
        ("cyber-security", "http://localhost/topics/", "Cyber security"),
        ("worked", "http://localhost/?outcome=", "Outcome: Worked"),
    }
    assert newest.published_parsed and newest.updated_parsed
    assert newest.rights == f"{LICENCE_NAME}: {LICENCE_URL}"
    assert {link.href for link in newest.links if link.rel == "license"} == {LICENCE_URL}


def test_studies_are_newest_first(client, site):
    assert titles(client.get("/feeds/latest.atom")) == [
        "Phishing drills for every officer",
        "Chatbot for council tax",
        "Backups we never tested",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=cyber-security", ["Phishing drills for every officer", "Backups we never tested"]),
        (
            "topic=cyber-security&topic=digital-communications",
            [
                "Phishing drills for every officer",
                "Chatbot for council tax",
                "Backups we never tested",
            ],
        ),
        ("outcome=did-not-work", ["Chatbot for council tax", "Backups we never tested"]),
        ("topic=cyber-security&outcome=did-not-work", ["Backups we never tested"]),
        ("council=otherborough", ["Backups we never tested"]),
        ("council=Feedshire", ["Phishing drills for every officer", "Chatbot for council tax"]),
        ("nation=wales", ["Phishing drills for every officer", "Chatbot for council tax"]),
        ("council_type=london-borough", ["Backups we never tested"]),
        ("q=phishing", ["Phishing drills for every officer"]),
        ("q=backups&topic=cyber-security", ["Backups we never tested"]),
        ("q=nothing+matches+this", []),
        # A feed is newest first whatever the board's sort; a page number is not a filter.
        (
            "sort=useful",
            [
                "Phishing drills for every officer",
                "Chatbot for council tax",
                "Backups we never tested",
            ],
        ),
        ("outcome=did-not-work&page=2", ["Chatbot for council tax", "Backups we never tested"]),
    ],
)
def test_the_board_filters_choose_the_studies(client, site, query, expected):
    assert titles(client.get(f"/feeds/latest.atom?{query}")) == expected


def test_a_filtered_feed_names_its_filters_and_its_own_address(client, site):
    parsed = feed_of(client.get("/feeds/latest.atom?outcome=did-not-work&topic=cyber-security"))
    assert parsed.feed.title == "Case studies: Did not work, Cyber security \N{EN DASH} Case Board"
    # Tidy, in the board's order.
    own = "http://localhost/feeds/latest.atom?topic=cyber-security&outcome=did-not-work"
    assert parsed.feed.id == own
    assert {link.rel: link.href for link in parsed.feed.links} == {
        "self": own,
        "alternate": "http://localhost/?topic=cyber-security&outcome=did-not-work",
        "license": LICENCE_URL,
    }


def test_a_feed_carries_the_newest_fifty(app, client):
    with app.app_context():
        council = make_council()
        author = make_user(council)
        now = utcnow()
        for number in range(FEED_SIZE + 5):
            make_study(
                council,
                author,
                title=f"Study {number:02}",
                published_at=now - timedelta(minutes=number),
            )
        db.session.commit()
    names = titles(client.get("/feeds/latest.atom"))
    assert names == [f"Study {number:02}" for number in range(FEED_SIZE)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("topic=no-such-topic", "“no-such-topic” is not a topic."),
        ("outcome=maybe", "“maybe” is not an outcome."),
        ("nation=atlantis", "“atlantis” is not a nation."),
        ("council_type=parish", "“parish” is not a type of council."),
        ("sort=random", "“random” is not a way to sort."),
        ("page=99999999999999999999", "is not a page number."),
        ("page=-1", "“-1” is not a page number."),
        ("council=council", "More than one council matches “council”: choose one."),
        ("council=Nowhereshire", "No council matches “Nowhereshire”. Check the spelling."),
        ("topic=%01%02bad%7F", "“bad” is not a topic."),
    ],
)
def test_a_filter_we_cannot_use_is_a_400_saying_which(client, site, query, message):
    response = client.get(f"/feeds/latest.atom?{query}")
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert response.text.startswith("This feed's address has a filter we cannot use: ")
    assert message in response.text


def test_control_characters_are_dropped_and_the_feed_stays_valid(client, site):
    response = client.get("/feeds/latest.atom?topic=cyber-%00security&q=phish%01ing%0B")
    assert titles(response) == ["Phishing drills for every officer"]
    assert b"\x00" not in response.data and b"\x01" not in response.data


def test_characters_xml_does_not_allow_are_left_out_of_a_study(app, client):
    with app.app_context():
        make_study(make_council(), title="Bell\x07 and\x0b tab", summary="Form\x0cfeed")
        db.session.commit()
    [entry] = feed_of(client.get("/feeds/latest.atom")).entries
    assert entry.title == "Bell and tab"
    assert entry.summary.startswith("Formfeed")


def test_conditional_get_answers_304(client, site):
    first = client.get("/feeds/latest.atom?topic=cyber-security")
    etag = first.headers["ETag"]
    last_modified = first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert "Set-Cookie" not in first.headers

    again = client.get("/feeds/latest.atom?topic=cyber-security", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["Cache-Control"] == "public, max-age=0, s-maxage=60"
    since = client.get(
        "/feeds/latest.atom?topic=cyber-security", headers={"If-Modified-Since": last_modified}
    )
    assert since.status_code == 304
    # Another feed is another body: no 304 for it.
    other = client.get("/feeds/latest.atom?outcome=worked", headers={"If-None-Match": etag})
    assert other.status_code == 200


@pytest.mark.parametrize("path", ["/feeds/latest.atom", "/sitemap.xml", "/robots.txt"])
def test_a_members_browser_gets_the_visitors_shareable_answer(app, client, site, sign_in, path):
    """A member's feed reader may be their browser, which sends the session cookie: the answer
    is a visitor's, shareable, with no cookie set and no Vary: Cookie, and 304s work."""
    visitors = client.get(path)
    with app.app_context():
        member = make_user(make_council("Readershire Council"), name="Rita Reader")
        db.session.commit()
    sign_in(member)
    response = client.get(path)
    assert response.status_code == 200
    assert response.get_data() == visitors.get_data()
    assert response.headers["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    # The session was set aside for that request only: the member is still signed in.
    assert "Rita Reader" in client.get("/").get_data(as_text=True)


def test_the_304_stops_when_the_feed_changes(app, client, site):
    first = client.get("/feeds/latest.atom")
    with app.app_context():
        db.session.execute(
            update(CaseStudy)
            .where(CaseStudy.title == "Chatbot for council tax")
            .values(visibility=Visibility.MEMBERS)
        )
        db.session.commit()
    changed = client.get("/feeds/latest.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert "Chatbot for council tax" not in titles(changed)


def test_the_results_cache_keeps_a_feed_until_the_board_changes(app, client, site):
    first = client.get("/feeds/latest.atom?topic=cyber-security")
    assert first.headers["Server-Timing"] == 'results-cache;desc="miss"'
    second = client.get("/feeds/latest.atom?topic=cyber-security")
    assert second.headers["Server-Timing"] == 'results-cache;desc="hit"'
    assert second.data == first.data


def test_addresses_are_on_public_url_whatever_the_host_headers_say(client, site):
    response = client.get(
        "/feeds/latest.atom",
        headers={"X-Forwarded-Host": "evil.example", "Forwarded": "host=evil.example"},
    )
    assert b"evil.example" not in response.data
    assert feed_of(response).entries[0].link.startswith("http://localhost/studies/")


# Never in a feed ------------------------------------------------------------------------------

HIDDEN_KINDS = {
    "draft": {"status": Status.DRAFT},
    "submitted": {"status": Status.SUBMITTED},
    "changes requested": {"status": Status.CHANGES_REQUESTED},
    "rejected": {"status": Status.REJECTED},
    "withdrawn": {"status": Status.WITHDRAWN},
    "members only": {"visibility": Visibility.MEMBERS},
    "members only in review": {"status": Status.SUBMITTED, "visibility": Visibility.MEMBERS},
}
# Every filter that would otherwise find the studies in ``unseen``.
MATCHING_QUERIES = [
    "",
    "q=zeppelin",
    "topic=cyber-security",
    "outcome=did-not-work",
    "council=unseenshire-council",
    "nation=scotland",
    "council_type=unitary",
    "q=zeppelin&topic=cyber-security&outcome=did-not-work&council=Unseenshire&sort=useful",
]


@pytest.fixture
def unseen(app):
    """One study of each kind no one may find in a feed, all matching MATCHING_QUERIES, and a
    published public study with a hidden comment."""
    with app.app_context():
        council = make_council(
            "Unseenshire Council", nation=Nation.SCOTLAND, council_type=CouncilType.UNITARY
        )
        author = make_user(council)
        for kind, fields in HIDDEN_KINDS.items():
            make_study(
                council,
                author,
                title=f"Zeppelin trial ({kind})",
                summary=f"Zeppelin deliveries, {kind}.",
                topics=["cyber-security"],
                outcome=Outcome.DID_NOT_WORK,
                **fields,
            )
        # An unpublished study: published once, then taken back to a draft.
        unpublished = make_study(council, author, title="Zeppelin trial (unpublished)")
        unpublished.status = Status.DRAFT
        seen = make_study(council, author, title="Open study", summary="Nothing secret.")
        comment = make_comment(seen.id, author, body="A hidden comment about zeppelins")
        comment.hidden_at = utcnow()
        make_comment(seen.id, author, body="A visible comment")
        db.session.commit()


@pytest.mark.parametrize("role", ["visitor", "author", "colleague", "moderator", "admin"])
@pytest.mark.parametrize("query", MATCHING_QUERIES)
def test_only_published_public_studies_whoever_asks(client, as_role, unseen, role, query):
    as_role(role)
    response = client.get(f"/feeds/latest.atom?{query}")
    assert "Zeppelin trial" not in response.text
    assert "comment" not in response.text
    feed_of(response)


def test_a_members_cached_board_never_feeds_a_visitor(client, sign_in, world, unseen):
    """A member fills the results cache with members-only studies; the feed never uses it."""
    sign_in(world.people.outsider)
    assert "Zeppelin trial (members only)" in client.get("/?q=zeppelin").text
    assert "Zeppelin trial" not in client.get("/feeds/latest.atom?q=zeppelin").text
    # Twice: the second answer comes from the cache.
    again = client.get("/feeds/latest.atom?q=zeppelin")
    assert again.headers["Server-Timing"] == 'results-cache;desc="hit"'
    assert "Zeppelin trial" not in again.text


def test_a_study_made_members_only_leaves_the_cached_feed_at_once(app, client, site):
    assert "Chatbot for council tax" in titles(client.get("/feeds/latest.atom?q=chatbot"))
    with app.app_context():
        db.session.execute(
            update(CaseStudy)
            .where(CaseStudy.title == "Chatbot for council tax")
            .values(visibility=Visibility.MEMBERS)
        )
        db.session.commit()
    assert titles(client.get("/feeds/latest.atom?q=chatbot")) == []
    assert "Chatbot" not in client.get("/feeds/latest.atom").text


def test_an_empty_feed_is_valid_atom(client):
    parsed = feed_of(client.get("/feeds/latest.atom?topic=cyber-security"))
    assert parsed.entries == []
    assert parsed.feed.updated_parsed


def test_no_one_is_named_in_a_feed_but_councils(app, client):
    with app.app_context():
        council = make_council("Peopleshire Council")
        author = make_user(
            council, name="Priya Private", email="priya.private@peopleshire-council.gov.uk"
        )
        make_study(council, author, title="Who wrote this")
        db.session.commit()
    text = client.get("/feeds/latest.atom").text
    assert "Who wrote this" in text
    assert "Priya" not in text and "priya.private" not in text
    assert "@" not in text
