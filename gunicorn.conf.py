"""gunicorn's settings for Case Board: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Each setting can be changed from the environment (names below); options given on gunicorn's
command line win over this file (the benchmark passes its own --workers and --bind).
"""

import multiprocessing
import os

# Where to listen. Behind a reverse proxy on the same machine, the loopback; a unix socket
# works too ("unix:/run/caseboard/gunicorn.sock").
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]

# Processes. gunicorn's usual 2 x cores + 1, at most 9: each worker keeps its own pool of
# database connections (up to 15 with SQLAlchemy's defaults), and 9 x 15 stays well inside
# PostgreSQL's default max_connections of 100 with room for the mail worker and psql.
MAX_WORKERS = 9
workers = int(
    os.environ.get("GUNICORN_WORKERS")
    or os.environ.get("WEB_CONCURRENCY")
    or min(2 * multiprocessing.cpu_count() + 1, MAX_WORKERS)
)

# Sync workers: a request is a few milliseconds of Python (rendering, Markdown already stored
# rendered) around short SQL, so threads would mostly wait on the GIL, and one request a
# process keeps a worker's database session and caches simple. Slow clients are the reverse
# proxy's job: it buffers requests and answers, so a worker is never held by a slow network.
# Without such a proxy, GUNICORN_WORKER_CLASS=gthread and GUNICORN_THREADS=4 are the choice.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

# A worker silent this long is killed and replaced (the heaviest page takes well under a
# second; a CSV import of councils is the longest request). On SIGTERM, requests under way get
# graceful_timeout seconds to finish.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Seconds an idle keep-alive connection is kept (gthread only; sync workers close each one).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Not preloaded: each worker imports the app itself after the fork, so no database connection,
# Redis client or per-process cache made while the app is built is ever shared between
# processes, and `kill -HUP` on the master starts workers on the code now on disk. It costs a
# little memory and a second or two at start.
preload_app = False

# No access log: the app writes its own line for every request (board/request_log.py), in
# JSON with the request id and the signed-in person; gunicorn's own messages go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The proxies whose X-Forwarded-Proto gunicorn believes (it then serves the request as https).
# The client's address is the app's business: TRUSTED_PROXIES (werkzeug's ProxyFix).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# A process name that says what it is in ps and top.
proc_name = "caseboard"

# No control socket (gunicorn 25.1 and later): nothing here uses gunicornc, and every gunicorn
# on a machine would otherwise claim the same path (the benchmark's, the tests', make serve's).
control_socket_disable = True
