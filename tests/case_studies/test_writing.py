"""Writing and editing a case study: who may, what is checked, and that nothing typed is lost."""

import re

import pytest

from board.extensions import db
from board.models import CaseStudy, ModerationLog, Outcome, Status, Topic, Visibility
from tests.conftest import csrf_token_from
from tests.factories import ROLES, make_study

LONG_TEXT = "We put kiosks in three libraries. " * 200


def topic_id(app, slug):
    with app.app_context():
        return db.session.scalar(db.select(Topic.id).where(Topic.slug == slug))


def form_data(app, client, path="/studies/new", **changes):
    data = {
        "csrf_token": csrf_token_from(client.get(path).get_data(as_text=True)),
        "title": "Self-service kiosks nobody used",
        "summary": "Three library kiosks for council tax queries were used twice a week.",
        "topics": [str(topic_id(app, "digital-inclusion-and-connectivity"))],
        "outcome": "did-not-work",
        "challenge": "Queues at the counter. Why do we do it that way?",
        "what_we_tried": LONG_TEXT,
        "what_happened": "Almost nobody used them.",
        "what_we_learned": "Ask residents **before** buying hardware.",
        "what_we_would_do_differently": "Pilot one kiosk for a month.",
        "started_month": "3",
        "started_year": "2023",
        "ended_month": "9",
        "ended_year": "2023",
        "cost_band": "10k-50k",
        "visibility": "public",
        "action": "save",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("visitor", 302),
        ("unverified", 403),
        ("author", 200),
        ("outsider", 200),
        ("moderator", 200),
        ("admin", 403),  # an admin without a council has no council to write for
    ],
)
def test_who_may_open_the_new_study_form(client, as_role, role, status):
    as_role(role)
    response = client.get("/studies/new")
    assert response.status_code == status
    if role == "visitor":
        assert response.headers["Location"].startswith("/auth/login?next=")


def test_saving_a_draft(app, client, as_role, world):
    as_role("author")
    response = client.post("/studies/new", data=form_data(app, client))
    assert response.status_code == 302
    with app.app_context():
        study = db.session.scalar(db.select(CaseStudy))
        assert study.status is Status.DRAFT
        assert study.council_id == world.here.id
        assert study.author_id == world.people.author.id
        assert study.outcome is Outcome.DID_NOT_WORK
        assert [topic.slug for topic in study.topics] == ["digital-inclusion-and-connectivity"]
        assert (study.started_on.isoformat(), study.ended_on.isoformat()) == (
            "2023-03-01",
            "2023-09-01",
        )
        assert study.what_we_tried == LONG_TEXT.strip()
        assert study.published_at is None
    # A draft is not on the board.
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})
    assert "Self-service kiosks" not in client.get("/").get_data(as_text=True)


def test_save_and_submit_for_review(app, client, as_role):
    as_role("author")
    response = client.post("/studies/new", data=form_data(app, client, action="submit"))
    assert response.status_code == 302
    with app.app_context():
        study = db.session.scalar(db.select(CaseStudy))
        assert study.status is Status.SUBMITTED
        assert study.submitted_at is not None
        log = db.session.scalar(db.select(ModerationLog))
        assert (log.action, log.target_id) == ("study.submitted", study.id)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter a title"),
        ({"outcome": ""}, "Select the outcome"),
        ({"summary": "x" * 301}, "Summary must be 300 characters or fewer"),
        ({"started_year": "23"}, "Enter a year from 2000 to "),
        ({"started_month": ""}, "Enter the month it started"),
        ({"started_month": "13"}, "Enter the month it started as a number from 1 to 12"),
        ({"started_month": "3" * 5000}, "Enter the month it started as a number from 1 to 12"),
        ({"ended_year": "2022"}, "The end date must be the same as or after the start"),
        ({"topics": ["999"]}, "Choose topics from the list"),
        ({"topics": ["not-a-number"]}, "Choose topics from the list"),
        ({"action": "submit", "what_we_learned": ""}, "Enter what you learned"),
        ({"action": "submit", "topics": []}, "Choose at least one topic"),
        ({"action": "submit", "summary": ""}, "Enter a summary"),
    ],
)
def test_bad_input_is_explained_and_everything_typed_is_kept(
    app, client, as_role, changes, message
):
    as_role("author")
    response = client.post("/studies/new", data=form_data(app, client, **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in html
    assert message in html
    assert LONG_TEXT.strip() in html  # the long section survives
    assert "Ask residents **before** buying hardware." in html or "what_we_learned" in changes
    with app.app_context():
        assert db.session.scalar(db.select(CaseStudy)) is None


def test_csrf_failure_keeps_the_write_up(app, client, as_role):
    as_role("author")
    response = client.post("/studies/new", data=form_data(app, client, csrf_token="stale"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your session expired" in html
    assert LONG_TEXT.strip() in html
    with app.app_context():
        assert db.session.scalar(db.select(CaseStudy)) is None


def test_expired_session_keeps_the_write_up(app, client):
    # A visitor (with a form's session): as if the session expired mid-write.
    data = form_data(app, client, path="/auth/login")
    response = client.post("/studies/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "You have been signed out" in html
    assert LONG_TEXT.strip() in html
    # The title is typed in the Character count component's textarea.
    assert 'name="title" rows="2"' in html
    assert ">Self-service kiosks nobody used</textarea>" in html
    with app.app_context():
        assert db.session.scalar(db.select(CaseStudy)) is None


def test_preview_renders_sanitised_markdown_without_saving(app, client, as_role):
    as_role("author")
    data = form_data(app, client, action="preview", challenge="<script>alert(1)</script> **bold**")
    response = client.post("/studies/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>bold</strong>" in html
    assert "<script>alert(1)" not in html
    fragment = client.post("/studies/preview", data=data, headers={"HX-Request": "true"})
    assert "<strong>before</strong>" in fragment.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(CaseStudy)) is None


@pytest.fixture
def draft(app, world):
    with app.app_context():
        study = make_study(
            world.here, world.people.author, status=Status.DRAFT, title="Draft chatbot"
        )
        db.session.commit()
        return study.id


EDIT_STATUS = {
    "visitor": 401,  # the form comes back with the text, asking them to sign in
    "unverified": 404,
    "author": 302,
    "colleague": 302,  # any verified member of the study's council may edit it
    "outsider": 404,
    "moderator": 404,  # drafts stay private to their council
    "admin": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_edit_a_draft(app, client, as_role, draft, role):
    as_role(role)
    data = form_data(app, client, path="/", title="Edited title")
    response = client.post(f"/studies/{draft}/edit", data=data)
    assert response.status_code == EDIT_STATUS[role]
    with app.app_context():
        title = db.session.get(CaseStudy, draft).title
    assert (title == "Edited title") is (EDIT_STATUS[role] == 302)


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("unverified", 404), ("author", 200), ("outsider", 404)],
)
def test_who_may_open_the_edit_form(client, as_role, draft, role, status):
    as_role(role)
    assert client.get(f"/studies/{draft}/edit").status_code == status


def test_member_of_another_council_cannot_edit_a_published_study(app, client, as_role, world):
    with app.app_context():
        study = make_study(world.here, world.people.author, title="Published here")
        db.session.commit()
    as_role("outsider")
    assert client.get(f"/studies/{study.id}/edit").status_code == 403
    data = form_data(app, client, path="/", title="Hijacked")
    assert client.post(f"/studies/{study.id}/edit", data=data).status_code == 403
    with app.app_context():
        assert db.session.get(CaseStudy, study.id).title == "Published here"


def test_edit_form_shows_the_saved_study(app, client, as_role, world):
    with app.app_context():
        study = make_study(
            world.here,
            world.people.author,
            status=Status.DRAFT,
            title="Sensor pilot",
            visibility=Visibility.MEMBERS,
            topics=["smart-places-technology"],
        )
        db.session.commit()
    as_role("colleague")
    html = client.get(f"/studies/{study.id}/edit").get_data(as_text=True)
    assert ">Sensor pilot</textarea>" in html
    checked = re.findall(r'<input [^>]*name="(\w+)" type="\w+" value="([^"]+)" checked>', html)
    smart = topic_id(app, "smart-places-technology")
    assert ("visibility", "members") in checked
    assert [value for name, value in checked if name == "topics"] == [str(smart)]


def test_rejected_study_cannot_be_edited(app, client, as_role, world):
    with app.app_context():
        study = make_study(world.here, world.people.author, status=Status.REJECTED)
        db.session.commit()
    as_role("author")
    assert client.get(f"/studies/{study.id}/edit").status_code == 403


def test_posting_is_rate_limited_per_person(app, client, as_role):
    app.config["POSTING_RATE_LIMIT"] = "2 per hour"
    as_role("author")
    for _ in range(2):
        assert client.post("/studies/new", data=form_data(app, client)).status_code == 302
    response = client.post("/studies/new", data=form_data(app, client))
    assert response.status_code == 429
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(CaseStudy)) == 2


def error_summary_links(html):
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', summary)


def test_an_empty_submit_names_every_missing_field_at_once(app, client, as_role):
    as_role("author")
    empty = {name: "" for name in form_data(app, client) if name not in ("csrf_token", "topics")}
    data = {**empty, "csrf_token": form_data(app, client)["csrf_token"], "action": "submit"}
    html = client.post("/studies/new", data=data).get_data(as_text=True)
    # One round: every field a study needs before review, each linked to its input's id.
    assert error_summary_links(html) == [
        ("title", "Enter a title"),
        ("summary", "Enter a summary"),
        ("topics", "Choose at least one topic"),
        ("outcome", "Select the outcome, including &#39;Did not work&#39; if it did not"),
        ("what_we_learned", "Enter what you learned"),
        ("cost_band", "Select a cost band, or &#39;Not disclosed&#39;"),
        ("visibility", "Select who can read it"),
    ]
    for field in ("title", "summary", "topics", "outcome", "what_we_learned"):
        assert f'id="{field}"' in html


def test_a_draft_needs_only_a_title_and_an_outcome(app, client, as_role):
    as_role("author")
    data = form_data(app, client, title="", outcome="", summary="", topics=[], what_we_learned="")
    html = client.post("/studies/new", data=data).get_data(as_text=True)
    assert [field for field, _ in error_summary_links(html)] == ["title", "outcome"]


def test_optional_fields_say_so_and_required_ones_do_not(client, as_role):
    as_role("author")
    html = client.get("/studies/new").get_data(as_text=True)
    labels = [
        " ".join(text.split())
        for text in re.findall(
            r'<(?:label class="govuk-label govuk-label--s"|legend)[^>]*>(.*?)</', html, re.S
        )
    ]
    assert labels == [
        "Title",
        "Summary",
        "Topics",
        "Outcome",
        "The challenge (optional)",
        "What we tried (optional)",
        "What happened (optional)",
        "What we learned",
        "What we would do differently (optional)",
        "When it started (optional)",
        "When it ended (optional)",
        "Cost",
        "Who can read it",
        "Which language is this case study written in?",
    ]


def test_title_and_summary_have_character_counts_and_no_maxlength(client, as_role):
    as_role("author")
    html = client.get("/studies/new").get_data(as_text=True)
    assert 'data-module="govuk-character-count" data-maxlength="200"' in html
    assert 'data-module="govuk-character-count" data-maxlength="300"' in html
    assert "maxlength=" not in html.replace("data-maxlength=", "")


def test_an_over_long_summary_is_kept_with_the_error(app, client, as_role):
    as_role("author")
    pasted = "Kiosks in libraries. " * 20  # 420 characters
    data = form_data(app, client, summary=pasted, title="T" * 201)
    html = client.post("/studies/new", data=data).get_data(as_text=True)
    assert error_summary_links(html) == [
        ("title", "Title must be 200 characters or fewer"),
        ("summary", "Summary must be 300 characters or fewer"),
    ]
    assert f">{pasted.strip()}</textarea>" in html
    assert f">{'T' * 201}</textarea>" in html


@pytest.mark.parametrize("year", ["1999", "23", "٢٠٢٣", "next", "9" * 5000])
def test_the_year_message_gives_the_range(app, client, as_role, year):
    from datetime import date

    as_role("author")
    html = client.post("/studies/new", data=form_data(app, client, started_year=year)).text
    next_year = date.today().year + 1
    assert error_summary_links(html) == [
        ("started_year", f"Enter a year from 2000 to {next_year} for when it started")
    ]
    assert "as 4 digits" not in html


def test_next_year_is_accepted_and_the_month_may_be_a_name(app, client, as_role):
    from datetime import date

    as_role("author")
    next_year = str(date.today().year + 1)
    data = form_data(
        app, client, started_month="Jan", started_year=next_year, ended_month="", ended_year=""
    )
    assert client.post("/studies/new", data=data).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(CaseStudy.started_on)) == date(int(next_year), 1, 1)


def test_preview_shows_the_study_as_published(app, client, as_role):
    as_role("author")
    data = form_data(app, client, action="preview")
    for response in (
        client.post("/studies/new", data=data),  # without JavaScript: the page again
        client.post("/studies/preview", data=data, headers={"HX-Request": "true"}),
    ):
        html = response.get_data(as_text=True)
        preview = html.split('id="preview-heading"', 1)[1]
        assert "Self-service kiosks nobody used" in preview
        assert "Three library kiosks for council tax queries" in preview
        assert "Did not work" in preview
        assert "Digital inclusion and connectivity" in preview
        assert "March 2023 to September 2023" in preview
        assert "£10,000 to £50,000" in preview
        assert "Hereshire Council" in preview
        assert "<strong>before</strong>" in preview


def test_preview_of_a_half_written_study(app, client, as_role):
    """The htmx preview shows whatever is there, even what could not yet be saved."""
    as_role("author")
    data = form_data(app, client, title="", outcome="", started_year="nope", cost_band="x")
    html = client.post("/studies/preview", data=data, headers={"HX-Request": "true"}).text
    assert "No title yet" in html
    assert "Not chosen yet" in html
    assert "There is a problem" not in html
