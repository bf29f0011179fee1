"""Static files under names that carry a hash of their contents, so browsers keep them a year.

``url_for('static', filename='css/app.css')`` gives ``/static/css/app.3f9a1c2b7d.css``: the
ten hex digits are the start of the SHA-256 of what that address serves. The file never changes
under that name, so it is sent with ``Cache-Control: public, max-age=31536000, immutable`` and a
browser that has it asks for nothing on the next page; when the file changes, its name changes,
and pages ask for the new one. Templates keep calling ``url_for('static', ...)`` as before: a
URL-building hook puts the hash in (``add_hash_to_static_urls``), and the ``static`` view
takes it out again.

What each address answers:

- ``/static/css/app.<current hash>.css``: the file, immutable for a year;
- ``/static/css/app.<any other hash>.css``: the current file with ``no-cache``. A page rendered
  before a deploy (or by a process not yet restarted, during a rolling one) still gets styled,
  in one request and without a redirect; the answer is revalidated each time, so no cache keeps
  new content under an old name for long, nor old content under a new one;
- ``/static/css/app.css``: the file as it is on disk, ``no-cache`` with an ETag (a revalidation
  costs a 304). Relative references resolve against the directory of the page or file that
  makes them, so these names must keep working: the error pages written out in
  board/errors.py, and anything that refers to a file by a relative path and is not rewritten
  (below), use them;
- anything else, and anything outside the folder (``..``, encoded or not): 404, through
  werkzeug's ``safe_join``, as Flask's own static view does.

A stylesheet or script that refers to another file by a relative path (the MoJ stylesheet's
``url(assets/images/icon-*.svg)``, or ``import ... from "../vendor/govuk-frontend/..."`` in
static/js) would bring that file in under its plain name, revalidated on every page view. So the
hashed name serves the file with those references rewritten to hashed names, and the hash is
taken of the rewritten text: a change to an imported module changes the hash of every file that
imports it. Nothing is written to disk and no build step runs: each process works this out once
per file, the first time a page names it, and keeps it (in development, while the file's
modification time and size are unchanged, so an edited stylesheet shows on the next reload).

Flask-Static-Digest does the same with a build step (``flask digest compile``) and its own
``static_url_for``, so every template would change and a forgotten compile would serve stale
names; WhiteNoise serves files well but leaves the hashed names to a framework's build step
too. This module is the small part of both that this app needs.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import brotli
from flask import Flask, abort, current_app, g, request
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

HASH_LENGTH = 10
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"

# A hashed name: the file's name with ".<10 hex digits>" before its last extension.
HASHED_NAME = re.compile(
    rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{HASH_LENGTH}}})(?P<suffix>\.[^./]+)?$"
)

# Relative references inside stylesheets and ES modules that are rewritten to hashed names.
# Only literal paths: a CSS url() that is not absolute, a data: URI or a fragment, and an
# import specifier that starts with ./ or ../ (anything else is not a path on this site).
REFERENCES = {
    ".css": re.compile(r"""url\(\s*(?P<quote>['"]?)(?P<ref>[^'"()\s]+)(?P=quote)\s*\)"""),
    ".js": re.compile(
        r"""(?:\bfrom|\bimport)\s*\(?\s*(?P<quote>['"])(?P<ref>\.\.?/[^'"\s]+)(?P=quote)"""
    ),
}
NOT_A_RELATIVE_PATH = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#)")


@dataclass(frozen=True)
class Asset:
    """What a file's hashed name serves, and what it was made from."""

    body: bytes
    digest: str
    # The source file's (modification time, size), and the digest of each file it refers to:
    # in development the asset is made again when any of these differ.
    stamp: tuple[int, int]
    references: tuple[tuple[str, str], ...]


class StaticFiles:
    """The files under ``folder``, their hashes and their hashed names, worked out once per
    process (and again when a file changes, if ``watch``)."""

    def __init__(self, folder: str | os.PathLike, watch: bool = False):
        self.folder = str(folder)
        self.watch = watch
        self._assets: dict[str, Asset | None] = {}

    def path_of(self, filename: str) -> str | None:
        """The file's path on disk, or None if ``filename`` is not a file inside the folder."""
        path = safe_join(self.folder, filename)
        return path if path is not None and os.path.isfile(path) else None

    def asset(self, filename: str) -> Asset | None:
        known = self._assets.get(filename, _UNKNOWN)
        if known is not _UNKNOWN and (not self.watch or self._still_current(filename, known)):
            return known
        made = self._make(filename, visiting=())
        self._assets[filename] = made
        return made

    def hashed_name(self, filename: str) -> str:
        """``css/app.css`` -> ``css/app.<hash>.css``; a name that is not a file is left alone
        (its address will answer 404, as it would have)."""
        asset = self.asset(filename)
        return filename if asset is None else with_digest(filename, asset.digest)

    def _still_current(self, filename: str, known: Asset | None) -> bool:
        path = self.path_of(filename)
        if known is None or path is None:
            return known is None and path is None
        if _stamp(path) != known.stamp:
            return False
        return all(
            (dependency := self.asset(name)) is not None and dependency.digest == digest
            for name, digest in known.references
        )

    def _make(self, filename: str, visiting: tuple[str, ...]) -> Asset | None:
        path = self.path_of(filename)
        if path is None:
            return None
        stamp = _stamp(path)
        body = Path(path).read_bytes()
        pattern = REFERENCES.get(posixpath.splitext(filename)[1])
        references: list[tuple[str, str]] = []
        if pattern is not None:
            body = self._rewrite(filename, body, pattern, (*visiting, filename), references)
        digest = hashlib.sha256(body).hexdigest()[:HASH_LENGTH]
        return Asset(body, digest, stamp, tuple(references))

    def _rewrite(self, filename, body, pattern, visiting, references) -> bytes:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return body
        here = posixpath.dirname(filename)

        def hashed_reference(match: re.Match) -> str:
            reference = match.group("ref")
            path, tail = _split_query(reference)
            if NOT_A_RELATIVE_PATH.match(path):
                return match.group(0)
            target = posixpath.normpath(posixpath.join(here, path))
            if target.startswith("../") or target in visiting:
                return match.group(0)  # outside the folder, or an import cycle: left as it is
            dependency = self._assets.get(target, _UNKNOWN)
            if dependency is _UNKNOWN or (
                self.watch and not self._still_current(target, dependency)
            ):
                dependency = self._make(target, visiting)
                self._assets[target] = dependency
            if dependency is None:
                return match.group(0)  # not a file of ours: the browser will say so
            references.append((target, dependency.digest))
            hashed = with_digest(path, dependency.digest) + tail
            start, end = match.start("ref") - match.start(), match.end("ref") - match.start()
            return match.group(0)[:start] + hashed + match.group(0)[end:]

        return pattern.sub(hashed_reference, text).encode("utf-8")


_UNKNOWN = object()


def _stamp(path: str) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_mtime_ns, status.st_size


def _split_query(reference: str) -> tuple[str, str]:
    for mark in ("?", "#"):
        if mark in reference:
            index = reference.index(mark)
            return reference[:index], reference[index:]
    return reference, ""


def with_digest(filename: str, digest: str) -> str:
    """``css/app.css`` and ``3f9a1c2b7d`` -> ``css/app.3f9a1c2b7d.css``."""
    folder, name = posixpath.split(filename)
    stem, suffix = posixpath.splitext(name)
    if not stem:  # a name like ".well-known": the hash goes at the end
        stem, suffix = name, ""
    return posixpath.join(folder, f"{stem}.{digest}{suffix}")


def without_digest(filename: str) -> tuple[str, str] | None:
    """``css/app.3f9a1c2b7d.css`` -> (``css/app.css``, ``3f9a1c2b7d``); None if not hashed."""
    folder, name = posixpath.split(filename)
    match = HASHED_NAME.match(name)
    if match is None:
        return None
    original = match.group("stem") + (match.group("suffix") or "")
    return posixpath.join(folder, original), match.group("digest")


def static_files() -> StaticFiles:
    return current_app.extensions["static_files"]


def serve_static(filename: str):
    """The ``static`` endpoint: a hashed name, a plain one, or 404."""
    files = static_files()
    path = files.path_of(filename)
    if path is not None:
        # The file as it is on disk. Read whole rather than streamed, so that it is compressed
        # like a page (board/__init__.py leaves streams alone); the largest is 135 KB.
        body = Path(path).read_bytes()
        etag = hashlib.sha256(body).hexdigest()[:HASH_LENGTH]
        return _file_response(filename, body, etag, REVALIDATE)
    hashed = without_digest(filename)
    asset = files.asset(hashed[0]) if hashed else None
    if asset is None:
        abort(404)
    fresh = hashed[1] == asset.digest
    return _file_response(hashed[0], asset.body, asset.digest, IMMUTABLE if fresh else REVALIDATE)


def _file_response(filename: str, body: bytes, etag: str, cache_control: str) -> Response:
    response = Response(body, mimetype=_mimetype(filename))
    response.set_etag(etag)
    # The same bytes compress the same way: Flask-Compress keeps each encoding (below).
    g.compressed_file_key = f"{filename}:{etag}"
    g.static_file_body = body
    response.headers["Cache-Control"] = cache_control
    return response.make_conditional(request)


def _mimetype(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def compress_thoroughly(body: bytes, encoding: str) -> bytes | None:
    """``body`` at each encoding's strongest setting, or None for an encoding not handled here.

    Pages are compressed on every request, so Flask-Compress uses quick settings (brotli 4,
    gzip 6). A static file is compressed once per process and then sent to every visitor, so it
    is worth the slowest: brotli 11 makes the board's first load about 7 KB (15%) lighter, for
    about 0.2 s of work per process, once."""
    if encoding == "br":
        return brotli.compress(body, quality=11)
    if encoding == "gzip":
        return gzip.compress(body, compresslevel=9, mtime=0)
    return None


class CompressedFiles:
    """Flask-Compress's cache (COMPRESS_CACHE_BACKEND): each static file compressed once per
    encoding and process, at the strongest setting (``compress_thoroughly``), rather than on
    every request. Only the static view names a key (``compressed_file_key``, the file and its
    ETag) and leaves the file's bytes in ``g.static_file_body``; every other answer is
    compressed afresh by Flask-Compress, under the key "<encoding>;None", which is never
    kept."""

    def __init__(self) -> None:
        self.compressed: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        found = self.compressed.get(key)
        body = g.get("static_file_body")
        if found is None and body is not None and not key.endswith(";None"):
            found = compress_thoroughly(body, key.partition(";")[0])
            if found is not None:
                self.compressed[key] = found
        return found

    def set(self, key: str, value: bytes) -> None:
        if not key.endswith(";None"):
            self.compressed[key] = value


def compressed_file_key(request) -> str | None:
    """COMPRESS_CACHE_KEY: the key the static view gave its answer, if it is one of ours."""
    return g.get("compressed_file_key")


def add_hash_to_static_urls(endpoint: str, values: dict) -> None:
    """A URL-building hook: ``url_for('static', filename=...)`` names the hashed file."""
    if endpoint == "static" and "filename" in values:
        values["filename"] = static_files().hashed_name(values["filename"])


def init_app(app: Flask, folder: str | os.PathLike) -> None:
    """Serve ``folder`` at /static under the ``static`` endpoint. The app must be made with
    ``static_folder=None``, so that this view is the only one for that endpoint."""
    watch = app.debug or app.config.get("APP_ENV") == "development"
    app.extensions["static_files"] = StaticFiles(folder, watch=watch)
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=serve_static)
    app.url_defaults(add_hash_to_static_urls)
