# The commands the README promises; CI runs exactly these.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Test processes (pytest-xdist): most tests wait on loopback HTTP, PostgreSQL or a subprocess.
TEST_WORKERS ?= 3

.PHONY: run test check migrate bench fuzz lock clean

# The install is the lock: every package at the version and hash recorded in
# requirements-dev.lock, then npsbot itself without resolving anything again.
$(STAMP): pyproject.toml requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)  ## create the venv, install, migrate and serve (SQLite by default)
	$(BIN)/npsbot serve

migrate: $(STAMP)
	$(BIN)/npsbot migrate

test: $(STAMP)  ## the whole suite; PostgreSQL tests run when TEST_DATABASE_URL is set
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

check: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo  # the layers: [tool.importlinter] in pyproject.toml

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

fuzz: $(STAMP)  ## 10,000 hostile requests per endpoint (both stores with TEST_DATABASE_URL)
	NPSBOT_FUZZ_EXAMPLES=10000 NPSBOT_STATEFUL_EXAMPLES=200 NPSBOT_FUZZ_REPORT=fuzz-figures.jsonl \
		$(BIN)/python -m pytest tests/fuzz -q

lock: $(STAMP)  ## re-resolve pyproject.toml into the two hash-pinned lock files (needs PyPI)
	$(BIN)/python -m pip install --quiet "uv==0.13.9"
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 \
	  --upgrade -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
	  --python-version 3.11 --upgrade -o requirements-dev.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .import_linter_cache .grimp_cache
