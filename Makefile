# `make run` starts the site on http://127.0.0.1:8000 with the article and demo data (SQLite).
# `make test` runs the whole test suite. Both create or reuse .venv from pinned versions.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Development defaults; every one of them can be overridden from the environment.
export DJANGO_DEBUG ?= true
export EMAIL_FILE_PATH ?= $(CURDIR)/sent-emails

.PHONY: run test check lint imports format bench bench-article bench-directory venv

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: venv
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_content
	$(BIN)/python manage.py load_helplines
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py refresh_free_slots
	@echo ""
	@echo "  The site runs on http://127.0.0.1:8000/"
	@echo "  Demo logins (password try-the-demo): specialist demo-1@example.invalid, staff demo-staff@example.invalid"
	@echo "  To create an admin account, in another terminal: $(BIN)/python manage.py createsuperuser"
	@echo "  Emails (sign-up verification links, password resets) are written to $(EMAIL_FILE_PATH)/"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: venv
	$(BIN)/pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The import contracts in pyproject.toml: lower floors never import higher ones.
imports: venv
	$(BIN)/lint-imports --no-logo

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: lint imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# Every page under load beside a static file, booking throughput, slot
# computation, directory growth and the article's weight, under production
# settings (gunicorn + whitenoise, DEBUG off), on PostgreSQL (when installed)
# and SQLite. BENCH_SECONDS=3 makes the smoke run. See README "Speed".
bench: venv
	$(BIN)/python bench/table.py

# The article page beside a static file of exactly its size.
bench-article: venv
	$(BIN)/python bench/article_vs_static.py

# Directory server time at 1,000 / 10,000 / 100,000 specialists, side by side
# (in-process, cold; several minutes: BENCH_DIRECTORY_SIZES=1000,10000 is quicker).
bench-directory: venv
	$(BIN)/python bench/directory.py
