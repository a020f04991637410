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
# Column names of a table corpus (CSV/JSONL/Parquet), passed to load_corpus; empty: recognised.
TEXT_COLUMN ?=
DATE_COLUMN ?=
TITLE_COLUMN ?=
OUTLET_COLUMN ?=
ID_COLUMN ?=
# A YAML file of notebook parameters (papermill style), given to every report that declares them.
PARAMS ?=
# Memory (MB) the report kernels may use together (default 3000: a large corpus, one kernel).
REPORT_MEMORY_MB ?=
COLUMN_ARGS := $(if $(TEXT_COLUMN),--text-column=$(call shell_quote,$(TEXT_COLUMN))) \
  $(if $(DATE_COLUMN),--date-column=$(call shell_quote,$(DATE_COLUMN))) \
  $(if $(TITLE_COLUMN),--title-column=$(call shell_quote,$(TITLE_COLUMN))) \
  $(if $(OUTLET_COLUMN),--outlet-column=$(call shell_quote,$(OUTLET_COLUMN))) \
  $(if $(ID_COLUMN),--id-column=$(call shell_quote,$(ID_COLUMN))) \
  $(if $(PARAMS),--params=$(call shell_quote,$(PARAMS))) \
  $(if $(REPORT_MEMORY_MB),--memory-mb=$(REPORT_MEMORY_MB))
ifeq ($(strip $(CORPUS)),)
  REPORT_DIR := reports
  REPORT_ARGS := $(COLUMN_ARGS)
else
  REPORT_DIR := reports/$(shell basename -- $(call shell_quote,$(CORPUS)) | sed -e 's/\.[^.]*$$//' -e 's/[^A-Za-z0-9._-]/_/g')
  REPORT_ARGS := --corpus=$(call shell_quote,$(CORPUS)) --out $(REPORT_DIR) \
    $(if $(METADATA),--metadata=$(call shell_quote,$(METADATA))) $(COLUMN_ARGS)
endif
# As root (containers), Jupyter needs --allow-root.
ROOT_ARGS := $(if $(filter 0,$(shell id -u)),--allow-root)
LAB_ARGS ?=

.PHONY: help env report test lint typecheck lab kernel wheel lock clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'
	@echo "  (make report CORPUS=path/to/corpus [METADATA=file.csv] [TEXT_COLUMN=body DATE_COLUMN=...]"
	@echo "   [PARAMS=params.yaml] renders into reports/<name>/; make lab LAB_ARGS='--port 8899')"

env: $(ENV_STAMP) ## Create .venv from requirements.lock (exact pins) if it is missing or stale

$(ENV_STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed, found " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip sync --quiet --compile-bytecode --python $(PY) requirements.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name news-analysis --display-name "Python (news analysis)" >/dev/null
	@# what every report kernel would otherwise redo: byte-compile the package, build the charts'
	@# JavaScript bundle once for this environment (analysis.report._render.install_bundle)
	@$(PY) -m compileall -q analysis >/dev/null
	@$(PY) -m analysis.report._render >/dev/null
	@rm -f $(VENV)/.installed-* && touch $@

report: $(ENV_STAMP) ## Render every notebook to reports/<name>.html (+ index.html); incremental
	$(PY) -m analysis.report $(REPORT_ARGS)

test: $(ENV_STAMP) ## Run the whole test suite (lint, types, doctests, unit, report and browser tests)
	$(VENV)/bin/ruff check analysis tests bench
	$(VENV)/bin/mypy analysis
	$(PY) -m pytest

lint: $(ENV_STAMP) ## ruff check only
	$(VENV)/bin/ruff check analysis tests bench

typecheck: $(ENV_STAMP) ## mypy on the package (configured in pyproject.toml)
	$(VENV)/bin/mypy analysis

kernel: $(ENV_STAMP) ## Install the project's kernel for your user too (VS Code, other Jupyters list it)
	$(PY) -m ipykernel install --user --name news-analysis --display-name "Python (news analysis)"

lab: kernel ## Open JupyterLab with the project's kernel ("Python (news analysis)"); works as root
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=. $(ROOT_ARGS) $(LAB_ARGS)

wheel: $(ENV_STAMP) ## Build the wheel (notebooks, templates and bundled corpus inside) into dist/
	$(PY) -m pip wheel --no-deps --no-build-isolation --quiet --wheel-dir dist .

lock: ## Re-resolve requirements.lock from pyproject.toml (needs network)
	@test -x $(VENV)/bin/uv || { $(PYTHON) -m venv $(VENV) && $(PY) -m pip install --quiet uv==$(UV_VERSION); }
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean: ## Remove rendered reports and caches (keeps .venv)
	rm -rf reports dist build .pytest_cache .ruff_cache .mypy_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# --- benchmark (bench/, outside the package) -----------------------------------------------
SIZES ?= 10000
REPEATS ?= 3
comma := ,
.PHONY: bench bench-stages
bench: $(ENV_STAMP) ## Whole-process benchmark + target table (SIZES=10000, REPEATS=3; SIZES=10000,100000)
	nice -n 10 $(PY) -m bench.whole --sizes $(SIZES) --repeats $(REPEATS)

bench-stages: $(ENV_STAMP) ## Per-stage benchmark vs scikit-learn/NLTK/re/Dask (SIZES; BENCH_1M=1 adds 1M)
	$(PY) -m bench.run --sizes $(SIZES)$(if $(BENCH_1M),$(comma)1000000)

.PHONY: bench-syndication
bench-syndication: $(ENV_STAMP) ## Time near_duplicates on 100k synthetic articles (new process; DOCS=100000)
	$(PY) -m bench.syndication --docs $(or $(DOCS),100000)

FORCE:

.PHONY: bench-tone
bench-tone: $(ENV_STAMP) ## Time tone() on 100k synthetic articles as a whole process (DOCS=100000)
	@mkdir -p bench/corpora
	test -f bench/corpora/synth-$(or $(DOCS),100000).parquet || \
	  $(PY) -m bench.corpus --docs $(or $(DOCS),100000) --out bench/corpora/synth-$(or $(DOCS),100000).parquet --no-progress
	/usr/bin/time -v $(PY) bench/tone.py bench/corpora/synth-$(or $(DOCS),100000).parquet 2> bench/results/tone-time.tmp; \
	  status=$$?; grep -E 'Elapsed|Maximum resident|User time|System time' bench/results/tone-time.tmp; rm -f bench/results/tone-time.tmp; exit $$status

.PHONY: bench-verbs
bench-verbs: $(ENV_STAMP) ## Collocations vs NLTK, top-1000 co-occurrence vs X.T @ X (SIZES, REPEATS)
	nice -n 10 $(PY) -m bench.verbs --sizes $(SIZES) --repeats $(REPEATS)
