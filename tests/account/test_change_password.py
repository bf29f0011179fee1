"""Changing a password: every problem at once, on Design System fields, keeping nothing secret
in the page."""

from board.extensions import db
from tests.factories import PASSWORD, make_council, make_user


def _member(app):
    with app.app_context():
        person = make_user(make_council(domain="anglesey.gov.uk"), email="ifan@anglesey.gov.uk")
        db.session.commit()
        return person


def test_a_wrong_current_password_and_a_weak_new_one_are_both_reported(
    app, client, sign_in, csrf_token
):
    sign_in(_member(app))
    response = client.post(
        "/account/password",
        data={
            "current_password": "not my password at all",
            "password": "short",
            "csrf_token": csrf_token("/account/password"),
        },
    )
    assert response.status_code == 422
    html = response.text
    assert "<title>Error: Change your password" in html
    start = html.index("govuk-error-summary")
    summary = html[start : html.index("</ul>", start)]
    assert 'href="#current_password">Your current password is not correct' in summary
    assert 'href="#password">' in summary and "12 characters" in summary
    # Each field shows its own error, as the Design System's password input.
    assert html.count("govuk-error-message") == 2
    assert 'class="govuk-input govuk-password-input__input' in html


def test_both_fields_missing_are_both_reported(app, client, sign_in, csrf_token):
    sign_in(_member(app))
    response = client.post(
        "/account/password", data={"csrf_token": csrf_token("/account/password")}
    )
    assert response.status_code == 422
    assert "Enter your current password" in response.text
    assert "Enter a new password" in response.text


def test_the_password_changes(app, client, sign_in, csrf_token):
    sign_in(_member(app))
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "slate harbour kettle violin",
            "csrf_token": csrf_token("/account/password"),
        },
        follow_redirects=True,
    )
    assert response.request.path == "/account"
    assert "Your password has been changed" in response.text
    assert "govuk-notification-banner--success" in response.text
