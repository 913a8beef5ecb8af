# Følg: the two commands are `make run` and `make test`; CI calls `make test` (see .ci/run).
#
#   make run              install, build the PWA, migrate SQLite, seed the demo, serve on $PORT
#   make test             install, lint, check PostgreSQL answers, run every test on SQLite and PostgreSQL,
#                         with a coverage floor (fail_under in pyproject.toml)
#   make lint             ESLint (pwa/) + ruff check + ruff format --check + mypy (server/, sync/)
#   make migration-check  fail if the models changed without a new Alembic revision
#   make bench            run bench/*.py
#   make lock             rewrite requirements*.lock from pyproject.toml (README: "Dependencies")
#   make tables           rewrite sync/tables.json and sync/rules.json from the table registry (server/services/tables.py)
#   make messages         extract the server's messages, update da/sv, compile (docs/translation.md)
#
# The install step is shared: .venv is created once, and the pinned, hashed set in
# requirements-test.lock (then the project itself, editable, --no-deps) is installed again only
# when the lock or pyproject.toml is newer than the stamp file .venv/.installed.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app server
INSTALLED := $(VENV)/.installed
LOCK := requirements.lock
TEST_LOCK := requirements-test.lock
# make lock LOCK_ARGS=--upgrade moves the unpinned (indirect) dependencies to their newest.
LOCK_ARGS ?=
PWA_INSTALLED := pwa/node_modules/.folg-installed
PYTEST_ARGS ?=

export FOLG_TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test lint bench install lock pwa pwa-test pwa-lint migration-check tables messages

install: $(INSTALLED)

$(PY):
	$(PYTHON) -m venv $(VENV)

# pip check catches a pyproject.toml whose dependencies the lock no longer satisfies.
$(INSTALLED): pyproject.toml $(TEST_LOCK) | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r $(TEST_LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	@$(PY) -m pip check >/dev/null || { $(PY) -m pip check; \
	  echo "pyproject.toml and $(TEST_LOCK) disagree: run make lock." >&2; exit 1; }
	touch $@

# One resolution for both files: the runtime lock is constrained by the test lock. uv keeps
# the versions already in a lock unless told to upgrade. Its version is pyproject's pin.
define LOCK_OPTIONS
--universal --python-version 3.11 --generate-hashes --no-strip-extras --custom-compile-command "make lock" --quiet
endef

lock: | $(PY)
	$(PY) -m pip install --quiet "$$(grep -o 'uv==[0-9.]*' pyproject.toml)"
	$(VENV)/bin/uv pip compile pyproject.toml --extra test $(LOCK_OPTIONS) $(LOCK_ARGS) -o $(TEST_LOCK)
	$(VENV)/bin/uv pip compile pyproject.toml -c $(TEST_LOCK) $(LOCK_OPTIONS) $(LOCK_ARGS) -o $(LOCK)

# The PWA is built when it exists (pwa/package.json); SKIP_PWA=1 serves the API alone.
ifneq ($(wildcard pwa/package.json),)
ifeq ($(SKIP_PWA),)
pwa: $(PWA_INSTALLED)
	cd pwa && npm run build

# The store and sync unit tests (vitest + fake-indexeddb, tests/pwa/), with a coverage floor.
pwa-test: $(PWA_INSTALLED)
	cd pwa && npm test

# ESLint (pwa/eslint.config.js), run by make lint.
pwa-lint: $(PWA_INSTALLED)
	cd pwa && npm run lint

$(PWA_INSTALLED): pwa/package.json pwa/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js to build the PWA (or SKIP_PWA=1)." >&2; exit 1; }
	cd pwa && npm ci
	touch $@
else
pwa:
	@echo "SKIP_PWA is set: not building the PWA."
pwa-test:
	@echo "SKIP_PWA is set: not testing the PWA."
pwa-lint:
	@echo "SKIP_PWA is set: not linting the PWA."
endif
else
pwa:
	@echo "No pwa/package.json yet: serving the API only."
pwa-test:
	@echo "No pwa/package.json yet: no PWA tests."
pwa-lint:
	@echo "No pwa/package.json yet: nothing to lint."
endif

run: install pwa
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo
	@echo "Følg is starting at http://127.0.0.1:$${PORT:-5000}  (Ctrl-C stops it)"
	$(FLASK) run --host 127.0.0.1 --port $${PORT:-5000}

# The suite runs every database test on SQLite and on PostgreSQL. It must never skip
# PostgreSQL silently, so a database that does not answer stops the run here, clearly.
define PG_CHECK
import os, sys
from sqlalchemy import create_engine, make_url, text
url = os.environ["FOLG_TEST_DATABASE_URL"]
shown = make_url(url).render_as_string(hide_password=True)
try:
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
except Exception as error:
    sys.exit(
        f"\nPostgreSQL does not answer at {shown}:\n  {type(error).__name__}: {error}\n"
        "The tests run on SQLite AND PostgreSQL and never skip either. Start PostgreSQL, "
        "or point FOLG_TEST_DATABASE_URL at one.\n"
    )
print(f"PostgreSQL answers at {shown}.")
endef
export PG_CHECK

test: install lint pwa pwa-test
	@$(PY) -c "$$PG_CHECK"
	$(PY) -m pytest -n 2 --cov --cov-report=term:skip-covered tests/ $(PYTEST_ARGS)

lint: install pwa-lint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# Upgrades a throwaway SQLite database to head and compares it with the models;
# tests/server/test_migrations.py does the same on SQLite and PostgreSQL.
migration-check: install
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	export FOLG_DATABASE_URL="sqlite:///$$tmp/check.sqlite3" && \
	$(FLASK) db upgrade && $(FLASK) schema-check

# The synced tables and their write checks as clients read them (sync/tables.json, sync/rules.json:
# the reference client and the PWA); a test fails when
# the registry changed and this was not rerun.
tables: install
	$(PY) -m server.services.tables

# The server's messages (docs/translation.md): the template from the code, the da and sv
# catalogues merged with it (new messages empty, changed ones fuzzy), then compiled. The .mo
# files are committed, so a clone (and the wheel) serves translations without this step;
# tests/i18n fails when one is missing, fuzzy or stale.
TRANSLATIONS := server/translations
PYBABEL := $(VENV)/bin/pybabel
messages: install
	$(PYBABEL) extract -F babel.cfg -o $(TRANSLATIONS)/messages.pot --no-location --sort-output \
	  --project=Følg --version=$$($(PY) -c 'import server; print(server.app_version())') \
	  --msgid-bugs-address=none -c TRANSLATORS: -w 100 .
	$(PYBABEL) update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --ignore-obsolete -w 100
	$(PYBABEL) compile -d $(TRANSLATIONS) --statistics

bench: install pwa
	$(PY) bench/sync_bench.py --db sqlite
	$(PY) bench/sync_bench.py --db postgresql
	$(PY) bench/pwa_bench.py
	$(PY) bench/load_test.py --devices 200 --seconds 60
