# The two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_COUNTY ?= 360426
DEMO_CHILDREN ?= 3000
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install sysdeps test-sqlite test-postgres lint typecheck format serve clean messages \
	bundle install-offline bundle-check test-postgres16

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

sysdeps:
	bash scripts/sysdeps.sh $(SYSDEPS_MODE)

demo: SYSDEPS_MODE = demo
demo: sysdeps install
	$(BIN)/guanai migrate --noinput -v0
	$(BIN)/guanai demo --county-code $(DEMO_COUNTY) --children $(DEMO_CHILDREN)
	$(BIN)/guanai serve $(HOST):$(PORT)

test: SYSDEPS_MODE = test
test: sysdeps install
	$(BIN)/ruff check guanai bench
	$(MAKE) --no-print-directory typecheck
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(MAKE) --no-print-directory test-sqlite
	WITH_POSTGRES_OPTIONAL=1 bash scripts/with-postgres.sh $(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== tests on SQLite =="
	GUANAI_VAR_DIR=$(CURDIR)/var/test DATABASE_URL=sqlite:///var/test/guanai.sqlite3 $(BIN)/pytest

test-postgres:
	@echo "== tests on PostgreSQL =="
	GUANAI_VAR_DIR=$(CURDIR)/var/test $(BIN)/pytest -m "not e2e"

# PostgreSQL 16 as well as Debian's 15 (issue 20.5). Debian 12 packages only 15, so the
# server binaries come from the pgserver wheel (PostgreSQL 16.2, without pg_trgm: the
# suite then also covers the fallback without the trigram index).
PG16_DIR := var/pg16
PG16_VERSION := 0.1.4
$(PG16_DIR)/.installed-$(PG16_VERSION):
	rm -rf $(PG16_DIR)
	$(BIN)/pip install --quiet --no-deps --target $(PG16_DIR) pgserver==$(PG16_VERSION)
	touch $@

test-postgres16: install $(PG16_DIR)/.installed-$(PG16_VERSION)
	PG_BIN=$(CURDIR)/$(PG16_DIR)/pgserver/pginstall/bin \
	GUANAI_PG_BIN=$(CURDIR)/$(PG16_DIR)/pgserver/pginstall/bin bash scripts/with-postgres.sh \
		$(MAKE) --no-print-directory test-postgres

lint:
	$(BIN)/ruff check guanai bench
	$(BIN)/ruff format --check guanai bench

# mypy with django-stubs on the domain's plain functions (the files in pyproject.toml). The
# plugin loads guanai.settings, which needs no database or environment; cache under var/mypy.
typecheck: install
	$(BIN)/mypy

format:
	$(BIN)/ruff format guanai bench
	$(BIN)/ruff check --fix guanai bench

# Extract messages, fill the English catalogue from scripts/translate_en.py and compile it.
messages: install
	$(BIN)/guanai makemessages -l en --ignore ".venv/*" --ignore "var/*" -v0
	$(BIN)/python scripts/translate_en.py

# The web server and, beside it, the worker that runs queued reports and roster imports.
serve:
	$(BIN)/guanai serve $(HOST):$(PORT)

# The offline install bundle (docs/deploy.md, "Offline bundle"): wheels of every dependency for
# this Python and platform, the Debian packages pip cannot give, the docs and an installer.
bundle: install
	$(BIN)/python scripts/bundle.py

# Install a bundle into a fresh virtualenv with no network (pip --no-index) and migrate:
#   make install-offline BUNDLE=var/dist/guanai-bundle-….tar.gz [PREFIX=/opt/guanai]
PREFIX ?= /opt/guanai
install-offline:
	@test -n "$(BUNDLE)" || { echo "usage: make install-offline BUNDLE=….tar.gz [PREFIX=…]" >&2; exit 2; }
	$(PYTHON) scripts/offline_install.py --bundle "$(BUNDLE)" --prefix "$(PREFIX)"

# Build the bundle and install it in a fresh virtualenv with the network cut off (unshare -n
# where allowed), on a throwaway SQLite database: minutes (not part of `make test`).
bundle-check: install
	bash scripts/bundle-check.sh

clean:
	rm -rf $(VENV) var
