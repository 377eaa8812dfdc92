# Opyt: `make run` installs, loads the sample documents and serves;
# `make test` installs and runs the whole test suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install java chromium run test bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml | java chromium
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Opyt needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# HermiT (the OWL reasoner behind `opyt ontology check`) needs a Java runtime.
java:
	@command -v java >/dev/null || { \
	  echo "Java not found: installing Debian's default-jre-headless"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq default-jre-headless; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq default-jre-headless; fi; }

# The browser test (tests/test_browser.py) drives Debian's Chromium through Playwright
# (`playwright install` cannot download its own browser builds here).
chromium:
	@command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || { \
	  echo "Chromium not found: installing Debian's chromium"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; }

# Ingests the sample documents in samples/ (unchanged ones are skipped), then serves.
run: install
	$(BIN)/opyt ingest samples
	$(BIN)/opyt serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest -q

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var *.egg-info
