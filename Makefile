# The two setup commands of the README:
#   make run    local chain, registry, demo data, indexer and API/portal until Ctrl-C (the main job)
#   make test   installs what the tests need and runs them all (what CI runs)
# `make run` installs the runtime only (.venv/.installed); the test tools (pytest, mypy, ruff,
# schemathesis, playwright...) come with `make test` (.venv/.installed-test, the '.[test]' extra).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/rnd-registry

.PHONY: install install-test chromium run stop test lint static-analysis pytest gas index-benchmark api-benchmark api-examples fuzz clean

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: node_modules/.installed $(VENV)/.installed

install-test: install $(VENV)/.installed-test

## System packages come from Debian with apt-get, which waits up to ten minutes for another apt or
## dpkg (unattended upgrades, a second terminal) to let go of its lock instead of failing at once.
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600

## The portal's browser tests drive Debian's Chromium through Playwright (never Playwright's own
## download). Installed with apt when missing: as root, or with sudo when it needs no password.
CHROMIUM_PACKAGES := chromium fonts-nanum
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then $(APT_GET) update && $(APT_GET) install -y $(CHROMIUM_PACKAGES); \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	    sudo $(APT_GET) update && sudo $(APT_GET) install -y $(CHROMIUM_PACKAGES); \
	  else \
	    echo "The portal's browser tests need Chromium at /usr/bin/chromium." >&2; \
	    echo "Install it as root: apt-get install $(CHROMIUM_PACKAGES)" >&2; \
	    exit 1; \
	  fi; \
	fi

## The main job: local chain, contracts deployed, demo data, indexer following the chain, API and
## portal on http://127.0.0.1:8000, until Ctrl-C. Run it again to resume the same chain and database.
run: install
	$(CLI) up

stop: install
	$(CLI) chain down

## Everything CI checks.
test: install-test lint static-analysis pytest

lint: install-test
	$(VENV)/bin/ruff check registry tests scripts
	$(VENV)/bin/mypy

static-analysis: install
	bash scripts/static_analysis.sh

pytest: install-test chromium
	$(PY) -m pytest

## Benchmarks and long runs: separate from `make test`.
gas: install
	$(PY) scripts/gas_benchmark.py

index-benchmark: install
	$(PY) scripts/index_benchmark.py

## Needs wrk (Debian's package, installed with apt when missing, as root or with password-less sudo).
api-benchmark: install
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then $(APT_GET) update && $(APT_GET) install -y wrk; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	    sudo $(APT_GET) update && sudo $(APT_GET) install -y wrk; \
	  else echo "The API benchmark needs wrk: apt-get install wrk" >&2; exit 1; fi; \
	fi
	$(PY) scripts/api_benchmark.py

## The example answers in the API's documentation, captured again from the demo registry.
api-examples: install
	$(PY) scripts/capture_api_examples.py

fuzz: install-test
	HYPOTHESIS_PROFILE=long $(PY) -m pytest tests/contracts/test_registry_stateful.py

clean:
	rm -rf build .rnd-registry crytic-export
