# Two commands: `make run` (the dashboard on its demo data) and `make test` (everything CI runs).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
DB     ?= $(or $(DASHBOARD_DB),data/dashboard.duckdb)
PORT   ?= 8501
# This machine only (local), or the office network (office: needs an editor password).
NETWORK ?= $(or $(DASHBOARD_NETWORK),local)

# The benchmark (issue 6): `make bench`, or `make bench SIZES="S M"` for a quick run; data sets
# go to BENCH_DIR (never data/); BENCH_ARGS passes more options, e.g. --regenerate, --no-import.
SIZES      ?= S M L
BENCH_DIR  ?= /tmp/nq-bench
BENCH_ARGS ?=

.PHONY: run test lint demo-data clean bench bench-attach

$(VENV)/.run-installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.run-installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.run-installed
	@test -f "$(DB)" || DASHBOARD_DB="$(DB)" $(PY) -m src.cli init --demo
	DASHBOARD_DB="$(DB)" DASHBOARD_NETWORK="$(NETWORK)" $(PY) -m src.launch --server.port $(PORT)

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m mypy bench

test: lint
	$(PY) -m pytest

demo-data: $(VENV)/.run-installed
	$(PY) -m src.demo

bench: $(VENV)/.run-installed
	$(PY) -m bench --sizes $(SIZES) --dir $(BENCH_DIR) $(BENCH_ARGS)

bench-attach: $(VENV)/.run-installed
	$(PY) -m bench.attach --size $(or $(ATTACH_SIZE),L) --dir $(BENCH_DIR) --out bench/results.json

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
