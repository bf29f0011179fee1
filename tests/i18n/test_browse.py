"""The board, topic and council pages in Welsh: counts with Welsh plurals, filters, chips,
titles and the main labels; each study's own text keeps its own language."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask_babel import force_locale

from board.browse.cards import forget_cards
from board.extensions import db
from board.i18n import COOKIE
from board.models import (
    CaseStudy,
    CostBand,
    CouncilType,
    Nation,
    Outcome,
    RevisionStatus,
    Status,
    Visibility,
)
from tests.factories import make_council, make_study


def in_welsh(client):
    client.set_cookie(COOKIE, "cy")
    return client


def heading(html: str) -> str:
    """The results' heading as it is read, tags and extra spaces dropped."""
    found = re.search(r'id="results-heading"[^>]*>(.*?)</h2>', html, re.DOTALL).group(1)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", found)).split())


def board_with(app, count: int, **fields) -> None:
    with app.app_context():
        council = make_council("Kentish Town Council")
        for number in range(count):
            make_study(council, title=f"Experiment {number}", **fields)
        db.session.commit()


@pytest.mark.parametrize(
    ("count", "welsh", "english"),
    [
        (0, "Dim astudiaethau achos", "0 case studies"),
        (1, "1 astudiaeth achos", "1 case study"),
        (2, "2 astudiaeth achos", "2 case studies"),
        (3, "3 astudiaeth achos", "3 case studies"),
        (6, "6 astudiaeth achos", "6 case studies"),
        (20, "20 astudiaeth achos", "20 case studies"),
    ],
)
def test_the_result_count_reads_right_in_welsh(app, client, count, welsh, english):
    """Welsh keeps the noun singular after a figure, and says "Dim" for none."""
    board_with(app, count)
    assert heading(client.get("/").get_data(as_text=True)) == english
    assert heading(in_welsh(client).get("/").get_data(as_text=True)) == welsh
    # The count said after an htmx update of the form is the same.
    form_changed = {"HX-Request": "true", "HX-Trigger": "filters"}
    html = client.get("/?sort=newest", headers=form_changed).get_data(as_text=True)
    status = re.search(r'<p id="result-status" hx-swap-oob="innerHTML">(.*?)</p>', html).group(1)
    assert status == welsh


@pytest.mark.parametrize(
    ("useful", "said"),
    [
        (0, "Dim aelodau wedi cael hyn yn ddefnyddiol"),
        (1, "1 aelod wedi cael hyn yn ddefnyddiol"),
        (2, "2 aelod wedi cael hyn yn ddefnyddiol"),
        (20, "20 aelod wedi cael hyn yn ddefnyddiol"),
    ],
)
def test_a_cards_useful_count_reads_right_in_welsh(app, client, useful, said):
    board_with(app, 1, useful_count=useful)
    html = in_welsh(client).get("/").get_data(as_text=True)
    footer = re.search(r'app-study-card__footer">(.*?)</p>', html, re.DOTALL).group(1)
    assert " ".join(footer.split()).endswith("· " + said)
    assert "Cyhoeddwyd <time datetime=" in footer


def test_the_filters_chips_and_title_are_welsh_and_the_study_keeps_its_language(app, client):
    with app.app_context():
        council = make_council(
            "Cardiff Bay Council",
            nation=Nation.WALES,
            council_type=CouncilType.WELSH_PRINCIPAL_AREA,
        )
        make_study(
            council,
            title="Phishing drill that backfired",
            summary="What we tried.",
            topics=["cyber-security"],
            outcome=Outcome.DID_NOT_WORK,
            visibility=Visibility.PUBLIC,
        )
        db.session.commit()
    html = in_welsh(client).get("/?topic=cyber-security&outcome=did-not-work&sort=nonsense")
    html = unescape(html.get_data(as_text=True))
    dash = "\N{EN DASH}"
    assert f"<title>Heb weithio, Seiberddiogelwch {dash} Astudiaethau achos {dash} Case Board" in (
        html
    )
    for welsh in (
        ">Hidlo<",
        ">Chwilio<",
        ">Pynciau<",
        ">Canlyniad<",
        ">Gwlad<",
        ">Math o gyngor<",
        ">Iaith<",
        ">Trefnu yn ôl<",
        ">Defnyddio'r hidlwyr<",
        "Unrhyw ganlyniad",
        "Heb weithio (methu'n gyflym)",
        ">Cymraeg<",
        ">Saesneg<",
        "Diweddaraf yn gyntaf",
        "Hidlwyr a ddewiswyd",
        "Pwnc: Seiberddiogelwch",
        "Canlyniad: Heb weithio",
        "Clirio'r holl hidlwyr",
        "Rydyn ni wedi anwybyddu rhan o'r cyfeiriad hwn:",
        "Nid yw “nonsense” yn ffordd o drefnu.",
        '<strong class="govuk-tag govuk-tag--red app-outcome-tag">Heb weithio</strong>',
        "Lawrlwytho'r canlyniadau hyn (CSV)",
    ):
        assert welsh in html, welsh
    # The study's own words are marked as English, whatever the page's language.
    assert re.search(r'app-study-card__title" lang="en">\s*<a [^>]*>Phishing drill', html)
    assert 'app-study-card__summary" lang="en">What we tried.</p>' in html


def test_cards_are_drawn_for_each_language(app, client):
    """The cards are kept per process for what they show: a card drawn in Welsh is never shown
    to someone reading in English, nor the other way round."""
    forget_cards()
    board_with(app, 1, outcome=Outcome.WORKED)
    assert ">Wedi gweithio</strong>" in in_welsh(client).get("/").get_data(as_text=True)
    client.set_cookie(COOKIE, "en")
    english = client.get("/").get_data(as_text=True)
    assert ">Worked</strong>" in english and "Wedi gweithio" not in english


def test_a_welsh_studys_card_is_marked_welsh_on_an_english_page(app, client):
    board_with(app, 1, language="cy")
    html = client.get("/?language=cy").get_data(as_text=True)
    assert 'app-study-card__title" lang="cy">' in html
    assert 'app-study-card__summary" lang="cy">' in html
    assert "Language: Welsh" in html
    assert "Iaith: Cymraeg" in in_welsh(client).get("/?language=cy").get_data(as_text=True)


def test_a_bad_filter_value_is_explained_in_welsh(app, client):
    board_with(app, 1)
    html = in_welsh(client).get("/?language=fr&outcome=maybe&council=zzzz").get_data(as_text=True)
    assert "Nid yw “fr” yn iaith." in html
    assert "Nid yw “maybe” yn ganlyniad." in html
    assert "Does dim cyngor yn cyfateb i “zzzz”. Gwiriwch y sillafu" in html
    assert "Mae problem wedi codi" in html
    assert '<span class="govuk-visually-hidden">Gwall:</span>' in html


def test_council_and_topic_pages_in_welsh(app, client):
    with app.app_context():
        make_council("Kentish Town Council", region="", council_type=CouncilType.DISTRICT)
        make_council(
            "Cardiff Bay Council",
            nation=Nation.WALES,
            region="",
            council_type=CouncilType.WELSH_PRINCIPAL_AREA,
        )
        db.session.commit()
    in_welsh(client)
    kent = client.get("/councils/kentish-town-council").get_data(as_text=True)
    assert "Cyngor dosbarth yn Lloegr." in kent
    assert "Pob astudiaeth achos" in kent
    cardiff = client.get("/councils/cardiff-bay-council").get_data(as_text=True)
    assert "Prif gyngor yng Nghymru yng Nghymru." in cardiff
    topic = client.get("/topics/cyber-security").get_data(as_text=True)
    assert '<span class="govuk-caption-xl">Pwnc</span>' in topic
    assert '<h1 class="govuk-heading-xl">Seiberddiogelwch</h1>' in topic
    assert "<title>Seiberddiogelwch" in topic


def test_the_main_labels_are_welsh(app):
    with app.test_request_context(), force_locale("cy"):
        assert [outcome.label for outcome in Outcome] == [
            "Wedi gweithio",
            "Wedi gweithio'n rhannol",
            "Heb weithio",
            "Yn parhau",
        ]
        assert CostBand.UNDER_10K.label == "Llai na £10,000"
        assert CostBand.FROM_10K_TO_50K.label == "£10,000 i £50,000"
        assert CostBand.NOT_DISCLOSED.label == "Heb ei ddatgelu"
        assert Visibility.MEMBERS.label == "Aelodau yn unig"
        assert Status.PUBLISHED.label == "Wedi'i chyhoeddi"
        assert RevisionStatus.APPROVED.label == "Wedi'i gymeradwyo"
        assert [nation.label for nation in Nation] == [
            "Lloegr",
            "Cymru",
            "Yr Alban",
            "Gogledd Iwerddon",
        ]
        assert CouncilType.NI_DISTRICT.label == "Cyngor dosbarth yng Ngogledd Iwerddon"
        assert [str(heading) for _, heading in CaseStudy.SECTIONS][-1] == (
            "Beth fydden ni'n ei wneud yn wahanol"
        )
    with app.test_request_context(), force_locale("en"):
        assert Outcome.DID_NOT_WORK.label == "Did not work"
        assert Nation.NORTHERN_IRELAND.label == "Northern Ireland"
        assert Status.SUBMITTED.label == "Waiting for review"
        assert str(CaseStudy.SECTIONS[0][1]) == "The challenge"
