"""Found and shared: descriptions, canonical addresses, feed links, Open Graph and Twitter card
tags, the licence, /sitemap.xml and its parts, /robots.txt. Members-only and unpublished
studies never appear in any of them, and every absolute address is on PUBLIC_URL."""

from __future__ import annotations

import re
from html import unescape
from xml.etree import ElementTree

import pytest
from sqlalchemy import update

from board.extensions import db
from board.licence import LICENCE_NAME, LICENCE_URL
from board.models import CaseStudy, Outcome, Status, Visibility
from board.seo import sitemaps
from tests.factories import make_council, make_study, make_user

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FORGED = {"X-Forwarded-Host": "evil.example", "Forwarded": "host=evil.example"}
DEFAULT_DESCRIPTION = (
    "Digital and data experiments shared by UK councils, including the ones that did not work, "
    "so that others can learn from them before they spend."
)


def tags(html: str, name: str) -> list[dict[str, str]]:
    """The attributes of every <name ...> tag in ``html``, unescaped."""
    found = []
    for tag in re.findall(rf"<{name}\s[^>]*>", html):
        found.append(
            {key: unescape(value) for key, value in re.findall(r'([\w:-]+)="([^"]*)"', tag)}
        )
    return found


def meta(html: str) -> dict[str, list[str]]:
    """<meta> contents by their name or property."""
    found: dict[str, list[str]] = {}
    for tag in tags(html, "meta"):
        key = tag.get("property") or tag.get("name")
        if key:
            found.setdefault(key, []).append(tag.get("content", ""))
    return found


def links(html: str, rel: str) -> list[dict[str, str]]:
    return [tag for tag in tags(html, "link") if tag.get("rel") == rel]


@pytest.fixture
def site(app):
    with app.app_context():
        council = make_council("Seoshire Council", slug="seoshire")
        author = make_user(council)
        open_study = make_study(
            council,
            author,
            title="Open data portal we closed",
            summary="Nobody used the portal, so we closed it after a year.",
            topics=["data-and-research", "cyber-security"],
            outcome=Outcome.DID_NOT_WORK,
        )
        members = make_study(
            council,
            author,
            title="Secret members study",
            summary="Sensitive lessons for peers only.",
            visibility=Visibility.MEMBERS,
        )
        draft = make_study(council, author, title="Draft in progress", status=Status.DRAFT)
        # A council with only members-only work: no page in the sitemap.
        quiet = make_council("Quietshire Council", slug="quietshire")
        make_study(quiet, title="Quiet members study", visibility=Visibility.MEMBERS)
        db.session.commit()
        return {
            "open": f"/studies/{open_study.id}/{open_study.slug}",
            "members": f"/studies/{members.id}/{members.slug}",
            "draft": f"/studies/{draft.id}/{draft.slug}",
            "open_id": open_study.id,
        }


# Descriptions, canonical addresses and feed links on the listings --------------------------


def test_every_page_has_a_description(client, site):
    assert meta(client.get("/accessibility").text)["description"] == [DEFAULT_DESCRIPTION]
    assert meta(client.get("/").text)["description"] == [DEFAULT_DESCRIPTION]
    [topic] = meta(client.get("/topics/cyber-security").text)["description"]
    assert topic.startswith("Protecting council systems")
    [council] = meta(client.get("/councils/seoshire").text)["description"]
    assert council == (
        "Digital and data experiments Seoshire Council has shared on Case Board, "
        "including the ones that did not work."
    )


@pytest.mark.parametrize(
    ("path", "canonical", "feed"),
    [
        ("/", "http://localhost/", "http://localhost/feeds/latest.atom"),
        (
            "/?outcome=did-not-work&topic=cyber-security&page=1&sort=newest",
            "http://localhost/?topic=cyber-security&outcome=did-not-work",
            "http://localhost/feeds/latest.atom?topic=cyber-security&outcome=did-not-work",
        ),
        (
            "/?q=portal&sort=useful",
            "http://localhost/?q=portal&sort=useful",
            "http://localhost/feeds/latest.atom?q=portal",
        ),
        (
            "/topics/cyber-security",
            "http://localhost/topics/cyber-security",
            "http://localhost/feeds/latest.atom?topic=cyber-security",
        ),
        (
            "/topics/cyber-security?outcome=worked",
            "http://localhost/topics/cyber-security?outcome=worked",
            "http://localhost/feeds/latest.atom?topic=cyber-security&outcome=worked",
        ),
        (
            "/councils/seoshire",
            "http://localhost/councils/seoshire",
            "http://localhost/feeds/latest.atom?council=seoshire",
        ),
        (
            "/councils/seoshire?topic=data-and-research",
            "http://localhost/councils/seoshire?topic=data-and-research",
            "http://localhost/feeds/latest.atom?topic=data-and-research&council=seoshire",
        ),
    ],
)
def test_listings_link_their_feed_and_their_canonical_address(client, site, path, canonical, feed):
    # Twice: the second page's block comes from the results cache; its <head> must not.
    for _ in range(2):
        html = client.get(path, headers=FORGED).text
        assert [link["href"] for link in links(html, "canonical")] == [canonical]
        [alternate] = links(html, "alternate")
        assert alternate["type"] == "application/atom+xml"
        assert alternate["href"] == feed
        assert alternate["title"].endswith("\N{EN DASH} Case Board (Atom feed)")
        # The visible link, beside the results.
        visible = feed.removeprefix("http://localhost")
        assert f'<a class="govuk-link" href="{visible.replace("&", "&amp;")}"' in html
        assert "Follow this view in a feed reader" in html
        # Filtered variants are not for search engines.
        assert ("noindex, follow" in meta(html).get("robots", [])) == ("?" in path)


def test_every_linked_feed_answers(client, site):
    for path in ("/", "/topics/cyber-security?outcome=did-not-work", "/councils/seoshire"):
        [alternate] = links(client.get(path).text, "alternate")
        assert client.get(alternate["href"].removeprefix("http://localhost")).status_code == 200


def test_the_feed_link_follows_the_filters_when_htmx_swaps_the_results(client, site):
    fragment = client.get(
        "/?outcome=worked",
        headers={"HX-Request": "true", "HX-Target": "results", "HX-Trigger": "filters"},
    ).text
    assert 'href="/feeds/latest.atom?outcome=worked"' in fragment
    board = client.get(
        "/?topic=cyber-security", headers={"HX-Request": "true", "HX-Target": "board"}
    )
    assert 'href="/feeds/latest.atom?topic=cyber-security"' in board.text


def test_no_feed_link_for_a_council_text_that_names_no_council(client, site):
    html = client.get("/?council=Nowhere").text
    assert "Follow this view in a feed reader" not in html


# Study pages ---------------------------------------------------------------------------------


def test_a_public_study_describes_itself_to_previews(client, site):
    html = client.get(site["open"], headers=FORGED).text
    address = "http://localhost" + site["open"]
    tags_ = meta(html)
    description = (
        "Nobody used the portal, so we closed it after a year. "
        "Outcome: Did not work. Shared by Seoshire Council."
    )
    assert tags_["description"] == [description]
    assert tags_["og:title"] == ["Open data portal we closed"]
    assert tags_["og:description"] == [description]
    assert tags_["og:type"] == ["article"]
    assert tags_["og:url"] == [address]
    assert tags_["og:site_name"] == ["Case Board"]
    assert tags_["twitter:card"] == ["summary"]
    assert tags_["twitter:title"] == ["Open data portal we closed"]
    assert tags_["twitter:description"] == [description]
    assert tags_["article:section"] == ["Did not work"]
    assert sorted(tags_["article:tag"]) == ["Cyber security", "Data and research"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+\+00:00", tags_["article:published_time"][0])
    assert [link["href"] for link in links(html, "canonical")] == [address]
    assert "evil.example" not in html


def test_a_long_summary_is_shortened_at_a_word(app, client):
    with app.app_context():
        study = make_study(make_council(), title="Long one", summary=("word " * 60).strip())
        db.session.commit()
        path = f"/studies/{study.id}/{study.slug}"
    tags_ = meta(client.get(path).text)
    [description] = tags_["description"]
    assert len(description) <= 160
    assert "word… Outcome:" in description
    assert len(tags_["og:description"][0]) <= 300


def test_a_public_study_shows_its_licence(client, site):
    html = client.get(site["open"]).text
    assert (
        f'Shared under the <a class="govuk-link" href="{LICENCE_URL}" rel="license">'
        f"{LICENCE_NAME}</a>"
    ) in html


@pytest.mark.parametrize("kind", ["members", "draft"])
def test_a_study_not_open_to_all_is_missing_to_bots(client, site, kind):
    response = client.get(site[kind])
    assert response.status_code == 404
    assert "Secret members study" not in response.text
    assert "og:" not in response.text


@pytest.mark.parametrize("role", ["outsider", "author"])
def test_a_member_reading_a_members_only_study_gets_no_preview_tags(client, as_role, site, role):
    as_role(role)
    html = client.get(site["members"]).text
    assert "Secret members study" in html  # they may read it
    tags_ = meta(html)
    assert tags_["description"] == [DEFAULT_DESCRIPTION]
    assert not [key for key in tags_ if key.startswith(("og:", "twitter:", "article:"))]
    assert links(html, "canonical") == []
    assert LICENCE_NAME not in html
    draft = client.get(site["draft"])
    if role == "author":
        assert "og:" not in draft.text and LICENCE_NAME not in draft.text


def test_the_write_up_form_states_the_licence_by_the_visibility_choice(client, as_role, site):
    as_role("author")
    html = client.get("/studies/new").text
    fieldset = html[html.index("Who can read it") :]
    fieldset = fieldset[: fieldset.index("</fieldset>")]
    assert LICENCE_NAME in fieldset
    assert f'href="{LICENCE_URL}"' in fieldset


# Sitemaps and robots.txt ---------------------------------------------------------------------


def parsed_xml(response) -> ElementTree.Element:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=0, s-maxage=60"
    return ElementTree.fromstring(response.data)  # noqa: S314 (our own answer)


def locations(root: ElementTree.Element) -> list[str]:
    return [element.text for element in root.iter(f"{SITEMAP}loc")]


def test_the_sitemap_index_points_to_its_parts(client, site):
    root = parsed_xml(client.get("/sitemap.xml", headers=FORGED))
    assert root.tag == f"{SITEMAP}sitemapindex"
    assert locations(root) == [
        "http://localhost/sitemaps/pages.xml",
        "http://localhost/sitemaps/studies-1.xml",
    ]
    assert all(element.text for element in root.iter(f"{SITEMAP}lastmod"))


def test_the_pages_part_lists_the_board_topics_and_councils_with_public_studies(client, site):
    root = parsed_xml(client.get("/sitemaps/pages.xml"))
    listed = locations(root)
    assert listed[0] == "http://localhost/"
    assert "http://localhost/topics/cyber-security" in listed
    assert len([url for url in listed if "/topics/" in url]) == 7
    assert [url for url in listed if "/councils/" in url] == ["http://localhost/councils/seoshire"]


def test_a_studies_part_lists_only_published_public_studies(client, site):
    root = parsed_xml(client.get("/sitemaps/studies-1.xml", headers=FORGED))
    assert locations(root) == ["http://localhost" + site["open"]]
    [lastmod] = [element.text for element in root.iter(f"{SITEMAP}lastmod")]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", lastmod)


def test_studies_are_split_into_parts_by_blocks_of_ids(app, client, monkeypatch):
    monkeypatch.setattr(sitemaps, "STUDIES_PER_PART", 2)
    with app.app_context():
        council = make_council()
        author = make_user(council)
        studies = [
            make_study(council, author, title="One"),  # id 1
            make_study(council, author, title="Two", visibility=Visibility.MEMBERS),
            make_study(council, author, title="Three", status=Status.WITHDRAWN),
            make_study(council, author, title="Four", status=Status.DRAFT),
            make_study(council, author, title="Five"),  # id 5
            make_study(council, author, title="Six"),
        ]
        db.session.commit()
        assert [study.id for study in studies] == [1, 2, 3, 4, 5, 6]
    index = locations(parsed_xml(client.get("/sitemap.xml")))
    # Ids 3 and 4 have no public study: no part for them.
    assert index == [
        "http://localhost/sitemaps/pages.xml",
        "http://localhost/sitemaps/studies-1.xml",
        "http://localhost/sitemaps/studies-3.xml",
    ]
    assert locations(parsed_xml(client.get("/sitemaps/studies-1.xml"))) == [
        "http://localhost/studies/1/one"
    ]
    assert locations(parsed_xml(client.get("/sitemaps/studies-3.xml"))) == [
        "http://localhost/studies/5/five",
        "http://localhost/studies/6/six",
    ]
    assert client.get("/sitemaps/studies-2.xml").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/sitemaps/studies-0.xml", "/sitemaps/studies-99999999999.xml", "/sitemaps/studies-x.xml"],
)
def test_a_part_that_cannot_exist_is_missing(client, site, path):
    assert client.get(path).status_code == 404


def test_a_sitemap_answers_304_to_its_etag(client, site):
    first = client.get("/sitemaps/studies-1.xml")
    again = client.get("/sitemaps/studies-1.xml", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_nothing_members_only_or_unpublished_is_in_any_sitemap(client, site):
    texts = [client.get(path).text for path in ("/sitemap.xml", "/sitemaps/pages.xml")]
    texts.append(client.get("/sitemaps/studies-1.xml").text)
    everything = "".join(texts)
    for hidden in ("secret", "draft", "quiet"):
        assert hidden not in everything


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out(client):
    response = client.get("/robots.txt", headers=FORGED)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "public, max-age=0, s-maxage=60"
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow")}
    for path in (
        "/account",
        "/moderation",
        "/admin",
        "/auth",
        "/notifications",
        "/studies/new",
        "/*?",
    ):
        assert path in disallowed
    # Topic, council and study pages stay open to crawlers.
    for path in disallowed:
        assert not path.startswith(("/topics", "/councils", "/studies/1"))
    assert "Sitemap: http://localhost/sitemap.xml" in lines


def test_a_cached_sitemap_follows_a_study_made_members_only_at_once(app, client, site):
    first = client.get("/sitemaps/studies-1.xml")
    assert site["open"] in first.text
    assert client.get("/sitemaps/studies-1.xml").headers["Server-Timing"] == (
        'results-cache;desc="hit"'
    )
    with app.app_context():
        db.session.execute(
            update(CaseStudy)
            .where(CaseStudy.id == site["open_id"])
            .values(visibility=Visibility.MEMBERS)
        )
        db.session.commit()
    # No public study left: the part is gone, and so is its council.
    assert client.get("/sitemaps/studies-1.xml").status_code == 404
    assert "/councils/seoshire" not in client.get("/sitemaps/pages.xml").text
    assert "studies-1" not in client.get("/sitemap.xml").text


@pytest.mark.parametrize("path", ["/accessibility", "/privacy", "/cookies", "/contact"])
def test_plain_pages_name_their_own_address(client, path):
    html = client.get(path, headers=FORGED).text
    assert [link["href"] for link in links(html, "canonical")] == [f"http://localhost{path}"]


@pytest.mark.parametrize("path", ["/auth/login", "/auth/register", "/no-such-page"])
def test_other_pages_name_no_canonical_address(client, path):
    assert links(client.get(path).text, "canonical") == []
