# Case Board: `make run` serves the demo board; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := APP_ENV=$${APP_ENV:-development} $(BIN)/flask --app wsgi
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: assets translations translations-extract translations-update run serve test test-postgres screenshots bench bench-digests bench-related load lint format chromium wrk install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The Welsh catalogue (board/translations/README.md): the app reads the compiled messages.mo,
# made from messages.po whenever it changes. After adding or changing a string in the code:
# `make translations-update`, translate what it added to messages.po, and commit.
CATALOGUE := board/translations/cy/LC_MESSAGES/messages
$(CATALOGUE).mo: $(CATALOGUE).po $(wildcard board/translations/parts/*.po) | $(VENV)/.installed
	$(BIN)/python -m scripts.translations compile

translations: $(CATALOGUE).mo

translations-extract: install
	$(BIN)/python -m scripts.translations extract

translations-update: translations-extract
	$(BIN)/python -m scripts.translations update

run: install translations
	$(FLASK) db upgrade
	$(FLASK) markdown rerender
	$(FLASK) demo-data --if-empty
	$(FLASK) related choose
	$(FLASK) run --host 127.0.0.1 --port 5000

# The production profile on this machine: gunicorn (gunicorn.conf.py) and the mail worker,
# started together by honcho from the Procfile, on PostgreSQL and Redis. The database is made
# if missing and migrated once, before anything serves. Needs SECRET_KEY and PUBLIC_URL:
#   SECRET_KEY=$$(python3 -c 'import secrets; print(secrets.token_hex(32))') \
#   PUBLIC_URL=https://caseboard.example.org make serve
# DATABASE_URL, RATELIMIT_STORAGE_URI, CACHE_TYPE and CACHE_REDIS_URL override the defaults.
SERVE_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/caseboard
SERVE_REDIS_URL ?= redis://127.0.0.1:6379
SERVE_ENV := APP_ENV=production \
	DATABASE_URL=$${DATABASE_URL:-$(SERVE_DATABASE_URL)} \
	RATELIMIT_STORAGE_URI=$${RATELIMIT_STORAGE_URI:-$(SERVE_REDIS_URL)/0} \
	CACHE_TYPE=$${CACHE_TYPE:-RedisCache} \
	CACHE_REDIS_URL=$${CACHE_REDIS_URL:-$(SERVE_REDIS_URL)/1} \
	PATH=$(abspath $(BIN)):$$PATH

serve: install translations
	@test -n "$$SECRET_KEY" || { echo "make serve: SECRET_KEY is not set. Set it to a long random value, e.g. SECRET_KEY=\$$(python3 -c 'import secrets; print(secrets.token_hex(32))') make serve" >&2; exit 1; }
	@test -n "$$PUBLIC_URL" || { echo "make serve: PUBLIC_URL is not set. Set it to the address people use, e.g. PUBLIC_URL=https://caseboard.example.org make serve" >&2; exit 1; }
	$(SERVE_ENV) $(BIN)/python -m scripts.create_database
	$(SERVE_ENV) $(BIN)/flask --app wsgi db upgrade
	$(SERVE_ENV) $(BIN)/flask --app wsgi related choose
	$(SERVE_ENV) $(BIN)/honcho start --no-prefix --no-colour --procfile Procfile

# The Design System's CSS and JS, built into static/vendor/ (only the components the pages use)
# from the versions pinned in package.json. Needs Node and npm; run and test use the committed
# copies and never need Node.
assets:
	scripts/vendor-assets.sh

# Browser tests drive Debian's Chromium; install it when it is missing (needs root or sudo).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

# The suite runs in one process per core (pytest-xdist), each test file wholly in one of them,
# as some files build one site for all their tests; on PostgreSQL each process has a database
# of its own beside TEST_POSTGRES_URL's (test_gw0, test_gw1, ...). PYTEST_WORKERS=0 runs it in
# one process; PYTEST_ARGS adds options, e.g. make test PYTEST_ARGS="tests/search -x".
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

test: install-test chromium translations
	$(PYTEST) $(PYTEST_ARGS)

test-postgres: install-test chromium translations
	TEST_DATABASE_URL=$(TEST_POSTGRES_URL) $(PYTEST) $(PYTEST_ARGS)

# Full-page screenshots of every page, as each role, at 1280 and 375 px, into screenshots/
# (the pages of tests/browser/pages.py, on a temporary SQLite database). Options go in
# SCREENSHOTS_ARGS, e.g. make screenshots SCREENSHOTS_ARGS="--role moderator --width 375".
screenshots: install-test chromium translations
	$(BIN)/python -m scripts.screenshots $(SCREENSHOTS_ARGS)

# The benchmark (bench/README.md): 100,000 synthetic studies, gunicorn, wrk; pages cached and
# uncached, the study page with 30 comments, a mixed load with "Useful" toggles, the board's
# page weight; three runs and their median. Options go in BENCH_ARGS, e.g.
# make bench BENCH_ARGS="--database postgres --redis" or BENCH_ARGS="--no-cache --runs 1".
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing wrk for the benchmark"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk; }

bench: install wrk translations
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# The digest benchmark (bench/digests.py): 10,000 members following topics, councils, saved
# searches and studies over the benchmark's 100,000 studies (filled as `make bench` fills them,
# or reused); `digests send` in a child process, its time and peak memory against the targets.
bench-digests: install
	$(BIN)/python -m bench.digests $(BENCH_DIGESTS_ARGS)

# The related-studies benchmark (bench/related.py): the SQL time of "Councils that tried
# something similar" for 300 studies and 100 questions over the benchmark's 100,000 studies,
# on SQLite and PostgreSQL (filled as `make bench` fills them, or reused); target p99 < 20 ms.
# e.g. make bench-related BENCH_RELATED_ARGS="--database sqlite".
bench-related: install
	$(BIN)/python -m bench.related $(BENCH_RELATED_ARGS)

# The load test (bench/README.md): 50 clients browse, filter, comment and mark studies
# "Useful" for 60 s against gunicorn on the local PostgreSQL (database "load"), then again
# while PostgreSQL restarts, then with the mail server down. Loopback only, bounded in time;
# the restart needs the rights to run pg_ctlcluster.
load: install translations
	$(BIN)/python -m bench.load $(LOAD_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
