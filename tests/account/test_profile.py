"""Changing one's name and job title, whether others see the job title, and preferences."""

from board.extensions import db
from board.models import User
from tests.factories import make_council, make_study, make_user


def _member(app, **fields):
    with app.app_context():
        council = make_council("Ceredigion County Council", domain="ceredigion.gov.uk")
        person = make_user(
            council,
            email="nia@ceredigion.gov.uk",
            name="Nia Evans",
            job_title="Head of Digital",
            **fields,
        )
        db.session.commit()
        return person


def _stored(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id)


def test_the_form_shows_what_is_stored(app, client, sign_in):
    sign_in(_member(app))
    html = client.get("/account/profile").text
    assert 'value="Nia Evans"' in html
    assert 'value="Head of Digital"' in html
    assert 'name="show_job_title"' in html and "checked" in html


def test_name_job_title_and_showing_it_change(app, client, sign_in, csrf_token):
    person = _member(app)
    sign_in(person)
    response = client.post(
        "/account/profile",
        data={
            "name": "  Nia Evans-Jones ",
            "job_title": "Chief Digital Officer",
            "csrf_token": csrf_token("/account/profile"),
        },
        follow_redirects=True,
    )
    assert response.request.path == "/account"
    assert "Your name and job title have been saved." in response.text
    assert "Nia Evans-Jones" in response.text
    assert "Chief Digital Officer (not shown to others)" in response.text
    stored = _stored(app, person.id)
    assert stored.name == "Nia Evans-Jones"
    assert stored.job_title == "Chief Digital Officer"
    assert stored.show_job_title is False


def test_an_empty_name_and_job_title_are_reported_and_nothing_changes(
    app, client, sign_in, csrf_token
):
    person = _member(app)
    sign_in(person)
    response = client.post(
        "/account/profile",
        data={
            "name": "   ",
            "job_title": "",
            "show_job_title": "y",
            "csrf_token": csrf_token("/account/profile"),
        },
    )
    assert response.status_code == 422
    assert "<title>Error: Change your name and job title" in response.text
    assert 'href="#name">Enter your full name' in response.text
    assert 'href="#job_title">Enter your job title' in response.text
    assert _stored(app, person.id).name == "Nia Evans"


def test_a_name_too_long_is_reported_and_kept(app, client, sign_in, csrf_token):
    sign_in(_member(app))
    long_name = "N" * 121
    response = client.post(
        "/account/profile",
        data={
            "name": long_name,
            "job_title": "Head of Digital",
            "csrf_token": csrf_token("/account/profile"),
        },
    )
    assert response.status_code == 422
    assert "Name must be 120 characters or fewer" in response.text
    assert f'value="{long_name}"' in response.text


def test_a_hidden_job_title_is_not_shown_beside_a_study(app, client, sign_in, csrf_token):
    person = _member(app)
    with app.app_context():
        study = make_study(db.session.get(User, person.id).council, db.session.get(User, person.id))
        db.session.commit()
        path = f"/studies/{study.id}/{study.slug}"
    assert "Nia Evans, Head of Digital" in client.get(path).text
    sign_in(person)
    client.post(
        "/account/profile",
        data={
            "name": "Nia Evans",
            "job_title": "Head of Digital",
            "csrf_token": csrf_token("/account/profile"),
        },
    )
    client.post("/auth/logout", data={"csrf_token": csrf_token("/account")})
    html = client.get(path).text
    assert "Head of Digital" not in html
    assert "Nia Evans" in html


def test_preferences_change_email_about_comments(app, client, sign_in, csrf_token):
    person = _member(app)
    sign_in(person)
    page = client.get("/account/preferences").text
    assert 'name="email_on_comments"' in page
    response = client.post(
        "/account/preferences",
        data={"email_on_comments": "y", "csrf_token": csrf_token("/account/preferences")},
        follow_redirects=True,
    )
    assert "Your preferences have been saved." in response.text
    assert _stored(app, person.id).email_on_comments is True
    client.post("/account/preferences", data={"csrf_token": csrf_token("/account/preferences")})
    assert _stored(app, person.id).email_on_comments is False


def test_the_account_page_links_every_change(app, client, sign_in):
    sign_in(_member(app))
    html = client.get("/account").text
    for path in (
        "/account/profile",
        "/account/email",
        "/account/password",
        "/account/preferences",
        "/account/data",
        "/account/delete",
    ):
        assert f'href="{path}"' in html, path
    assert "Head of Digital" in html
    assert "nia@ceredigion.gov.uk" in html
