# `make demo` and `make test` work on a fresh machine: each builds .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck bench clean messages

# What WeasyPrint (the PDF forms) loads at run time. Installed by `make test` only: `make demo`
# prints to the terminal and needs no Debian package, so it never waits on (or fails at) apt.
# A PDF asked for without them says which package is missing.
DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/renja demo --fresh

# Starts a throwaway PostgreSQL server, runs unit, integration and e2e suites against
# SQLite and PostgreSQL, then stops the server.
# The tests also print one XLSX form through LibreOffice and read the pages back (poppler),
# and drive the web application in Debian's Chromium. The SIPD sync tests start their own
# throwaway MariaDB servers (tests/sipd_mariadb.py).
TEST_DEBIAN_PACKAGES := libreoffice-calc-nogui poppler-utils chromium chromium-driver mariadb-server

# Only this target installs Debian packages (scripts/ensure-debian-packages.sh waits for the
# dpkg lock another process holds, up to 10 minutes, instead of failing at once).
test: $(STAMP)
	scripts/ensure-debian-packages.sh $(DEBIAN_PACKAGES) $(TEST_DEBIAN_PACKAGES)
	$(BIN)/ruff check ledger projections cli events_store web tests
	$(BIN)/mypy
	scripts/with-postgres.sh $(BIN)/pytest -n 2 --dist loadgroup --durations=30

lint: $(STAMP)
	$(BIN)/ruff check ledger projections cli events_store web tests

typecheck: $(STAMP)
	$(BIN)/mypy

# Add the code's new messages to the Indonesian catalog (untranslated, listed) for a translator.
messages: $(STAMP)
	$(BIN)/python scripts/messages.py

bench: $(STAMP)
	scripts/bench.sh

clean:
	rm -rf $(VENV) .pg renja.db
