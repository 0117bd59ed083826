# The two setup commands of the README:
#   make run    local chain + registry deployed + demo data (the main job)
#   make test   installs what the tests need and runs them all (what CI runs)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/rnd-registry

.PHONY: install run stop test lint static-analysis pytest gas index-benchmark fuzz clean

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: node_modules/.installed $(VENV)/.installed

## The main job: chain up, contracts deployed, demo data.
run: install
	$(CLI) chain up
	$(CLI) deploy --dev-key 0
	$(PY) scripts/seed_demo.py
	$(CLI) chain status

stop: install
	$(CLI) chain down

## Everything CI checks.
test: install lint static-analysis pytest

lint: install
	$(VENV)/bin/ruff check registry tests scripts
	$(VENV)/bin/mypy

static-analysis: install
	bash scripts/static_analysis.sh

pytest: install
	$(PY) -m pytest

## Benchmarks and long runs: separate from `make test`.
gas: install
	$(PY) scripts/gas_benchmark.py

index-benchmark: install
	$(PY) scripts/index_benchmark.py

fuzz: install
	HYPOTHESIS_PROFILE=long $(PY) -m pytest tests/contracts/test_registry_stateful.py

clean:
	rm -rf build .rnd-registry crytic-export
