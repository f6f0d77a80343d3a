# baoyen — two commands for a newcomer: `make run` and `make test`.
# Everything is installed into .venv from the pinned lock (requirements.lock, made with `make lock`),
# and the map's JavaScript/CSS from the npm lockfile (package-lock.json).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# the app listens on this machine only; an office server runs `BAOYEN_LOGIN=all make run ADDRESS=0.0.0.0`
# (every page then needs a sign-in; the app refuses the network without it)
ADDRESS ?= 127.0.0.1
# one upload limit for the app and for Streamlit's own upload check (which refuses before buffering a file)
UPLOAD_MB ?= $(or $(BAOYEN_UPLOAD_MB),200)
STAMP  := $(VENV)/.installed
UV_VERSION := 0.13.8

.PHONY: run demo test setup assets store lint typecheck unit e2e bench lock clean help

help:
	@echo "make run    - set up (venv, pinned deps, map assets, store) and start the app on http://localhost:$(PORT)"
	@echo "make demo   - the app on a synthetic sample store (never the real one)"
	@echo "make test   - every check: lint, type checks, unit/integration tests, browser end-to-end tests"
	@echo "make bench  - benchmarks (print figures and ratios against baselines)"
	@echo "make lock   - re-pin Python dependencies into requirements.lock"

# bytecode is compiled at install: where Python may not write it at run time (PYTHONDONTWRITEBYTECODE, a read-only
# install) every start would otherwise recompile pandas/geopandas/streamlit (seconds per `baoyen` run)
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

# the project's own modules too (an editable install is not compiled by uv); only changed files are rewritten
setup: $(STAMP) assets
	@$(BIN)/python -m compileall -q app.py cli ui services layers analysis geo reports > /dev/null

assets: $(STAMP)
	@if [ -f package-lock.json ]; then $(MAKE) --no-print-directory static/vendor/.installed; fi

static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python -m ui.assets install
	touch $@

store: setup
	$(BIN)/baoyen init

run: store
	$(BIN)/baoyen check-address --address "$(ADDRESS)"
	BAOYEN_UPLOAD_MB=$(UPLOAD_MB) $(BIN)/streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS) \
		--server.maxUploadSize $(UPLOAD_MB) --server.headless true --browser.gatherUsageStats false

# the app on a clearly synthetic sample store (baoyen-sample.gpkg beside the real one), made anew each time
SAMPLE_STORE ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)/baoyen/baoyen-sample.gpkg
demo: setup
	$(BIN)/baoyen check-address --address "$(ADDRESS)"
	$(BIN)/baoyen sample --to $(SAMPLE_STORE)
	BAOYEN_STORE=$(SAMPLE_STORE) BAOYEN_UPLOAD_MB=$(UPLOAD_MB) $(BIN)/streamlit run app.py --server.port $(PORT) \
		--server.address $(ADDRESS) --server.maxUploadSize $(UPLOAD_MB) --server.headless true \
		--browser.gatherUsageStats false

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -m "not e2e"

e2e: setup
	$(BIN)/pytest -m e2e

# the tests run in one process per core, a test file per process at a time; the browser tests after them, one at a
# time: each starts its own app, and their timings must not compete with the multi-process store tests or each other
# (two browser-test processes were tried: 9 min 2 s against 8 min 57 s one at a time, and the 100,000-plot tile
# build, niced below the pages, starved past its test's 120 s)
# (--durations: each run names its slowest tests, where the time of `make test` goes)
PYTEST_JOBS ?= auto
test: setup lint typecheck
	$(BIN)/pytest -n $(PYTEST_JOBS) --dist loadfile -m "not e2e" --durations=10
	$(BIN)/pytest -m e2e --durations=10

bench: setup
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) node_modules static/vendor .mypy_cache .ruff_cache .pytest_cache
