"""Filtering the board: every combination has one URL, with or without JavaScript."""

import re
from html import unescape

import pytest
from werkzeug.datastructures import MultiDict

from board.browse.forms import CouncilLookup, parse_filters
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
        "council=%25_%5C",
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


def no_councils(text: str) -> CouncilLookup:
    return CouncilLookup(councils=[])


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
    filters = parse_filters(args, topics, find_councils=no_councils)
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
    plain = parse_filters(MultiDict([("sort", "newest")]), topics, no_councils)
    assert plain.to_args() == {} and plain.ordering == "newest"
    searching = parse_filters(MultiDict([("q", "drill")]), topics, no_councils)
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


# -- the council field ---------------------------------------------------------------------------


@pytest.fixture
def devon(app, studies):
    """Three councils with "Devon" in their name, each with a study."""
    with app.app_context():
        for name in ("Devon County Council", "East Devon District Council", "Mid Devon Council"):
            make_study(
                make_council(name, council_type=CouncilType.DISTRICT),
                title=f"Study in {name}",
                topics=["cyber-security"],
                outcome=Outcome.DID_NOT_WORK,
            )
        db.session.commit()


def council_field(html: str) -> str:
    return re.search(r'<div id="council-field".*?<input [^>]*>', html, re.DOTALL).group(0)


def field_value(html: str) -> str:
    field = council_field(html)
    return unescape(re.search(r'<input [^>]*\bvalue="([^"]*)"', field).group(1))


@pytest.mark.parametrize(
    "text",
    ["cardiff-bay-council", "Cardiff Bay Council", "cardiff bay", "CARDIFF", "  Bay   council "],
)
def test_a_council_is_found_by_its_slug_its_name_or_part_of_it(client, studies, text):
    response = client.get("/", query_string={"council": text})
    html = response.text
    assert set(shown_titles(html)) == {"Sensors in Welsh libraries", "Bilingual chatbot"}
    # The field shows the council's name; the chip and the links use its slug.
    assert field_value(html) == "Cardiff Bay Council"
    assert "govuk-error-message" not in html and "There is a problem" not in html
    assert "Council: Cardiff Bay Council" in html
    # With htmx the address bar gets the canonical URL, with the slug.
    fragment = client.get("/", query_string={"council": text, "outcome": ""}, headers=HX)
    assert fragment.headers["HX-Push-Url"] == "/?council=cardiff-bay-council"
    assert set(shown_titles(fragment.text)) == {"Sensors in Welsh libraries", "Bilingual chatbot"}


def test_a_council_name_matches_whatever_the_case_of_its_accents(client, app):
    with app.app_context():
        make_study(make_council("Ynys Môn Council"), title="Island broadband")
        db.session.commit()
    html = client.get("/", query_string={"council": "YNYS MÔN"}).text
    assert shown_titles(html) == ["Island broadband"]
    assert field_value(html) == "Ynys Môn Council"


def test_several_matching_councils_are_offered_as_links_keeping_the_other_filters(client, devon):
    html = client.get("/?council=devon&outcome=did-not-work&q=study").text
    field = council_field(html)
    message = "More than one council matches “devon”: choose one"
    # Beside the field, in the Design System's error pattern, and described by it.
    assert "govuk-form-group--error" in field
    assert re.search(r'<p id="council-error" class="govuk-error-message">.*' + message, field)
    assert re.search(r'<input class="[^"]*govuk-input--error[^"]*" id="council"', field)
    assert 'aria-describedby="council-hint council-error"' in field
    # Summarised at the top of the form, with a link to the field.
    form = re.search(r'<form id="filters".*?</form>', html, re.DOTALL).group(0)
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', form, re.DOTALL).group(0)
    assert form.index("govuk-error-summary") < form.index('id="q"')
    assert 'role="alert"' in summary and "There is a problem" in summary
    assert f'<a href="#council">{message}</a>' in summary
    # The user's text is kept, and each match is a link to the same view filtered by it.
    assert field_value(html) == "devon"
    links = re.findall(r'<li><a class="govuk-link" href="([^"]+)"[^>]*>([^<]+)</a></li>', field)
    assert [name for _, name in links] == [
        "Devon County Council",
        "East Devon District Council",
        "Mid Devon Council",
    ]
    assert unescape(links[1][0]) == (
        "/?q=study&outcome=did-not-work&council=east-devon-district-council"
    )
    # No council filters the results meanwhile; the other filters still do.
    assert set(shown_titles(html)) == {
        "Study in Devon County Council",
        "Study in East Devon District Council",
        "Study in Mid Devon Council",
    }
    chosen = client.get(unescape(links[1][0])).text
    assert shown_titles(chosen) == ["Study in East Devon District Council"]
    assert field_value(chosen) == "East Devon District Council"


def test_many_matching_councils_list_the_first_ten(client, app, studies):
    with app.app_context():
        for number in range(12):
            make_council(f"Borough {number:02} Council")
        db.session.commit()
    html = client.get("/?council=borough").text
    assert len(re.findall(r"<li><a class=\"govuk-link\" href=\"/\?council=borough-", html)) == 10
    assert "More councils match: type more of the name." in html


def test_no_matching_council_keeps_the_text_and_the_other_filters(client, studies):
    html = client.get("/?council=Xyz%25&outcome=did-not-work").text
    message = "No council matches “Xyz%”. Check the spelling"
    assert message in council_field(html)
    assert f'<a href="#council">{message}</a>' in html
    assert field_value(html) == "Xyz%"
    # "%" is not a pattern: it matched nothing, and the outcome still filters.
    assert set(shown_titles(html)) == {
        "Phishing drill that backfired",
        "Sensors in Welsh libraries",
    }
    assert "We ignored part of this address" not in html


def test_the_council_field_sends_its_own_request_on_change(client, studies):
    html = client.get("/").text
    form = re.search(r"<form [^>]*>", html).group(0)
    field = council_field(html)
    assert 'hx-trigger="change"' in field and 'hx-include="#filters"' in field
    assert 'hx-target="#results"' in field and 'hx-push-url="true"' in field
    # The form's own triggers leave the council field to itself.
    assert "#filters input[type=checkbox]" in form and "from:#q" in form
    assert "input[type=text]" not in form and "from:#council" not in form


@pytest.mark.parametrize("trigger", ["council", "filters"])
def test_htmx_redraws_the_council_field_and_announces_its_error(client, devon, trigger):
    headers = {**HX, "HX-Trigger": trigger, "HX-Current-URL": "http://localhost/"}
    found = client.get("/?q=&council=east+devon&outcome=", headers=headers)
    assert found.headers["HX-Push-Url"] == "/?council=east-devon-district-council"
    html = found.text
    # The results, with the field out of band showing the council's name, and no error.
    assert shown_titles(html) == ["Study in East Devon District Council"]
    assert re.search(r'<div id="council-field" class="govuk-form-group" hx-swap-oob="true">', html)
    assert field_value(html) == "East Devon District Council"
    assert re.search(r'<div id="filter-errors" hx-swap-oob="true">\s*</div>', html)
    assert re.search(r'<p id="result-status" hx-swap-oob="innerHTML">1 case study</p>', html)
    # Focus stays where it is.
    assert "autofocus" not in html

    several = client.get("/?council=devon&outcome=did-not-work", headers=headers)
    html = several.text
    assert several.headers["HX-Push-Url"] == "/?outcome=did-not-work&council=devon"
    message = "More than one council matches “devon”: choose one"
    assert message in council_field(html) and field_value(html) == "devon"
    # The summary does not take focus from the field, and is not a second alert: the
    # page's live region says the error, then the count.
    summary = re.search(r'<div id="filter-errors" hx-swap-oob="true">.*?</ul>', html, re.DOTALL)
    assert 'data-disable-auto-focus="true"' in summary.group(0)
    assert 'role="alert"' not in summary.group(0)
    assert f'<p id="result-status" hx-swap-oob="innerHTML">{message}. 5 case studies</p>' in html
    assert "autofocus" not in html

    none = client.get("/?council=nowhere&outcome=did-not-work", headers=headers).text
    assert "No council matches “nowhere”. Check the spelling. 5 case studies</p>" in none
    assert field_value(none) == "nowhere"


def test_links_and_pages_after_a_link_do_not_redraw_the_council_field(client, devon):
    # A page link swaps the results and focuses their heading; the form is not touched.
    html = client.get("/?council=devon", headers=HX).text
    assert 'id="council-field"' not in html and 'id="filter-errors"' not in html
    # A filter link redraws the whole board, form and field included.
    board = client.get("/?council=devon", headers={**HX, "HX-Target": "board"}).text
    assert board.count('id="council-field"') == 1 and "hx-swap-oob" not in council_field(board)


def test_council_pages_have_no_council_field(client, studies):
    html = client.get("/councils/cardiff-bay-council?council=fife").text
    assert 'id="council"' not in html and "govuk-error-summary" not in html
    assert set(shown_titles(html)) == {"Sensors in Welsh libraries", "Bilingual chatbot"}


def test_the_council_lookup_costs_one_query(app, client, devon):
    # The topics are read once for each value of the board's change counter: by a first page.
    count_queries(app, client, "/?outcome=worked")
    plain = count_queries(app, client, "/?outcome=did-not-work")
    for text in ("devon", "mid devon", "mid-devon-council", "nowhere"):
        assert count_queries(app, client, f"/?outcome=did-not-work&council={text}") == plain + 1
