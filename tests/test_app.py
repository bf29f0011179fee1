import re

import pytest

from board import create_app
from board.config import normalise_database_url
from board.security import CONTENT_SECURITY_POLICY, is_safe_redirect


def test_test_config_overrides_environment(app):
    assert app.testing
    assert app.config["MAIL_BACKEND"] == "memory"


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PUBLIC_URL", "https://caseboard.example.org")
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_database_url_comes_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.example:5432/board")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://someone@db.example:5432/board"
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:///instance/x.db", "sqlite:///instance/x.db"),
    ],
)
def test_normalise_database_url(given, expected):
    assert normalise_database_url(given) == expected


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "development")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


@pytest.mark.parametrize(
    ("method", "path", "extra", "status"),
    [
        ("GET", "/", {}, 200),
        ("GET", "/?topic=cyber-security", {"HX-Request": "true"}, 200),  # a fragment
        ("GET", "/auth/login", {}, 200),
        ("GET", "/healthz", {}, 200),
        ("GET", "/static/css/app.css", {}, 200),
        ("GET", "/studies/mine", {}, 302),  # a redirect
        ("POST", "/auth/logout", {}, 400),  # no CSRF token
        ("GET", "/auth/logout", {}, 405),
        ("GET", "/missing", {}, 404),
    ],
)
def test_security_headers_on_every_response(client, method, path, extra, status):
    response = client.open(path, method=method, headers=extra)
    response.close()
    assert response.status_code == status
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers


def test_hsts_when_served_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_carry_no_inline_script(client):
    html = client.get("/auth/register").get_data(as_text=True)
    assert "<script>" not in html
    assert "<script src=" in html
    assert " onclick=" not in html and " style=" not in html


def test_htmx_is_vendored_and_sends_the_csrf_token(client):
    client.get("/auth/login")  # a session, as anyone who sends a form has
    html = client.get("/").get_data(as_text=True)
    [htmx] = re.findall(r'src="(/static/vendor/htmx/htmx-2\.0\.11\.min\.[0-9a-f]{10}\.js)"', html)
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    with client.get(htmx) as script:
        assert script.status_code == 200


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/studies/1", True),
        ("/?topic=cyber-security&page=2", True),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
        ("", False),
        (None, False),
        ("/\x09/evil.example", False),
    ],
)
def test_safe_redirect_targets(target, safe):
    assert is_safe_redirect(target) is safe


def test_unknown_page_is_a_helpful_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_a_database_outage_answers_503_with_a_page_of_its_own(app, client):
    from sqlalchemy.exc import OperationalError

    @app.get("/test-outage")
    def outage():
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    response = client.get("/test-outage")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert "cannot reach its database" in response.text
    assert response.headers["Content-Security-Policy"]
