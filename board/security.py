"""Response headers that every page carries, and safe redirect targets."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response
from werkzeug.wsgi import get_host

# No inline script or style anywhere: everything the page runs comes from /static.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class TrustedHosts:
    """WSGI middleware: a request whose Host is not one of ``hosts`` gets a plain 400 before the
    app sees it, so nothing (not even an error page's links) is ever built on a forged host."""

    def __init__(self, wsgi_app, hosts: list[str]):
        self.wsgi_app = wsgi_app
        self.hosts = hosts

    def __call__(self, environ, start_response):
        try:
            get_host(environ, self.hosts)
        except SecurityError:
            # Said before the app, and so before anyone's language is known: in both.
            response = Response(
                "Bad request: this service does not answer to that host name.\n"
                "Cais gwael: nid yw'r gwasanaeth hwn yn ateb i'r enw gwesteiwr hwnnw.\n",
                status=400,
                mimetype="text/plain",
                headers=SECURITY_HEADERS,
            )
            return response(environ, start_response)
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    app.wsgi_app = TrustedHosts(app.wsgi_app, app.config["TRUSTED_HOSTS"])
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # Behind that many proxies, the client's address and scheme come from the headers they
        # append (the rightmost ``proxies`` entries); anything further left is the client's own
        # claim and is ignored. X-Forwarded-Host is not trusted: TRUSTED_HOSTS checks Host.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.after_request(add_security_headers)


# On every answer, including the 400 for an unknown host that the app itself never sees.
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


STRICT_TRANSPORT_SECURITY = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
_SECURITY_HEADERS = tuple((name.lower(), name, value) for name, value in SECURITY_HEADERS.items())


def add_security_headers(response):
    """Each header the view did not set itself, added in the order above (what ``setdefault``
    did one header at a time, with one look at the answer's headers instead of six)."""
    headers = response.headers
    present = {name.lower() for name, _value in headers}
    for lowered, name, value in _SECURITY_HEADERS:
        if lowered not in present:
            headers.add(name, value)
    if request.is_secure and STRICT_TRANSPORT_SECURITY[0].lower() not in present:
        headers.add(*STRICT_TRANSPORT_SECURITY)
    return response


def is_safe_redirect(target: str | None) -> bool:
    """Only paths on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(character) < 32 for character in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
