# The two commands in the README: `make run` and `make test`. Everything else
# here is what they need, built from nothing on a fresh machine.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
ASSETS := webapp/static/govuk/.built

.PHONY: run test install assets lint format clean

run: install assets
	$(PY) -m deployments.launcher

# Runs ruff check and ruff format --check, then the whole suite on SQLite,
# then on a fresh PostgreSQL database (scripts/run_tests.py); any failure fails it.
# Pass pytest arguments with ARGS, e.g. make test ARGS="-k agreement".
test: install assets
	$(PY) scripts/run_tests.py $(ARGS)

install: $(INSTALLED)

# uv installs the locked set in seconds where pip takes minutes (it fetches and unpacks
# in parallel); it is itself one wheel from PyPI, pinned here. It compiles the installed
# packages' bytecode, as pip does (Dockerfile): where PYTHONDONTWRITEBYTECODE is set, as on
# these machines, every process would otherwise compile what it imports (holidays' 279
# country modules alone took 0.7 s of a reconcile). The test runs write bytecode for our
# own modules (scripts/run_tests.py), and the benchmark compiles them (bench/probe.py).
UV_VERSION := 0.13.8

$(INSTALLED): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install --quiet --native-tls --compile-bytecode --python $(PY) -c requirements.lock -e ".[dev]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: $(ASSETS)

$(ASSETS): node_modules/.package-lock.json scripts/build_assets.sh
	bash scripts/build_assets.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules webapp/static/govuk instance .prefect
