import pytest

from board.extensions import db
from tests.factories import PASSWORD, make_council, make_user


@pytest.fixture
def member(app):
    with app.app_context():
        user = make_user(make_council(), email="member@testshire.gov.uk", name="Morgan Price")
        db.session.commit()
        return user


def login(client, csrf_token, email, password, path="/auth/login"):
    return client.post(
        path, data={"email": email, "password": password, "csrf_token": csrf_token()}
    )


def test_sign_in_and_out(client, csrf_token, member):
    response = login(client, csrf_token, "Member@Testshire.gov.uk", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Signed in as Morgan Price" in client.get("/").get_data(as_text=True)

    response = client.post("/auth/logout", data={"csrf_token": csrf_token("/")})
    assert response.status_code == 302
    assert "Sign in" in client.get("/").get_data(as_text=True)
    assert "Signed in as" not in client.get("/").get_data(as_text=True)


def test_session_cookie_is_http_only(client, csrf_token, member):
    response = login(client, csrf_token, member.email, PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize(
    ("email", "password"),
    [("member@testshire.gov.uk", "wrong password here"), ("nobody@testshire.gov.uk", PASSWORD)],
)
def test_wrong_credentials_get_one_message_and_keep_the_email(
    client, csrf_token, member, email, password
):
    response = login(client, csrf_token, email, password)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a correct email address and password" in html
    assert f'value="{email}"' in html
    assert "Signed in as" not in html


def test_empty_fields_are_explained(client, csrf_token):
    html = login(client, csrf_token, "", "").get_data(as_text=True)
    assert "Enter your email address" in html
    assert "Enter your password" in html


def test_deactivated_account_cannot_sign_in(app, client, csrf_token, member):
    with app.app_context():
        db.session.merge(member).active = False
        db.session.commit()
    assert login(client, csrf_token, member.email, PASSWORD).status_code == 422


def test_sign_in_is_rate_limited(app, client, csrf_token, member):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    for _ in range(3):
        assert login(client, csrf_token, member.email, "wrong password here").status_code == 422
    # Even the right password is refused once the limit is reached.
    response = login(client, csrf_token, member.email, PASSWORD)
    assert response.status_code == 429
    assert "Signed in as" not in client.get("/").get_data(as_text=True)


def test_sign_in_follows_a_local_next(client, csrf_token, member):
    response = login(client, csrf_token, member.email, PASSWORD, "/auth/login?next=/studies/5")
    assert response.headers["Location"] == "/studies/5"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_sign_in_ignores_an_offsite_next(client, csrf_token, member, target):
    response = login(client, csrf_token, member.email, PASSWORD, f"/auth/login?next={target}")
    assert response.headers["Location"] == "/"


def test_login_without_csrf_token_is_refused_and_keeps_the_email(client, member):
    response = client.post("/auth/login", data={"email": member.email, "password": PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your session expired" in html
    assert f'value="{member.email}"' in html
    assert "Signed in as" not in client.get("/").get_data(as_text=True)


def test_logout_without_csrf_token_is_refused(client, csrf_token, member):
    login(client, csrf_token, member.email, PASSWORD)
    response = client.post("/auth/logout")
    assert response.status_code == 400
    assert "Signed in as" in client.get("/").get_data(as_text=True)


def test_logout_by_get_is_not_allowed(client):
    assert client.get("/auth/logout").status_code == 405


def test_csrf_token_in_htmx_header_is_accepted(client, csrf_token, member):
    login(client, csrf_token, member.email, PASSWORD)
    response = client.post(
        "/auth/logout", headers={"X-CSRFToken": csrf_token("/"), "HX-Request": "true"}
    )
    assert response.status_code == 302
