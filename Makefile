# News-corpus analysis toolkit. `make` (or `make help`) lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.8
ENV_STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)

# What a report depends on (its notebook, the package, the corpus and any metadata.csv in or
# beside it, the parameters) is hashed by analysis.report itself: its manifest.json decides what
# is up to date, so `make report` always asks it (an up-to-date run starts no kernel).
# The corpus path is quoted for the shell (spaces, quotes) and passed as --corpus=PATH, so a
# path starting with "-" is not taken for an option; the report folder name has no spaces.
CORPUS ?=
METADATA ?=
shell_quote = '$(subst ','\'',$(1))'
ifeq ($(strip $(CORPUS)),)
  REPORT_DIR := reports
  REPORT_ARGS :=
else
  REPORT_DIR := reports/$(shell basename -- $(call shell_quote,$(CORPUS)) | sed -e 's/\.[^.]*$$//' -e 's/[^A-Za-z0-9._-]/_/g')
  REPORT_ARGS := --corpus=$(call shell_quote,$(CORPUS)) --out $(REPORT_DIR) $(if $(METADATA),--metadata=$(call shell_quote,$(METADATA)))
endif

.PHONY: help env report test lint lab lock clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'
	@echo "  (make report CORPUS=path/to/corpus [METADATA=file.csv] renders into reports/<name>/)"

env: $(ENV_STAMP) ## Create .venv from requirements.lock (exact pins) if it is missing or stale

$(ENV_STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed, found " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name news-analysis --display-name "Python (news analysis)" >/dev/null
	@rm -f $(VENV)/.installed-* && touch $@

report: $(ENV_STAMP) ## Render every notebook to reports/<name>.html (+ index.html); incremental
	$(PY) -m analysis.report $(REPORT_ARGS)

test: $(ENV_STAMP) ## Run the whole test suite (lint, doctests, unit, report and browser tests)
	$(VENV)/bin/ruff check analysis tests bench
	$(PY) -m pytest

lint: $(ENV_STAMP) ## ruff check only
	$(VENV)/bin/ruff check analysis tests bench

lab: $(ENV_STAMP) ## Open JupyterLab with the project's kernel ("Python (news analysis)")
	$(VENV)/bin/jupyter lab --notebook-dir=.

lock: ## Re-resolve requirements.lock from pyproject.toml (needs network)
	@test -x $(VENV)/bin/uv || { $(PYTHON) -m venv $(VENV) && $(PY) -m pip install --quiet uv==$(UV_VERSION); }
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean: ## Remove rendered reports and caches (keeps .venv)
	rm -rf reports .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# --- issue #7: benchmark ------------------------------------------------------------------
SIZES ?= 1000,10000,100000
comma := ,
.PHONY: bench
bench: $(ENV_STAMP) ## Benchmark vs scikit-learn/NLTK/re/Dask (SIZES=1000,10000,100000; BENCH_1M=1 adds 1M)
	$(PY) -m bench.run --sizes $(SIZES)$(if $(BENCH_1M),$(comma)1000000)
