"""The language a study is written in: asked on the write-up form, kept through edits and their
review, and marked on the study's own text wherever the study page shows it."""

from __future__ import annotations

import re

from board.extensions import db
from board.models import CaseStudy, RevisionStatus, Status
from tests.case_studies.test_lifecycle import current, post
from tests.case_studies.test_writing import form_data
from tests.factories import make_study
from tests.updates.helpers import make_update


def only_study(app) -> CaseStudy:
    with app.app_context():
        return db.session.scalars(db.select(CaseStudy)).one()


def test_a_study_written_in_welsh_is_saved_as_welsh(app, client, as_role):
    as_role("author")
    response = client.post("/studies/new", data=form_data(app, client, language="cy"))
    assert response.status_code == 302
    assert only_study(app).language == "cy"


def test_a_form_without_the_question_takes_the_interface_language(app, client, as_role):
    as_role("author")
    data = form_data(app, client)
    assert "language" not in data
    assert client.post("/studies/new", data=data).status_code == 302
    assert only_study(app).language == "en"


def test_a_language_not_offered_is_refused_and_what_was_typed_is_kept(app, client, as_role):
    as_role("author")
    data = form_data(app, client, language="fr", title="Ciosgau na ddefnyddiodd neb")
    response = client.post("/studies/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (
        '<a href="#language">Select English or Cymraeg for the language the case study is in'
        in (html)
    )
    assert "Ciosgau na ddefnyddiodd neb" in html
    assert "Almost nobody used them." in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(CaseStudy)) == 0


def test_a_welsh_study_stays_welsh_through_an_edit_and_its_review(app, client, sign_in, world):
    with app.app_context():
        study = make_study(world.here, world.people.author, language="cy", title="Ciosgau")
        db.session.commit()
        study_id = study.id
    sign_in(world.people.colleague)
    form = client.get(f"/studies/{study_id}/edit").get_data(as_text=True)
    assert re.search(r'<input[^>]*value="cy"[^>]*checked', form)
    data = form_data(
        app, client, path=f"/studies/{study_id}/edit", title="Ciosgau, eto", language="cy"
    )
    assert (
        client.post(f"/studies/{study_id}/edit", data={**data, "action": "submit"}).status_code
        == 302
    )
    study = current(app, study_id)
    revision = study.open_revision
    assert revision.status is RevisionStatus.SUBMITTED
    assert (study.language, revision.language) == ("cy", "cy")

    client.post("/auth/logout", data={"csrf_token": data["csrf_token"]})
    sign_in(world.people.moderator)
    assert post(client, f"/moderation/studies/{study_id}/approve").status_code == 302
    study = current(app, study_id)
    assert (study.title, study.language) == ("Ciosgau, eto", "cy")


def test_an_edit_may_say_the_study_is_in_the_other_language(app, client, sign_in, world):
    with app.app_context():
        study = make_study(world.here, world.people.author, status=Status.DRAFT, language="cy")
        db.session.commit()
        study_id = study.id
    sign_in(world.people.author)
    data = form_data(app, client, path=f"/studies/{study_id}/edit", language="en")
    assert client.post(f"/studies/{study_id}/edit", data=data).status_code == 302
    assert current(app, study_id).language == "en"


def test_the_study_page_marks_the_studys_own_text_with_its_language(app, client, world):
    with app.app_context():
        study = make_study(
            world.here,
            world.people.author,
            language="cy",
            title="Sgwrsfot y dreth gyngor",
            summary="Beth wnaethon ni a beth ddigwyddodd.",
            what_we_learned="Gofyn i drigolion yn gyntaf.",
        )
        db.session.flush()
        make_update(study.id, world.people.author, status=RevisionStatus.APPROVED, body="Diffodd.")
        db.session.commit()
        address = f"/studies/{study.id}/{study.slug}"
    html = client.get(address).get_data(as_text=True)
    assert '<html lang="en-GB"' in html
    assert re.search(r'<h1 class="govuk-heading-xl" lang="cy">\s*Sgwrsfot y dreth gyngor', html)
    assert '<p class="govuk-body-l" lang="cy">Beth wnaethon ni a beth ddigwyddodd.</p>' in html
    section = html.split('id="section-what_we_learned"', 1)[1]
    assert re.match(r'[^<]*</h2>\s*<div class="govuk-body app-prose" lang="cy">', section)
    update = html.split('class="app-update"', 1)[1]
    assert '<div class="govuk-body app-prose" lang="cy"><p>Diffodd.</p>' in update
    # The interface around it is not marked: its headings are in the page's language.
    assert '<h2 class="govuk-heading-l" id="updates-heading">What happened next</h2>' in html


def test_the_preview_marks_the_text_with_the_language_chosen(app, client, as_role):
    as_role("author")
    data = form_data(app, client, language="cy", title="Ciosgau", action="preview")
    html = client.post("/studies/new", data=data).get_data(as_text=True)
    assert '<h3 class="govuk-heading-l" lang="cy">Ciosgau</h3>' in html
