"""The study page on the GOV.UK Design System: its facts as a Summary list that links to the
council's and each topic's page, the outcome as a Tag, GOV.UK headings and body text, and what
only a printed copy shows."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from board.extensions import db
from board.models import CostBand, Outcome
from tests.factories import make_study

# Classes of the old hand-made stylesheet, which the study page no longer uses.
OLD_CLASSES = ["heading-xl", "heading-m", "heading-s", "lead", "caption", "summary-list", "tag"]


@pytest.fixture
def study(app, world):
    with app.app_context():
        study = make_study(
            world.here,
            world.people.author,
            title="Chatbot that failed",
            topics=["cyber-security", "data-and-research"],
            outcome=Outcome.PARTLY_WORKED,
            cost_band=CostBand.FROM_10K_TO_50K,
            started_on=date(2023, 3, 1),
            ended_on=date(2023, 9, 1),
            published_at=datetime(2024, 5, 17, 10, 0, tzinfo=UTC),
            what_we_tried="A chatbot on the **bins** page.",
        )
        db.session.commit()
        return f"/studies/{study.id}/{study.slug}"


def facts(html: str) -> dict[str, str]:
    """Summary list rows as {key: value html}."""
    rows = re.findall(
        r'<dt class="govuk-summary-list__key">\s*(.*?)\s*</dt>\s*'
        r'<dd class="govuk-summary-list__value">\s*(.*?)\s*</dd>',
        html,
        re.S,
    )
    return {key: value for key, value in rows}


def class_names(html: str) -> set[str]:
    return {name for attr in re.findall(r'class="([^"]*)"', html) for name in attr.split()}


@pytest.mark.parametrize("role", ["visitor", "author", "moderator"])
def test_the_facts_are_a_summary_list_linking_council_and_topics(client, as_role, study, role):
    as_role(role)
    html = client.get(study).text
    article = html[html.index("<article") : html.index("</article>")]
    rows = facts(article)
    assert list(rows)[:3] == ["Council", "Outcome", "Topics"]
    assert (
        '<a class="govuk-link" href="/councils/hereshire-council">Hereshire Council</a>'
        in (rows["Council"])
    )
    assert 'href="/topics/cyber-security"' in rows["Topics"]
    assert 'href="/topics/data-and-research"' in rows["Topics"]
    tag = r'<strong class="govuk-tag [^"]*">\s*Partly worked\s*</strong>'
    assert re.search(tag, rows["Outcome"])
    assert "March 2023 to September 2023" in rows["When"]
    assert "£10,000 to £50,000" in rows["Cost"]
    assert '<time datetime="2024-05-17">' in rows["Published"]


def test_headings_and_text_are_the_design_systems(client, study):
    html = client.get(study).text
    main = html[html.index('<main class="govuk-main-wrapper"') : html.index("</main>")]
    assert re.search(r'<h1 class="govuk-heading-xl" lang="en">\s*Chatbot that failed\s*</h1>', main)
    assert '<span class="govuk-caption-l">Hereshire Council</span>' in main
    assert '<p class="govuk-body-l" lang="en">What we tried and what happened.</p>' in main
    assert '<h2 class="govuk-heading-m" id="section-what_we_tried">What we tried</h2>' in main
    assert "<strong>bins</strong>" in main
    assert '<div class="govuk-body app-prose' in main
    # The discussion's headings are the Design System's too.
    assert '<h2 class="govuk-heading-m" id="discussion-heading">' in main
    assert class_names(main) & set(OLD_CLASSES) == set()


def test_the_study_s_own_council_sees_its_status_with_design_system_buttons(client, as_role, study):
    as_role("author")
    html = client.get(study).text
    start = html.index('class="app-status-panel')
    panel = html[start : html.index("</section>", start)]
    assert '<h2 class="govuk-heading-s" id="status-heading">Status: Published</h2>' in panel
    assert "govuk-button govuk-button--warning" in panel  # withdraw from the board
    assert class_names(panel) & {"button", "button--warning", "button-group"} == set()


def test_a_printed_study_says_where_it_lives_and_when_it_was_published(app, client, study):
    # Whatever host the request named, the printed address is the service's public one.
    html = client.get(study, headers={"Host": "localhost"}).text
    block = html[html.index('id="print-details"') :]
    block = block[: block.index("</p>")]
    assert "app-print-only" in html[html.index('id="print-details"') - 60 :][:120]
    assert app.config["PUBLIC_URL"].rstrip("/") + study in block
    assert '<time datetime="2024-05-17">17 May 2024</time>' in block


def test_the_preview_shows_names_without_links(app, client, as_role):
    """In the write-up form's preview, the council and topics are named but not links: a
    click there would leave a half-written form."""
    from tests.case_studies.test_writing import form_data

    as_role("author")
    data = form_data(app, client, action="preview")
    html = client.post("/studies/preview", data=data, headers={"HX-Request": "true"}).text
    assert "Hereshire Council" in html and "Digital inclusion and connectivity" in html
    assert 'href="/councils/' not in html and 'href="/topics/' not in html
    assert "govuk-summary-list" in html and "govuk-tag" in html
