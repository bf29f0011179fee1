"""The study page reads whether its study has comments, "we tried this too" and approved updates
with the study itself, and its topics from those kept for the board's change counter
(board/case_studies/queries.py): a visitor's page of a study with none of them runs the study's
statement and the related studies' only. Whatever is added shows at once. A visitor's follow
control and the preview tags are drawn once (board/case_studies/drawn.py, board/seo/meta.py),
never handed to a member, and follow a change at once."""

from __future__ import annotations

from datetime import date

import pytest
from flask import render_template_string
from flask_login import AnonymousUserMixin

from board.case_studies.drawn import forget_drawn, visitor_follow_control
from board.extensions import db
from board.models import CaseStudy, Council, Outcome, RevisionStatus, Topic, TriedToo
from board.related import forget_kept
from board.seo.meta import forget_kept as forget_kept_meta
from board.seo.meta import study_meta
from tests.browse.test_board import statements_for
from tests.factories import make_comment, make_study
from tests.updates.helpers import make_update


@pytest.fixture
def study_path(app, world):
    with app.app_context():
        study = make_study(
            world.here,
            world.people.author,
            title="Chatbot that failed",
            summary="We tried a chatbot for council tax questions.",
            topics=["data-and-research"],
        )
        db.session.commit()
        return study.id, f"/studies/{study.id}/{study.slug}"


def reads(statements: list[str], table: str) -> bool:
    return any(f"FROM {table} " in statement for statement in statements)


def visitor_statements(app, client, path) -> list[str]:
    # As a new process would: the related studies are kept under the board's counter.
    with app.app_context():
        forget_kept()
    return statements_for(app, client, path)


def test_a_study_with_nothing_under_it_runs_one_statement(app, client, study_path):
    _study_id, path = study_path
    # The topics are read once for the board's counter, the related studies kept under it.
    client.get(path)
    statements = statements_for(app, client, path)
    # The study, with its topics' ids and whether it has comments, "we tried this too" and
    # approved updates.
    assert len(statements) == 1, "\n\n".join(statements)
    assert not reads(statements, "topics")


def test_what_is_added_under_a_study_shows_at_once(app, client, world, study_path):
    study_id, path = study_path
    client.get(path)
    with app.app_context():
        make_comment(study_id, world.people.outsider, body="Did it save money?")
        db.session.add(
            TriedToo(
                case_study_id=study_id,
                user_id=world.people.outsider.id,
                council_id=world.there.id,
            )
        )
        make_update(
            study_id,
            world.people.author,
            status=RevisionStatus.APPROVED,
            happened_on=date(2026, 3, 1),
            body="Switched off in March.",
        )
        db.session.commit()
    statements = visitor_statements(app, client, path)
    assert reads(statements, "comments") and reads(statements, "tried_too")
    assert reads(statements, "study_updates")
    html = client.get(path).text
    assert "Did it save money?" in html
    assert "Councils that tried this too" in html and "Thereshire Council" in html
    assert "Switched off in March." in html


def test_a_studys_changed_topics_show_at_once(app, client, study_path):
    study_id, path = study_path
    assert "Data and research" in client.get(path).text
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        cyber = db.session.scalar(db.select(Topic).where(Topic.slug == "cyber-security"))
        study.topics = [cyber]
        db.session.commit()
    html = client.get(path).text
    assert "Cyber security" in html and "Data and research" not in html


def test_the_visitors_follow_control_is_never_a_members(app, client, sign_in, world, study_path):
    _study_id, path = study_path
    visitor = client.get(path).text
    assert "Sign in to follow this case study" in visitor
    sign_in(world.people.colleague)
    member = client.get(path).text
    assert "Sign in to follow this case study" not in member
    assert 'id="follow-control"' in member and "Follow this case study" in member


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_visitors_follow_control_as_its_template_draws_it(app, study_path, language):
    study_id, _path = study_path
    with app.app_context():
        forget_drawn()
        study = db.session.get(CaseStudy, study_id)
        for _round in range(2):
            with app.test_request_context("/", headers={"Accept-Language": language}):
                expected = render_template_string(
                    '{% include "follows/_study_follow.html" %}',
                    study=study,
                    current_user=AnonymousUserMixin(),
                )
                assert str(visitor_follow_control(study)) == expected
                welsh = "Mewngofnodwch i ddilyn" in expected
                assert welsh is (language == "cy")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_preview_tags_as_their_template_draws_them(app, study_path, language):
    study_id, _path = study_path
    with app.app_context():
        forget_kept_meta()
        study = db.session.get(CaseStudy, study_id)
        for _round in range(2):
            with app.test_request_context("/", headers={"Accept-Language": language}):
                expected = render_template_string(
                    '{% include "case_studies/_meta.html" %}', study=study
                )
                assert str(study_meta(study)) == expected


def test_changed_preview_tags_show_at_once(app, client, world, study_path):
    study_id, path = study_path
    html = client.get(path).text
    assert 'content="Did not work"' in html
    assert "Shared by Hereshire Council." in html
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        study.outcome = Outcome.WORKED
        study.title = "Chatbot that worked"
        db.session.get(Council, world.here.id).name = "Hereshire County Council"
        db.session.commit()
    html = client.get(path, follow_redirects=True).text
    assert '<meta property="og:title" content="Chatbot that worked">' in html
    assert 'content="Worked"' in html and "Shared by Hereshire County Council." in html
    welsh = client.get(path, follow_redirects=True, headers={"Accept-Language": "cy"}).text
    assert "Rhannwyd gan Hereshire County Council." in welsh and "Shared by" not in welsh
