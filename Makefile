# The two setup commands of the README:
#   make run    local chain, registry, demo data, indexer and API/portal until Ctrl-C (the main job)
#   make test   installs what the tests need and runs them all (what CI runs)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/rnd-registry

.PHONY: install chromium run stop test lint static-analysis pytest gas index-benchmark api-benchmark api-examples fuzz clean

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: node_modules/.installed $(VENV)/.installed

## The portal's browser tests drive Debian's Chromium through Playwright (never Playwright's own
## download). Installed with apt when missing: as root, or with sudo when it needs no password.
CHROMIUM_PACKAGES := chromium fonts-nanum
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(CHROMIUM_PACKAGES); \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	    sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y $(CHROMIUM_PACKAGES); \
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
test: install lint static-analysis pytest

lint: install
	$(VENV)/bin/ruff check registry tests scripts
	$(VENV)/bin/mypy

static-analysis: install
	bash scripts/static_analysis.sh

pytest: install chromium
	$(PY) -m pytest

## Benchmarks and long runs: separate from `make test`.
gas: install
	$(PY) scripts/gas_benchmark.py

index-benchmark: install
	$(PY) scripts/index_benchmark.py

## Needs wrk (Debian's package, installed with apt when missing, as root or with password-less sudo).
api-benchmark: install
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	    sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; \
	  else echo "The API benchmark needs wrk: apt-get install wrk" >&2; exit 1; fi; \
	fi
	$(PY) scripts/api_benchmark.py

## The example answers in the API's documentation, captured again from the demo registry.
api-examples: install
	$(PY) scripts/capture_api_examples.py

fuzz: install
	HYPOTHESIS_PROFILE=long $(PY) -m pytest tests/contracts/test_registry_stateful.py

clean:
	rm -rf build .rnd-registry crytic-export
