# Two commands on a fresh machine (Python 3.11+ only):
#   make run    set up .venv, migrate SQLite, load demo data, serve the portal + one worker
#   make test   set up .venv and run the whole test suite
PYTHON ?= python3
# Test processes (pytest-xdist): one per core by default; each has its own test database,
# cache and Redis database (portal/test_settings.py, tests/conftest.py). TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= auto
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint setup setup-dev bench bench-load production clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# --no-compile: pip would compile every module of every package to bytecode up front;
# Python compiles the ones a run imports, on first import, a fraction of them.
PIP_INSTALL := $(BIN)/pip install --quiet --no-compile

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements.txt
	touch $@

# One pip run for both lists (requirements-dev.txt includes requirements.txt).
$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $(VENV)/.runtime $@

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

# The demo's connectors run for real against their local APIs (manage.py serve_demo_api).
run: export LIVE_RUN_HOST_MAP ?= crm.example-sales.com=127.0.0.1:8001
run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py run_portal

test: setup-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: setup-dev
	$(BIN)/python -m ruff check .

bench: setup-dev
	$(BIN)/python bench/run_all.py

# Pages under load at 10,000 connectors: PostgreSQL, Redis, gunicorn, wrk (bench/load/README.md).
bench-load: setup-dev
	$(BIN)/python bench/load/run.py $(BENCH_ARGS)

# Production: gunicorn + the review worker with the settings from the environment
# (DEBUG=false, SECRET_KEY, FIELD_ENCRYPTION_KEYS, DATABASE_URL, REDIS_URL, ALLOWED_HOSTS).
production: setup
	$(BIN)/python manage.py serve_production --migrate

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles test-results .cache
