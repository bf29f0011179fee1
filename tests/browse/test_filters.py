"""Filtering the board: every combination has one URL, with or without JavaScript."""

import re
from html import unescape

import pytest
from werkzeug.datastructures import MultiDict

from board.browse.forms import parse_filters
from board.extensions import db
from board.models import CouncilType, Nation, Outcome, Topic, Visibility
from tests.browse.test_board import count_queries
from tests.factories import make_council, make_study, make_user

HX = {"HX-Request": "true"}


@pytest.fixture
def studies(app):
    """Studies spread over topics, outcomes and councils of different kinds."""
    with app.app_context():
        kent = make_council("Kentish Town Council", council_type=CouncilType.DISTRICT)
        cardiff = make_council(
            "Cardiff Bay Council",
            nation=Nation.WALES,
            council_type=CouncilType.WELSH_PRINCIPAL_AREA,
            region="Wales",
        )
        fife = make_council(
            "Fife Coast Council",
            nation=Nation.SCOTLAND,
            council_type=CouncilType.SCOTTISH_COUNCIL_AREA,
        )
        make_study(
            kent,
            title="Phishing drill that backfired",
            topics=["cyber-security"],
            outcome=Outcome.DID_NOT_WORK,
            useful_count=2,
        )
        make_study(
            kent,
            title="Backups restored in an hour",
            topics=["cyber-security"],
            outcome=Outcome.WORKED,
            useful_count=9,
        )
        make_study(
            cardiff,
            title="Sensors in Welsh libraries",
            topics=["smart-places-technology", "data-and-research"],
            outcome=Outcome.DID_NOT_WORK,
        )
        make_study(
            cardiff,
            title="Bilingual chatbot",
            topics=["digital-communications"],
            outcome=Outcome.PARTLY_WORKED,
            useful_count=5,
        )
        make_study(
            fife,
            title="Care alarms over 4G",
            topics=["digital-in-social-care"],
            outcome=Outcome.ONGOING,
        )
        make_study(
            fife,
            title="Members only cyber incident",
            topics=["cyber-security"],
            outcome=Outcome.DID_NOT_WORK,
            visibility=Visibility.MEMBERS,
        )
        db.session.commit()


ALL_PUBLIC = {
    "Phishing drill that backfired",
    "Backups restored in an hour",
    "Sensors in Welsh libraries",
    "Bilingual chatbot",
    "Care alarms over 4G",
}


def shown_titles(html: str) -> list[str]:
    return [
        unescape(title)
        for title in re.findall(r"app-study-card__title[^>]*>\s*<a [^>]*>([^<]+)</a>", html)
    ]


def page_of(html: str) -> str | None:
    """ "page 2 of 3" as the results' heading says it (to screen readers), and the current page
    and the last in the numbered pagination say it to everyone; None for a single page."""
    heading = re.search(r'id="results-heading"[^>]*>.*?</h2>', html, re.DOTALL).group(0)
    said = re.search(r", (page [\d,]+ of [\d,]+)</span>", heading)
    current = re.search(r'aria-label="Page ([\d,]+)" aria-current="page"', html)
    numbers = re.findall(
        r'govuk-pagination__item[^"]*">\s*<a [^>]*aria-label="Page ([\d,]+)"', html
    )
    if said is None:
        assert current is None
        return None
    assert said.group(1) == f"page {current.group(1)} of {numbers[-1]}"
    return said.group(1)


def get_titles(client, path: str, **kwargs) -> list[str]:
    response = client.get(path, **kwargs)
    assert response.status_code == 200
    return shown_titles(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL_PUBLIC),
        ("topic=cyber-security", {"Phishing drill that backfired", "Backups restored in an hour"}),
        # Several topics: studies on any of them.
        (
            "topic=cyber-security&topic=digital-communications",
            {"Phishing drill that backfired", "Backups restored in an hour", "Bilingual chatbot"},
        ),
        (
            "outcome=did-not-work",
            {"Phishing drill that backfired", "Sensors in Welsh libraries"},
        ),
        ("topic=cyber-security&outcome=did-not-work", {"Phishing drill that backfired"}),
        ("council=cardiff-bay-council", {"Sensors in Welsh libraries", "Bilingual chatbot"}),
        ("nation=wales", {"Sensors in Welsh libraries", "Bilingual chatbot"}),
        ("nation=scotland", {"Care alarms over 4G"}),
        ("council_type=district", {"Phishing drill that backfired", "Backups restored in an hour"}),
        ("nation=wales&outcome=did-not-work", {"Sensors in Welsh libraries"}),
        ("nation=wales&council_type=district", set()),
        (
            "topic=data-and-research&nation=wales&outcome=did-not-work",
            {"Sensors in Welsh libraries"},
        ),
        ("q=chatbot", {"Bilingual chatbot"}),
        ("q=chatbot&nation=scotland", set()),
        (
            "q=backfired&topic=cyber-security&outcome=did-not-work",
            {"Phishing drill that backfired"},
        ),
    ],
)
def test_filter_combinations(client, studies, query, expected):
    assert set(get_titles(client, "/?" + query)) == expected
    # The HTMX fragment shows exactly what the whole page shows.
    assert set(get_titles(client, "/?" + query, headers=HX)) == expected


def test_members_only_studies_are_filtered_for_members_too(client, sign_in, studies, app):
    with app.app_context():
        member = make_user(make_council())
        db.session.commit()
    sign_in(member)
    titles = get_titles(client, "/?topic=cyber-security&outcome=did-not-work")
    assert set(titles) == {"Phishing drill that backfired", "Members only cyber incident"}


def test_sort_newest_and_most_useful(client, studies):
    newest = get_titles(client, "/")
    assert newest[0] == "Phishing drill that backfired"  # the factories publish in order
    useful = get_titles(client, "/?sort=useful")
    assert useful[:3] == [
        "Backups restored in an hour",
        "Bilingual chatbot",
        "Phishing drill that backfired",
    ]


def test_the_form_works_without_javascript(client, studies):
    html = client.get("/?topic=cyber-security&outcome=did-not-work&q=drill").get_data(as_text=True)
    form = re.search(r'<form id="filters".*?</form>', html, re.DOTALL).group(0)
    assert 'action="/"' in form and 'method="get"' in form
    assert re.search(r'<button type="submit"[^>]*>\s*Apply filters\s*</button>', form)
    # The form shows the filters in force, so submitting it again keeps them.
    assert re.search(r'id="topic-cyber-security"[^>]*checked', form)
    assert not re.search(r'id="topic-data-and-research"[^>]*checked', form)
    assert re.search(r'<option value="did-not-work" selected>', form)
    assert 'value="drill"' in form
    # Every control is labelled; topics are checkboxes in a fieldset with a legend.
    for control in re.findall(r'<(?:input|select)[^>]*\sid="([^"]+)"', form):
        assert f'for="{control}"' in form, control
    assert "<legend" in form and "Topics" in form


def test_the_form_enhances_with_htmx(client, studies):
    html = client.get("/").get_data(as_text=True)
    form = re.search(r"<form [^>]*>", html).group(0)
    assert 'hx-get="/"' in form
    assert 'hx-target="#results"' in form
    assert 'hx-push-url="true"' in form
    assert "input changed delay:300ms" in form and "search" in form and "change" in form
    # Strict CSP: no inline handlers or styles.
    assert "hx-on" not in html and "style=" not in html and "<script>" not in html


def test_htmx_gets_the_results_fragment_and_the_url_to_show(client, studies):
    response = client.get(
        "/?q=&topic=cyber-security&outcome=&council=&nation=&council_type=&sort=",
        headers={**HX, "HX-Current-URL": "http://localhost/", "HX-Trigger": "filters"},
    )
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<form" not in html
    assert {"HX-Request", "HX-Target"} <= {v.strip() for v in response.headers["Vary"].split(",")}
    # Empty fields are dropped from the URL pushed into the address bar.
    assert response.headers["HX-Push-Url"] == "/?topic=cyber-security"
    # The count is announced in the live region, out of band.
    assert re.search(r'<p id="result-status" hx-swap-oob="innerHTML">2 case studies</p>', html)
    # Typing keeps focus in the search box: nothing in the fragment takes focus.
    assert "autofocus" not in html


def test_the_same_url_is_not_pushed_twice(client, studies):
    response = client.get(
        "/?topic=cyber-security",
        headers={**HX, "HX-Current-URL": "http://localhost/?topic=cyber-security"},
    )
    assert response.headers["HX-Push-Url"] == "false"


def test_url_round_trip(client, studies):
    """The URL pushed after an HTMX update renders the same results as a whole page, and a
    history restore of it gets the whole page too."""
    fragment = client.get(
        "/?outcome=did-not-work&topic=smart-places-technology&topic=cyber-security&q=",
        headers=HX,
    )
    pushed = fragment.headers["HX-Push-Url"]
    assert pushed == "/?topic=smart-places-technology&topic=cyber-security&outcome=did-not-work"
    full = client.get(pushed)
    assert "<html" in full.get_data(as_text=True)
    assert shown_titles(full.get_data(as_text=True)) == shown_titles(
        fragment.get_data(as_text=True)
    )
    restore = client.get(pushed, headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)
    assert shown_titles(restore.get_data(as_text=True)) == shown_titles(full.get_data(as_text=True))


def test_active_filter_chips_and_clear_all(client, studies):
    html = client.get("/?topic=cyber-security&outcome=did-not-work&q=drill").get_data(as_text=True)
    chips = re.findall(r'<a class="moj-filter__tag" href="([^"]+)"[^>]*>(.*?)</a>', html)
    labels = [
        re.sub(r"<[^>]+>", "", label)
        .replace("Remove filter ", "")
        .strip(" \N{MULTIPLICATION SIGN}")
        for _, label in chips
    ]
    assert labels == ["Search: drill", "Topic: Cyber security", "Outcome: Did not work"]
    hrefs = [unescape(href) for href, _ in chips]
    assert hrefs == [
        "/?topic=cyber-security&outcome=did-not-work",
        "/?q=drill&outcome=did-not-work",
        "/?q=drill&topic=cyber-security",
    ]
    assert re.search(
        r'<a class="govuk-link" href="/" hx-get="/" hx-target="#board"[^>]*>Clear all filters</a>',
        html,
    )


def test_a_chip_link_redraws_the_form_and_focuses_the_results(client, studies):
    response = client.get("/?outcome=did-not-work", headers={**HX, "HX-Target": "board"})
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert '<form id="filters"' in html
    assert re.search(r'<option value="did-not-work" selected>', html)
    assert re.search(r'<h2 id="results-heading"[^>]*autofocus', html)


def test_no_filters_means_no_chips(client, studies):
    html = client.get("/").get_data(as_text=True)
    assert "moj-filter__tag" not in html and "Clear all filters" not in html


def test_pagination_keeps_the_filters(app, client):
    with app.app_context():
        council = make_council()
        author = make_user(council)
        for number in range(25):
            make_study(council, author, title=f"Cyber study {number:02}", topics=["cyber-security"])
        make_study(council, author, title="Other topic", topics=["data-and-research"])
        db.session.commit()
    first = client.get("/?topic=cyber-security").get_data(as_text=True)
    assert "25 case studies" in first and page_of(first) == "page 1 of 2"
    next_link = unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    assert next_link == "/?topic=cyber-security&page=2"
    second = client.get(next_link).get_data(as_text=True)
    assert len(shown_titles(second)) == 5
    assert "Other topic" not in second
    previous = unescape(re.search(r'href="([^"]+)" rel="prev"', second).group(1))
    assert previous == "/?topic=cyber-security"
    # With htmx, page links swap the results only and then focus their heading.
    assert re.search(r'href="[^"]+" rel="prev" hx-get="[^"]+" hx-target="#results"', second)
    fragment = client.get(next_link, headers=HX).get_data(as_text=True)
    assert re.search(r'<h2 id="results-heading"[^>]*autofocus', fragment)


def test_a_page_past_the_end_says_so(client, studies):
    html = client.get("/?page=40").get_data(as_text=True)
    assert "There are no results on page 40" in html
    assert '<a class="govuk-link" href="/">Go to the first page</a>' in html


@pytest.mark.parametrize(
    "query",
    [
        "topic=not-a-topic",
        "outcome=worked-ish",
        "council=nowhere",
        "nation=atlantis",
        "council_type=parish",
        "sort=random",
        "page=abc",
        "page=-1",
        "page=0",
        "page=99999999999999999999",
        "page=%C2%B2",
        "q=" + "x" * 5000,
        "q=%22unbalanced%20quote",
        "q=NEAR(a%20b)%20OR%20*",
        "q=%00%01",
        "topic=" + "&topic=".join(["cyber-security"] * 50),
    ],
)
def test_odd_input_is_never_an_error(client, studies, query):
    assert client.get("/?" + query).status_code == 200
    assert client.get("/?" + query, headers=HX).status_code == 200
    assert client.get("/topics/cyber-security?" + query).status_code == 200


def test_unknown_values_are_ignored_with_a_message(client, studies):
    html = client.get("/?topic=not-a-topic&outcome=maybe&sort=random").get_data(as_text=True)
    assert "We ignored part of this address" in html
    assert "“not-a-topic” is not a topic." in html
    assert "“maybe” is not an outcome." in html
    assert set(shown_titles(html)) == ALL_PUBLIC


def test_parse_filters_reads_and_writes_a_tidy_url(app):
    with app.app_context():
        topics = db.session.scalars(db.select(Topic).order_by(Topic.position)).all()
    args = MultiDict(
        [
            ("topic", "cyber-security"),
            ("topic", "digital-inclusion-and-connectivity"),
            ("topic", "cyber-security"),
            ("outcome", "did-not-work"),
            ("q", "  phishing   drill "),
            ("sort", "newest"),
            ("page", "3"),
            ("nation", ""),
        ]
    )
    filters = parse_filters(args, topics, find_council=lambda slug: None)
    assert filters.ignored == []
    assert filters.q == "phishing drill"
    # Topics in the topics' own order, each once.
    assert filters.to_args() == {
        "q": "phishing drill",
        "topic": ["digital-inclusion-and-connectivity", "cyber-security"],
        "outcome": "did-not-work",
        "sort": "newest",
        "page": 3,
    }
    assert filters.ordering == "newest"
    # Newest is the default without a search, so it is left out of the URL then.
    plain = parse_filters(MultiDict([("sort", "newest")]), topics, lambda slug: None)
    assert plain.to_args() == {} and plain.ordering == "newest"
    searching = parse_filters(MultiDict([("q", "drill")]), topics, lambda slug: None)
    assert searching.ordering == "relevance"


def test_filtered_pages_cost_a_constant_number_of_queries(app, client, studies):
    paths = [
        "/?topic=cyber-security&outcome=did-not-work",
        "/?nation=wales&council_type=welsh-principal-area&sort=useful",
        "/?q=chatbot",
        "/topics/cyber-security",
        "/councils/cardiff-bay-council",
    ]
    few = {path: count_queries(app, client, path) for path in paths}
    with app.app_context():
        council = make_council(
            "Swansea Sands Council",
            nation=Nation.WALES,
            council_type=CouncilType.WELSH_PRINCIPAL_AREA,
        )
        for number in range(30):
            make_study(
                council,
                title=f"Chatbot number {number}",
                topics=["cyber-security", "digital-communications"],
                outcome=Outcome.DID_NOT_WORK,
            )
        db.session.commit()
    many = {path: count_queries(app, client, path) for path in paths}
    assert many == few
    assert max(few.values()) <= 6  # with the results cache's change counter
