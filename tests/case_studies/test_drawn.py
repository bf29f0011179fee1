"""The study page's facts, sections and related studies drawn once and reused
(board/case_studies/drawn.py): the same markup as their templates, and a change shows at once."""

from __future__ import annotations

import pytest
from flask import render_template_string

from board.case_studies.drawn import related_section, study_facts_and_sections
from board.extensions import db
from board.models import CaseStudy, CostBand, Council, Outcome, Topic, User, Visibility
from board.related import RelatedStudy
from tests.factories import make_study


@pytest.fixture
def study_id(app, world):
    with app.app_context():
        study = make_study(
            world.here,
            world.people.author,
            title="Chatbot that failed",
            challenge="Too many **calls**.",
            what_happened="",
            topics=["data-and-research", "cyber-security"],
        )
        db.session.commit()
        return study.id


def macros_draw(app, study) -> tuple[str, str]:
    module = app.jinja_env.get_template("macros/studies.html").module
    return str(module.study_facts(study)), str(module.study_sections(study))


@pytest.mark.parametrize("language", ["en", "cy"])
def test_facts_and_sections_as_the_macros_draw_them(app, study_id, language):
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        for _round in range(2):
            with app.test_request_context("/", headers={"Accept-Language": language}):
                drawn = tuple(str(part) for part in study_facts_and_sections(study))
                assert drawn == macros_draw(app, study)
        # Other values: a cost band, members only, a job title shown, a topic named in Welsh.
        study.cost_band = CostBand.FROM_10K_TO_50K
        study.visibility = Visibility.MEMBERS
        study.author.show_job_title = True
        study.author.job_title = "Digital lead"
        db.session.get(Topic, study.topics[0].id).name_cy = "Data ac ymchwil"
        with app.test_request_context("/", headers={"Accept-Language": language}):
            drawn = tuple(str(part) for part in study_facts_and_sections(study))
            assert drawn == macros_draw(app, study)
        db.session.rollback()


def page(client, study_id, **headers) -> str:
    with client.application.app_context():
        study = db.session.get(CaseStudy, study_id)
        path = f"/studies/{study.id}/{study.slug}"
    return client.get(path, headers=headers).text


def test_a_changed_fact_shows_at_once(app, client, study_id, world):
    html = page(client, study_id)
    assert "Did not work" in html and "Hereshire Council" in html
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        study.outcome = Outcome.WORKED
        db.session.get(Council, world.here.id).name = "Hereshire County Council"
        db.session.get(User, world.people.author.id).name = "Ava Renamed"
        db.session.commit()
    html = page(client, study_id)
    assert ">Worked</strong>" in html and ">Did not work</strong>" not in html
    assert ">Hereshire County Council</a>" in html
    assert "Ava Renamed" in html and "Ava Author" not in html


def test_a_renamed_topic_shows_at_once_in_each_language(app, client, study_id):
    assert "Data and research" in page(client, study_id)
    with app.app_context():
        topic = db.session.scalar(db.select(Topic).where(Topic.slug == "data-and-research"))
        topic.name_cy = "Data ac ymchwil"
        db.session.commit()
    assert "Data ac ymchwil" in page(client, study_id, **{"Accept-Language": "cy"})
    english = page(client, study_id)
    assert "Data and research" in english and "Data ac ymchwil" not in english


def test_an_edited_section_shows_at_once(app, client, study_id):
    assert "Too many <strong>calls</strong>." in page(client, study_id)
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        study.challenge = "Too many *letters*."
        study.what_happened = "Calls went down."
        db.session.commit()
    html = page(client, study_id)
    assert "Too many <em>letters</em>." in html and "<strong>calls</strong>" not in html
    assert "Calls went down." in html


RELATED = [
    RelatedStudy(
        1, "Chatbot one", "chatbot-one", "Elsewhere", False, Outcome.WORKED, Visibility.PUBLIC
    ),
    RelatedStudy(
        2, "Sgwrsfot", "sgwrsfot", "Old Council", True, Outcome.ONGOING, Visibility.MEMBERS, "cy"
    ),
]


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("related", [RELATED, RELATED[:1], []])
def test_the_related_section_as_its_template_draws_it(app, language, related):
    with app.app_context():
        for _round in range(2):
            with app.test_request_context("/", headers={"Accept-Language": language}):
                expected = render_template_string(
                    '{% include "case_studies/_related.html" %}', related=related
                )
                assert str(related_section(related)) == expected
