# News-corpus analysis toolkit. `make` (or `make help`) lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.8
ENV_STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)

# What a report depends on: its notebook, the package, the corpus.
NOTEBOOKS := $(wildcard notebooks/*.ipynb)
PACKAGE_FILES := $(shell find analysis -type f -not -path '*/__pycache__/*' -not -name '*.pyc')
CORPUS ?=
METADATA ?=
ifeq ($(strip $(CORPUS)),)
  REPORT_DIR := reports
  CORPUS_FILES := $(wildcard data/raw/*) data/metadata.csv
  REPORT_ARGS :=
else
  REPORT_DIR := reports/$(basename $(notdir $(abspath $(CORPUS))))
  CORPUS_FILES := $(shell find $(CORPUS) -type f 2>/dev/null)
  REPORT_ARGS := --corpus $(CORPUS) --out $(REPORT_DIR) $(if $(METADATA),--metadata $(METADATA))
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

report: $(REPORT_DIR)/.built ## Render every notebook to reports/<name>.html (+ index.html); incremental

$(REPORT_DIR)/.built: $(ENV_STAMP) $(NOTEBOOKS) $(PACKAGE_FILES) $(CORPUS_FILES)
	$(PY) -m analysis.report $(REPORT_ARGS)
	@touch $@

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
