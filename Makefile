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

# The README's images (`make screenshots`): the browser tests that take them write into a
# scratch folder (SCREENSHOT_DIR; by default they never write docs/), and the images the
# README and docs/ keep are copied into docs/; then the report's pages, when LibreOffice and
# poppler are installed (docs/make-report-images.sh).
SCREENSHOT_TESTS := tests/test_browser_overview.py tests/test_browser_views.py \
                    tests/test_browser_upload.py tests/test_browser_reports.py \
                    tests/test_browser_resolutions.py
SCREENSHOTS      := overview goal goal-term cells upload-preview-errors upload-preview \
                    upload-history reports resolution-preview

.PHONY: run test lint demo-data clean bench bench-attach screenshots

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
	DASHBOARD_DB="$(DB)" DASHBOARD_NETWORK="$(NETWORK)" $(PY) -m src.cli.launch --server.port $(PORT)

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy
	$(PY) -m mypy bench

test: lint
	$(PY) -m pytest

demo-data: $(VENV)/.run-installed
	$(PY) -m src.services.demo

bench: $(VENV)/.run-installed
	$(PY) -m bench --sizes $(SIZES) --dir $(BENCH_DIR) $(BENCH_ARGS)

bench-attach: $(VENV)/.run-installed
	$(PY) -m bench.attach --size $(or $(ATTACH_SIZE),L) --dir $(BENCH_DIR) --out bench/results.json

screenshots: $(VENV)/.dev-installed
	@shots=$$(mktemp -d) && trap 'rm -rf "$$shots"' EXIT && \
	SCREENSHOT_DIR="$$shots" $(PY) -m pytest -q $(SCREENSHOT_TESTS) && \
	for n in $(SCREENSHOTS); do \
	  test -f "$$shots/$$n.png" || { echo "$$n.png was not taken: which test writes it now?" >&2; exit 1; }; \
	done && \
	for n in $(SCREENSHOTS); do cp "$$shots/$$n.png" docs/ && echo "docs/$$n.png"; done
	@if command -v soffice >/dev/null && command -v pdftoppm >/dev/null; then \
	  PY=$(PY) docs/make-report-images.sh; \
	else \
	  echo "docs/report-page-1.png, docs/report-page-2.png kept as they were:" \
	    "docs/make-report-images.sh needs soffice (libreoffice-writer-nogui) and pdftoppm (poppler-utils)" >&2; \
	fi

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
