# Two commands: `make run` (the dashboard on its demo data) and `make test` (everything CI runs).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
DB     ?= $(or $(DASHBOARD_DB),data/dashboard.duckdb)
PORT   ?= 8501

.PHONY: run test lint demo-data clean

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
	DASHBOARD_DB="$(DB)" $(PY) -m streamlit run app.py --server.port $(PORT)

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

test: lint
	$(PY) -m pytest

demo-data: $(VENV)/.run-installed
	$(PY) -m src.demo

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
