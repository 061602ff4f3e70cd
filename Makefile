# Aduan: `make run` serves the demo office, `make test` runs the whole suite.
# Needs only Python (3.11+) and make; everything else is installed here.

SHELL := /bin/bash
PORT ?= 8000
HOST ?= 127.0.0.1
# One sync worker per core: more only contend for SQLite's single writer (docs/benchmarks.md).
WEB_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
# Links in messages point at the address `make run` serves, unless ADUAN_PUBLIC_URL (environment
# or .env) says otherwise (settings.py).
export ADUAN_RUN_URL := http://$(HOST):$(PORT)
VENV := .venv
BIN := $(VENV)/bin
PYTHON_CANDIDATES := python3.13 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3) python3.12 python3.11 python3
PY ?= $(firstword $(foreach p,$(PYTHON_CANDIDATES),$(shell $(p) -c 'import sys; assert sys.version_info >= (3, 11); print("$(p)")' 2>/dev/null)))
# The install's stamp names the checksum of what it installs and of how: the locked
# requirements, pyproject.toml and the install rule's own text (its lines up to the blank line
# after it), so a venv made by an older recipe is installed again (e.g. to get the compiled
# bytecode of ff2dc6a), and an edit elsewhere in this Makefile reinstalls nothing.
THIS_MAKEFILE := $(lastword $(MAKEFILE_LIST))
STAMP := $(VENV)/.installed-$(shell { cat requirements.lock pyproject.toml; sed -n '/^\$$(STAMP):/,/^$$/p' $(THIS_MAKEFILE); } | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=

.PHONY: run test install system-packages migrate demo web worker lint clean lock typecheck

# The typed layer mypy checks ([tool.mypy] in pyproject.toml): every services.py, selectors.py and
# tasks.py, every services/ or selectors/ package, the job registry and, widening app by app, the
# whole case file (complaints: access, workflow, privacy, attachments...) and the composed request
# stack (config/middleware.py), found afresh on each run so a new app is covered.
TYPED_FILES = find src/aduan \( -name services.py -o -name selectors.py -o -name tasks.py \
	-o -path '*/services/*.py' -o -path '*/selectors/*.py' -o -path src/aduan/core/jobs.py \
	-o -path 'src/aduan/complaints/*.py' -o -path src/aduan/config/middleware.py \) -not -path '*/tests/*' -not -path '*/migrations/*' | sort

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PY)" || { echo "Python 3.11 or newer is required"; exit 1; }
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	@# Compiled bytecode now, not in each web worker at run time: uv writes none unless asked,
	@# and a module compiled after gunicorn's fork costs the worker heap it keeps (issue 17).
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m compileall -q src
	@rm -f $(VENV)/.installed-* && touch $@

lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 -q -o requirements.lock

migrate: install
	@mkdir -p var
	@# The installation's own SECRET_KEY and NIK key, made on the first run and kept (README).
	$(BIN)/python -m aduan.config.keys --write $${ADUAN_VAR_DIR:-var}/local.env
	$(BIN)/python manage.py migrate --noinput -v 0

# The demo keeps its published passwords (no forced change at first login); a real
# installation runs without ADUAN_DEMO_MODE (docs/security.md).
demo run: export ADUAN_DEMO_MODE ?= 1

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py collectstatic --noinput -v 0
	@echo ""
	@echo "  Aduan berjalan di  http://$(HOST):$(PORT)/        (portal publik)"
	@echo "                     http://$(HOST):$(PORT)/desk/   (meja kerja petugas)"
	@echo "                     http://$(HOST):$(PORT)/admin/  (administrasi)"
	@echo "  Hentikan dengan Ctrl+C."
	@echo ""
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/python manage.py run_worker & \
	$(BIN)/gunicorn aduan.config.wsgi -c python:aduan.config.gunicorn --preload --bind $(HOST):$(PORT) \
	  --workers $(WEB_WORKERS) --access-logfile - --logger-class aduan.core.gunicorn_logging.ScrubbingLogger & \
	wait

# Debian packages the tests need, installed (one apt-get update) only when missing:
# chromium for the browser tests (Playwright drives it; it cannot download its own),
# poppler-utils (pdftoppm) for the printed PDFs, redis-server for the RQ delivery test and
# dovecot-imapd for the e-mail channel tests (they start their own IMAP server under var/),
# postgresql-client (pg_dump/pg_restore, Debian's, the same major version as Debian's server)
# for `manage.py backup`/`restore` on PostgreSQL.
SYSTEM_TOOLS := chromium:chromium pdftoppm:poppler-utils redis-server:redis-server /usr/sbin/dovecot:dovecot-imapd pg_dump:postgresql-client
system-packages:
	@missing=""; for pair in $(SYSTEM_TOOLS); do tool=$${pair%%:*}; pkg=$${pair##*:}; \
	  command -v $$tool >/dev/null 2>&1 || test -x $$tool || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing:$$missing"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages:$$missing (sudo apt-get install$$missing)"; exit 1; fi; fi

test: install system-packages
	@mkdir -p var
	$(BIN)/python manage.py makemigrations --check --dry-run -v 0 --settings=aduan.config.settings_test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy $$($(TYPED_FILES))
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# mypy + django-stubs over services and selectors (also run by `make test`); cache in var/.
typecheck: install
	@mkdir -p var
	$(BIN)/mypy $$($(TYPED_FILES))

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

clean:
	rm -rf $(VENV) var
