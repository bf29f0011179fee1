"""Responses are compressed when the client asks (Flask-Compress, set up in create_app), and
validators and 304s still work with compression on."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest
from flask import send_file, url_for

from board import static_files
from board.extensions import db
from tests.factories import make_council, make_study

try:
    from compression import zstd
except ImportError:  # before Python 3.14
    from backports import zstd

DECODE = {
    "br": brotli.decompress,
    "gzip": gzip.decompress,
    "zstd": zstd.decompress,
    "deflate": zlib.decompress,
}


@pytest.fixture
def board(app):
    with app.app_context():
        council = make_council("Squashford Council")
        for number in range(5):
            make_study(council, title=f"Compressible experiment {number}")
        db.session.commit()


def get(client, path, encoding=None, **headers):
    if encoding is not None:
        headers["Accept-Encoding"] = encoding
    response = client.get(path, headers=headers)
    data = response.data  # read whole (and the file closed) before the test looks
    response.close()
    return response, data


@pytest.mark.parametrize("encoding", ["br", "gzip", "zstd"])
def test_the_board_decodes_to_the_same_html(client, board, encoding):
    plain, plain_data = get(client, "/")
    compressed, data = get(client, "/", encoding)
    assert "Content-Encoding" not in plain.headers
    assert compressed.headers["Content-Encoding"] == encoding
    assert DECODE[encoding](data) == plain_data
    assert len(data) < len(plain_data) / 3
    assert "Accept-Encoding" in compressed.vary and "Accept-Encoding" in plain.vary


def test_the_client_chooses_by_quality(client, board):
    response, _ = get(client, "/", "gzip;q=1.0, br;q=0.5")
    assert response.headers["Content-Encoding"] == "gzip"
    refused, _ = get(client, "/", "br;q=0, identity")
    assert "Content-Encoding" not in refused.headers


def test_an_htmx_fragment_is_compressed(client, board):
    response, data = get(client, "/?outcome=did-not-work", "br", **{"HX-Request": "true"})
    assert response.headers["Content-Encoding"] == "br"
    assert b"Compressible experiment" in brotli.decompress(data)
    assert {"HX-Request", "Accept-Encoding"} <= set(response.vary)


def test_tiny_and_binary_bodies_are_left_alone(client):
    health, _ = get(client, "/healthz", "br, gzip")
    assert "Content-Encoding" not in health.headers  # a few bytes of JSON
    icon, _ = get(client, "/static/favicon.svg", "br, gzip")
    assert "Content-Encoding" not in icon.headers  # under 500 bytes


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_each_encoding_has_its_own_etag_and_answers_if_none_match(client, board, encoding):
    plain, _ = get(client, "/")
    compressed, _ = get(client, "/", encoding)
    assert compressed.headers["ETag"] == plain.headers["ETag"][:-1] + f':{encoding}"'
    again, data = get(client, "/", encoding, **{"If-None-Match": compressed.headers["ETag"]})
    assert again.status_code == 304
    assert data == b""
    # A validator for the plain body answers a client that asks for no compression.
    plain_again, _ = get(client, "/", **{"If-None-Match": plain.headers["ETag"]})
    assert plain_again.status_code == 304
    # One encoding's validator does not stand for another's body.
    other = "gzip" if encoding == "br" else "br"
    mismatched, data = get(client, "/", other, **{"If-None-Match": compressed.headers["ETag"]})
    assert mismatched.status_code == 200
    assert DECODE[other](data)


@pytest.mark.parametrize("encoding", ["br", "gzip", "zstd"])
def test_static_files_are_compressed_under_either_name(app, client, encoding):
    with app.test_request_context():
        hashed = url_for("static", filename="vendor/govuk-frontend/govuk-frontend.min.css")
    for path in (hashed, "/static/vendor/govuk-frontend/govuk-frontend.min.css"):
        _, plain_data = get(client, path)
        response, data = get(client, path, encoding)
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == encoding
        assert DECODE[encoding](data) == plain_data
        assert int(response.headers["Content-Length"]) == len(data)
        again, _ = get(client, path, encoding, **{"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304


def test_a_static_file_is_compressed_once_per_encoding(app, client, monkeypatch):
    import flask_compress.flask_compress as library

    calls = []
    compress = library._compress_data

    def counted(app, data, algorithm):
        calls.append(algorithm)
        return compress(app, data, algorithm)

    monkeypatch.setattr(library, "_compress_data", counted)
    with app.test_request_context():
        hashed = url_for("static", filename="css/app.css")
    thorough = []
    compress_thoroughly = static_files.compress_thoroughly

    def counted_thoroughly(body, encoding):
        compressed = compress_thoroughly(body, encoding)
        if compressed is not None:
            thorough.append(encoding)
        return compressed

    monkeypatch.setattr(static_files, "compress_thoroughly", counted_thoroughly)
    with app.test_request_context():
        hashed = url_for("static", filename="css/app.css")
    _, first_data = get(client, hashed, "br")
    _, again_data = get(client, hashed, "br")
    assert again_data == first_data
    assert brotli.decompress(again_data).startswith(b"/*")
    get(client, hashed, "gzip")
    get(client, hashed, "gzip")
    assert thorough == ["br", "gzip"]
    # zstd is left to Flask-Compress, once too.
    get(client, hashed, "zstd")
    get(client, hashed, "zstd")
    assert calls == ["zstd"]
    # Pages are compressed afresh every time, by Flask-Compress: they change.
    get(client, "/", "br")
    get(client, "/", "br")
    assert calls == ["zstd", "br", "br"]
    assert thorough == ["br", "gzip"]


@pytest.mark.parametrize(
    ("encoding", "strongest"),
    [
        ("br", lambda body: brotli.compress(body, quality=11)),
        ("gzip", lambda body: gzip.compress(body, compresslevel=9, mtime=0)),
    ],
)
def test_static_files_are_compressed_at_the_strongest_setting(app, client, encoding, strongest):
    """A file is compressed once and sent many times, so as small as the encoding makes it;
    the HTML of a page, compressed on every request, takes quicker settings."""
    with app.test_request_context():
        hashed = url_for("static", filename="vendor/htmx/htmx-2.0.11.min.js")
    _, body = get(client, hashed)
    _, data = get(client, hashed, encoding)
    assert DECODE[encoding](data) == body
    assert len(data) == len(strongest(body))
    assert len(data) < len(body) // 3


def test_a_streamed_response_streams_as_it_is_and_is_closed(app, client):
    closed = []

    @app.get("/test-stream")
    def stream():
        def rows():
            try:
                for number in range(2000):
                    yield f"row {number}, the same words again and again\n"
            finally:
                closed.append(True)

        return app.response_class(rows(), mimetype="text/plain")

    response = client.get("/test-stream", headers={"Accept-Encoding": "br, gzip"})
    assert response.is_streamed
    assert "Content-Encoding" not in response.headers
    first = next(response.response)
    assert first.startswith(b"row 0,")
    response.close()
    assert closed == [True]


def test_a_file_download_is_sent_as_it_is(app, client, tmp_path):
    export = tmp_path / "export.txt"
    export.write_text("a line of an export, the same as the next\n" * 500)

    @app.get("/test-download")
    def download():
        return send_file(export, mimetype="text/plain", as_attachment=True)

    response, data = get(client, "/test-download", "br, gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert data == export.read_bytes()
    assert response.headers["Content-Disposition"].startswith("attachment")
