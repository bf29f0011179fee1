"""The production profile: gunicorn.conf.py, the Procfile, `make serve`, and gunicorn really
serving the app with them."""

from __future__ import annotations

import importlib.util
import json
import multiprocessing
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_SETTINGS = (
    "GUNICORN_BIND",
    "GUNICORN_WORKERS",
    "WEB_CONCURRENCY",
    "GUNICORN_WORKER_CLASS",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT",
    "FORWARDED_ALLOW_IPS",
)


def load_gunicorn_conf():
    """gunicorn.conf.py as gunicorn reads it: a module run afresh."""
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def as_gunicorn_settings(module) -> Config:
    """The module's settings put through gunicorn's own validation, as `-c` would."""
    config = Config()
    for name, value in vars(module).items():
        if name in config.settings:
            config.set(name, value)
    return config


@pytest.fixture
def clean_env(monkeypatch):
    for name in GUNICORN_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_gunicorn_defaults(clean_env):
    conf = load_gunicorn_conf()
    config = as_gunicorn_settings(conf)
    assert config.bind == ["127.0.0.1:8000"]
    assert config.workers == min(2 * multiprocessing.cpu_count() + 1, conf.MAX_WORKERS)
    assert 1 <= config.workers <= 9
    assert config.worker_class_str == "sync"
    assert config.timeout == 30
    assert config.graceful_timeout == 30
    assert config.preload_app is False
    assert config.accesslog is None  # the app logs each request itself
    assert config.forwarded_allow_ips == ["127.0.0.1", "::1"]


def test_gunicorn_settings_come_from_the_environment(clean_env):
    clean_env.setenv("GUNICORN_BIND", "0.0.0.0:9100")
    clean_env.setenv("GUNICORN_WORKERS", "3")
    clean_env.setenv("GUNICORN_WORKER_CLASS", "gthread")
    clean_env.setenv("GUNICORN_THREADS", "4")
    clean_env.setenv("GUNICORN_TIMEOUT", "45")
    clean_env.setenv("FORWARDED_ALLOW_IPS", "10.0.0.5")
    config = as_gunicorn_settings(load_gunicorn_conf())
    assert config.bind == ["0.0.0.0:9100"]
    assert config.workers == 3
    assert config.worker_class_str == "gthread"
    assert config.threads == 4
    assert config.timeout == 45
    assert config.forwarded_allow_ips == ["10.0.0.5"]


def test_web_concurrency_is_honoured_when_gunicorn_workers_is_unset(clean_env):
    clean_env.setenv("WEB_CONCURRENCY", "5")
    assert load_gunicorn_conf().workers == 5


def test_the_procfile_runs_gunicorn_with_the_config_and_the_mail_worker():
    lines = (ROOT / "Procfile").read_text().splitlines()
    processes = dict(line.split(": ", 1) for line in lines if line.strip())
    assert processes == {
        "web": "gunicorn -c gunicorn.conf.py wsgi:app",
        "worker": "flask --app wsgi mail send --watch",
    }


def make(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "PUBLIC_URL")}
    return subprocess.run(  # noqa: S603
        # -o: take the virtualenv as installed, so nothing is installed by the test.
        ["make", "--no-print-directory", "-o", ".venv/.installed", *args],  # noqa: S607
        cwd=ROOT,
        env=environment | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_make_serve_migrates_once_before_anything_serves():
    dry_run = make("-n", "serve")
    assert dry_run.returncode == 0, dry_run.stderr
    steps = dry_run.stdout
    assert steps.count("db upgrade") == 1
    assert steps.index("scripts.create_database") < steps.index("db upgrade")
    assert steps.index("db upgrade") < steps.index("honcho start")
    assert "--procfile Procfile" in steps
    # Production, on PostgreSQL and Redis unless told otherwise.
    assert "APP_ENV=production" in steps
    assert "DATABASE_URL=${DATABASE_URL:-postgresql+psycopg://" in steps
    assert "RATELIMIT_STORAGE_URI=${RATELIMIT_STORAGE_URI:-redis://" in steps


@pytest.mark.parametrize(
    ("env", "missing"),
    [({}, "SECRET_KEY"), ({"SECRET_KEY": "k" * 64}, "PUBLIC_URL")],
)
def test_make_serve_refuses_without_a_secret_key_or_public_address(env, missing):
    refused = make("serve", **env)
    assert refused.returncode != 0
    assert f"make serve: {missing} is not set" in refused.stderr
    assert "db upgrade" not in refused.stdout  # nothing ran


# -- gunicorn, for real -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_gunicorn_serves_the_production_profile(database_url, tmp_path):
    """gunicorn with gunicorn.conf.py, APP_ENV=production, on the tests' migrated database:
    ready, serving the board, and writing one JSON line a request on stdout."""
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
        "RATELIMIT_STORAGE_URI": "memory://",
        "CACHE_TYPE": "SimpleCache",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
    }
    env.pop("LOG_FORMAT", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    ready = home = None
    try:
        # Bounded: gunicorn starts in a second or two; a loaded machine gets more time.
        deadline = time.monotonic() + 30
        while ready is None and time.monotonic() < deadline and server.poll() is None:
            try:
                ready = get(f"http://127.0.0.1:{port}/readyz")
            except OSError:
                time.sleep(0.1)
        if ready is not None:
            home = get(f"http://127.0.0.1:{port}/")
    finally:
        server.terminate()
        try:
            out, err = server.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            out, err = server.communicate()
    assert ready is not None, f"gunicorn did not answer in time:\n{err}"
    status, body = ready
    assert status == 200, err
    assert json.loads(body) == {"status": "ready", "checks": {"database": "ok"}}
    status, body = home
    assert status == 200, err
    assert b"Case Board" in body
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("logger") == "board.requests"]
    assert [(line["method"], line["path"], line["status"]) for line in requests] == [
        ("GET", "/readyz", 200),
        ("GET", "/", 200),
    ], out + err
    assert all(line["request_id"] and line["user_id"] is None for line in requests)
    # gunicorn's access log is off: its own messages (to stderr) hold no request lines.
    assert "GET /" not in err
    assert "Using worker: sync" in err
