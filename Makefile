# Two commands for a newcomer: `make run` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 3978

.PHONY: run test lint typecheck unit browser testdb bench package clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Start Trimtab on http://$(HOST):$(PORT) with TinyDB under ./data, plus the Agents Playground when npx is present.
run: $(STAMP)
	TRIMTAB_DATA_DIR=$${TRIMTAB_DATA_DIR:-./data} $(BIN)/trimtab run --host $(HOST) --port $(PORT) --playground auto

## The whole suite: lint, types, tests (browser tests use the system Chromium, installed here when missing).
test: $(STAMP) browser testdb
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

## Debian's Chromium for the headless-browser tests (root on Debian/Ubuntu; elsewhere set TRIMTAB_CHROMIUM).
browser:
	@command -v chromium >/dev/null 2>&1 || [ -n "$$TRIMTAB_CHROMIUM" ] || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "Could not install chromium: install it or set TRIMTAB_CHROMIUM=/path/to/chromium"; exit 1; }; }

## PostgreSQL for the storage tests (tests/pgserver.py): TRIMTAB_TEST_DATABASE_URL, else a server on
## 127.0.0.1:5432, else a throwaway cluster under .venv/pgtest from the installed initdb/pg_ctl,
## else Debian's postgresql installed here. Each test makes and drops its own database.
testdb: $(STAMP)
	@$(BIN)/python -m tests.pgserver check 2>/dev/null || { \
	  echo "Installing Debian's postgresql for the database tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
	  || { echo "No PostgreSQL for the tests: set TRIMTAB_TEST_DATABASE_URL=postgresql://user:pass@host:5432/db (a role that may CREATE DATABASE) or install PostgreSQL 14+"; exit 1; }; }

bench: $(STAMP)
	$(BIN)/python -m bench

package: $(STAMP)
	$(BIN)/trimtab package --out trimtab.zip

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
