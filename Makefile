# Two commands on a fresh machine (Python 3.11+ only):
#   make run    set up .venv, migrate SQLite, load demo data, serve the portal + one worker
#   make test   set up .venv and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint setup setup-dev bench bench-load production clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py run_portal

test: setup-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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
