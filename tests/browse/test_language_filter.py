"""The board's filter by the language a study is written in (``language=en`` or ``cy``), and
each card marking its title and summary with that language."""

import re

import pytest
from sqlalchemy import event, update
from werkzeug.datastructures import MultiDict

from board.browse import queries
from board.browse.cards import forget_cards
from board.browse.forms import CouncilLookup, parse_filters
from board.extensions import db
from board.models import CaseStudy, CouncilType, Nation, Outcome
from tests.browse.test_board import count_queries
from tests.browse.test_filters import HX, get_titles, shown_titles
from tests.factories import make_council, make_study

WELSH_TITLES = {"Sgwrsfot dwyieithog", "Synwyryddion mewn llyfrgelloedd"}
ENGLISH_TITLES = {"Phishing drill that backfired", "Care alarms over 4G"}


@pytest.fixture
def studies(app):
    with app.app_context():
        cardiff = make_council(
            "Cardiff Bay Council",
            nation=Nation.WALES,
            council_type=CouncilType.WELSH_PRINCIPAL_AREA,
        )
        kent = make_council("Kentish Town Council", council_type=CouncilType.DISTRICT)
        make_study(
            cardiff,
            title="Sgwrsfot dwyieithog",
            summary="Beth wnaethon ni roi cynnig arno.",
            topics=["digital-communications"],
            outcome=Outcome.PARTLY_WORKED,
            language="cy",
        )
        make_study(
            cardiff,
            title="Synwyryddion mewn llyfrgelloedd",
            topics=["smart-places-technology"],
            outcome=Outcome.DID_NOT_WORK,
            language="cy",
        )
        make_study(
            kent,
            title="Phishing drill that backfired",
            topics=["cyber-security"],
            outcome=Outcome.DID_NOT_WORK,
        )
        make_study(
            kent,
            title="Care alarms over 4G",
            topics=["digital-in-social-care"],
            outcome=Outcome.ONGOING,
        )
        db.session.commit()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", WELSH_TITLES | ENGLISH_TITLES),
        ("language=cy", WELSH_TITLES),
        ("language=en", ENGLISH_TITLES),
        ("language=", WELSH_TITLES | ENGLISH_TITLES),
        # Both ticked: either language.
        ("language=en&language=cy", WELSH_TITLES | ENGLISH_TITLES),
        ("language=cy&language=cy", WELSH_TITLES),
        ("language=cy&outcome=did-not-work", {"Synwyryddion mewn llyfrgelloedd"}),
        ("language=en&outcome=did-not-work", {"Phishing drill that backfired"}),
        ("language=cy&nation=wales", WELSH_TITLES),
        ("language=cy&council_type=district", set()),
        ("language=cy&q=sgwrsfot", {"Sgwrsfot dwyieithog"}),
        ("language=en&q=sgwrsfot", set()),
    ],
)
def test_the_language_filter_shows_only_studies_written_in_it(client, studies, query, expected):
    assert set(get_titles(client, "/?" + query)) == expected
    # The HTMX fragment shows exactly what the whole page shows.
    assert set(get_titles(client, "/?" + query, headers=HX)) == expected


def test_topic_and_council_pages_filter_by_language_too(client, studies):
    assert get_titles(client, "/topics/digital-communications?language=cy") == [
        "Sgwrsfot dwyieithog"
    ]
    assert get_titles(client, "/topics/digital-communications?language=en") == []
    assert set(get_titles(client, "/councils/cardiff-bay-council?language=cy")) == WELSH_TITLES
    assert get_titles(client, "/councils/cardiff-bay-council?language=en") == []


@pytest.mark.parametrize("value", ["fr", "CY", "welsh", "cy,en"])
def test_an_unknown_language_is_ignored_with_a_message(client, studies, value):
    html = client.get(f"/?language={value}").get_data(as_text=True)
    assert "We ignored part of this address" in html
    assert f"“{value}” is not a language." in html
    assert set(shown_titles(html)) == WELSH_TITLES | ENGLISH_TITLES
    # The form offers every language again, none ticked.
    assert 'id="language-en"' in html and 'id="language-cy"' in html
    assert not re.search(r'<input [^>]*id="language-\w+"[^>]* checked>', html)


def test_the_form_offers_the_languages_without_javascript_and_with_htmx(client, studies):
    html = client.get("/?language=cy").get_data(as_text=True)
    form = re.search(r'<form id="filters".*?</form>', html, re.DOTALL).group(0)
    assert 'id="language-cy" name="language" type="checkbox" value="cy" checked>' in form
    assert 'id="language-en" name="language" type="checkbox" value="en">' in form
    labels = re.findall(r'for="language-\w+">([^<]+)</label>', form)
    assert labels == ["English", "Welsh"]
    # Ticking one sends the form with htmx, as any tick box does.
    assert "change from:(#filters input[type=checkbox])" in form


def test_the_language_is_a_chip_in_the_tidy_url_and_the_title(client, studies):
    response = client.get("/?outcome=&language=cy&sort=newest", headers=HX)
    assert response.headers["HX-Push-Url"] == "/?language=cy"
    html = client.get("/?language=cy&outcome=did-not-work").get_data(as_text=True)
    assert "Language: Welsh" in html
    assert 'href="/?outcome=did-not-work"' in html  # the chip that removes the language
    dash = "\N{EN DASH}"
    assert f"<title>Did not work, In Welsh {dash} Case studies {dash} Case Board</title>" in html


def test_each_card_marks_its_title_and_summary_with_its_language(client, studies):
    html = client.get("/").get_data(as_text=True)
    cards = re.findall(
        r'<li class="app-study-card">.*?</li>\s*(?=<li class="app-study-card">|</ol>)',
        html,
        re.DOTALL,
    )
    assert len(cards) == 4
    for card in cards:
        title = re.search(r"app-study-card__title[^>]*>\s*<a [^>]*>([^<]+)</a>", card).group(1)
        language = "cy" if title in WELSH_TITLES else "en"
        assert f'class="govuk-heading-s app-study-card__title" lang="{language}"' in card
        assert f'class="govuk-body app-study-card__summary" lang="{language}"' in card


def test_a_card_is_drawn_again_when_its_language_changes(app, client, studies):
    forget_cards()
    assert 'lang="en">\n      <a class="govuk-link" href="/studies/' in client.get("/").get_data(
        as_text=True
    )
    with app.app_context():
        db.session.execute(
            update(CaseStudy).where(CaseStudy.title == "Care alarms over 4G").values(language="cy")
        )
        db.session.commit()
    # The change counter moved (0016 watches language): neither results nor card are old.
    assert set(get_titles(client, "/?language=cy")) == WELSH_TITLES | {"Care alarms over 4G"}
    html = client.get("/").get_data(as_text=True)
    card = re.search(r'app-study-card__title" lang="(\w+)">\s*<a [^>]*>Care alarms over 4G<', html)
    assert card.group(1) == "cy"


def test_filtering_by_language_costs_a_constant_number_of_queries(app, client, studies):
    paths = ["/?language=cy", "/?language=en&outcome=did-not-work", "/?language=cy&q=sgwrsfot"]
    # The topics are read once for each value of the board's change counter: by a first page.
    count_queries(app, client, "/?outcome=worked")
    plain = count_queries(app, client, "/?outcome=did-not-work")
    few = {path: count_queries(app, client, path) for path in paths}
    with app.app_context():
        council = make_council("Swansea Sands Council", nation=Nation.WALES)
        for number in range(30):
            make_study(
                council,
                title=f"Sgwrsfot rhif {number}",
                outcome=Outcome.DID_NOT_WORK,
                language="cy" if number % 2 else "en",
            )
        db.session.commit()
    count_queries(app, client, "/?outcome=worked")
    many = {path: count_queries(app, client, path) for path in paths}
    assert many == few
    assert few["/?language=cy"] == plain


@pytest.mark.parametrize("members", [False, True], ids=["visitor", "member"])
@pytest.mark.parametrize(
    "args",
    [
        [("language", "cy")],
        [("language", "cy"), ("topic", "cyber-security")],
        [("language", "cy"), ("sort", "useful")],
        [("language", "cy"), ("sort", "updated")],
    ],
    ids=lambda args: "&".join(f"{key}={value}" for key, value in args),
)
def test_the_welsh_board_is_read_from_a_language_index(app, studies, args, members):
    """The count and the page of "language=cy" find the Welsh studies in an index that holds
    each study's language (migrations 0021 and 0024): without one, the board read every published
    study's row to check its language (100 to 470 ms at 100,000 studies, none in Welsh)."""
    with app.app_context():
        topics = db.session.scalars(queries.topics_query()).all()
        filters = parse_filters(
            MultiDict(args), topics, find_councils=lambda text: CouncilLookup(councils=[])
        )
        connection = db.session.connection()
        dialect = connection.dialect.name
        if dialect == "postgresql":
            # A handful of rows is read faster whole than through any index, so reading the
            # whole table is ruled out; ANALYZE (undone with the transaction) tells the planner
            # how rare Welsh studies are, as it knows on a full board.
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            connection.exec_driver_sql("ANALYZE case_studies")
        count, page, parameters = queries.browse_statements(filters, members, dialect, 21, 0)
        for statement in (count, page):
            plan = _plan(connection, statement, parameters)
            if dialect == "sqlite":
                assert "COVERING INDEX ix_case_studies_status_language_" in plan, plan
                assert "SCAN case_studies" not in plan, plan
            else:
                # Read through the index, or as a bitmap of its entries: which, the planner
                # decides by the handful of rows a test has.
                assert re.search(
                    r"Index (Only )?Scan (Backward )?using ix_case_studies_status_language_\w+ "
                    r"on case_studies|Bitmap Index Scan on ix_case_studies_status_language_\w+",
                    plan,
                ), plan
                assert "Seq Scan on case_studies" not in plan, plan
                assert not re.search(r"Filter: .*\(language\)", plan), plan
        db.session.rollback()


def _plan(connection, statement, parameters) -> str:
    """The plan of ``statement`` as it is sent with ``parameters`` (its SQL and values as the
    driver gets them), one line a step."""
    sent = []

    def record(conn, cursor, sql, values, context, executemany):
        sent.append((sql, values))

    event.listen(connection, "before_cursor_execute", record)
    try:
        connection.execute(statement, parameters).all()
    finally:
        event.remove(connection, "before_cursor_execute", record)
    sql, values = sent[-1]
    explain = "EXPLAIN QUERY PLAN " if connection.dialect.name == "sqlite" else "EXPLAIN "
    return "\n".join(
        str(row[-1]) for row in connection.exec_driver_sql(explain + sql, values or None)
    )
