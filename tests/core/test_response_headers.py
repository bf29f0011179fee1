"""The headers every answer carries are added in one pass (board/security.py) and a visitor's
shareable answer writes its Cache-Control at once (board/http_cache.py): the same headers, in
the same order, as adding them one ``setdefault`` at a time and setting werkzeug's
``cache_control`` attributes did."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.wrappers import Response

from board.http_cache import public_cache_control
from board.security import SECURITY_HEADERS, add_security_headers


def one_at_a_time(response: Response, secure: bool) -> Response:
    """What add_security_headers did before."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if secure:
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    return response


ALREADY_SET = [
    {},
    {"Content-Type": "text/html; charset=utf-8", "Vary": "Cookie"},
    {"content-security-policy": "default-src 'none'", "X-Frame-Options": "SAMEORIGIN"},
    {"Strict-Transport-Security": "max-age=1", "Referrer-Policy": "no-referrer"},
    dict.fromkeys(SECURITY_HEADERS, "the view's own"),
]


@pytest.mark.parametrize("secure", [False, True])
@pytest.mark.parametrize("headers", ALREADY_SET)
def test_the_security_headers_are_what_setdefault_gave(secure, headers):
    app = Flask(__name__)
    base = "https://localhost/" if secure else "http://localhost/"
    with app.test_request_context("/", base_url=base):
        ours = add_security_headers(Response("x", headers=headers))
        theirs = one_at_a_time(Response("x", headers=headers), secure)
    assert ours.headers.to_wsgi_list() == theirs.headers.to_wsgi_list()
    assert ("Strict-Transport-Security" in ours.headers) == (
        secure or "Strict-Transport-Security" in headers
    )


@pytest.mark.parametrize("seconds", [0, 1, 60, 3600])
def test_a_shareable_answers_cache_control_is_what_werkzeug_wrote(seconds):
    response = Response("x")
    response.cache_control.public = True
    response.cache_control.max_age = 0
    response.cache_control.s_maxage = seconds
    assert public_cache_control(seconds) == response.headers["Cache-Control"]


def test_a_visitors_page_and_the_health_check_carry_every_header(client):
    page = client.get("/")
    assert page.headers["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert page.headers["ETag"]
    assert client.get("/", headers={"If-None-Match": page.headers["ETag"]}).status_code == 304
    health = client.get("/healthz")
    for response in (page, health, client.get("/no-such-page")):
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.getlist(name) == [value]
        assert "Strict-Transport-Security" not in response.headers
    secure = client.get("/healthz", base_url="https://localhost/")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_shared_cache_time_comes_from_the_setting(app, client):
    app.config["SHARED_CACHE_MAX_AGE"] = 15
    assert client.get("/").headers["Cache-Control"] == "public, max-age=0, s-maxage=15"
