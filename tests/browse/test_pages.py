"""Topic pages and council pages: what they say, and the studies they list."""

import re

import pytest

from board.extensions import db
from board.models import CouncilType, Nation, Outcome, Status, Visibility
from tests.browse.test_filters import HX, shown_titles
from tests.factories import make_council, make_study


@pytest.fixture
def councils(app):
    with app.app_context():
        here = make_council(
            "Hereford Vale Council",
            nation=Nation.ENGLAND,
            region="West Midlands",
            council_type=CouncilType.UNITARY,
            website="https://www.herefordvale.gov.uk",
        )
        there = make_council("Thereby District Council")
        make_study(
            here,
            title="Cyber drill that failed",
            topics=["cyber-security"],
            outcome=Outcome.DID_NOT_WORK,
        )
        make_study(
            here, title="Open data portal", topics=["data-and-research"], outcome=Outcome.WORKED
        )
        make_study(
            here,
            title="Secret cyber near miss",
            topics=["cyber-security"],
            visibility=Visibility.MEMBERS,
        )
        make_study(here, title="Draft cyber plan", topics=["cyber-security"], status=Status.DRAFT)
        make_study(
            there, title="Their cyber training", topics=["cyber-security"], outcome=Outcome.WORKED
        )
        db.session.commit()


def test_topic_page(client, councils):
    response = client.get("/topics/cyber-security")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r"<h1[^>]*>Cyber security</h1>", html)
    assert "Protecting council systems" in html  # the seeded description
    assert re.search(
        r'<a class="govuk-link" href="https://www\.local\.gov\.uk/[^"]*"[^>]*>'
        r"Read the resource pack",
        html,
    )
    assert set(shown_titles(html)) == {"Cyber drill that failed", "Their cyber training"}
    # The topic is the page: no topic checkboxes, and the form submits to the same page.
    assert 'name="topic"' not in html
    assert 'action="/topics/cyber-security"' in html


def test_topic_page_takes_the_same_filters(client, councils):
    html = client.get("/topics/cyber-security?outcome=did-not-work").get_data(as_text=True)
    assert shown_titles(html) == ["Cyber drill that failed"]
    fragment = client.get(
        "/topics/cyber-security?outcome=worked&council=thereby-district-council", headers=HX
    )
    assert shown_titles(fragment.get_data(as_text=True)) == ["Their cyber training"]
    assert fragment.headers["HX-Push-Url"] == (
        "/topics/cyber-security?outcome=worked&council=thereby-district-council"
    )
    # A chip removes a filter but stays on the topic.
    assert 'href="/topics/cyber-security?council=thereby-district-council"' in (
        fragment.get_data(as_text=True)
    )


def test_council_page(client, councils):
    response = client.get("/councils/hereford-vale-council")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r"<h1[^>]*>Hereford Vale Council</h1>", html)
    assert "West Midlands" in html and "Unitary authority" in html and "England" in html
    assert 'href="https://www.herefordvale.gov.uk"' in html
    assert set(shown_titles(html)) == {"Cyber drill that failed", "Open data portal"}
    # The council is the page: no council, nation or council type filters.
    assert 'name="council"' not in html and 'name="nation"' not in html
    filtered = client.get("/councils/hereford-vale-council?topic=data-and-research")
    assert shown_titles(filtered.get_data(as_text=True)) == ["Open data portal"]


def test_council_page_shows_members_only_studies_to_members(client, councils, sign_in, app):
    from tests.factories import make_user

    with app.app_context():
        member = make_user(make_council())
        db.session.commit()
    sign_in(member)
    html = client.get("/councils/hereford-vale-council").get_data(as_text=True)
    assert set(shown_titles(html)) == {
        "Cyber drill that failed",
        "Open data portal",
        "Secret cyber near miss",
    }


@pytest.mark.parametrize("path", ["/topics/no-such-topic", "/councils/no-such-council"])
def test_unknown_topic_or_council_is_404(client, path):
    assert client.get(path).status_code == 404


def test_cards_link_to_their_council_and_topics(client, councils):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/councils/hereford-vale-council"' in html
    assert 'href="/topics/cyber-security"' in html
