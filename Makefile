# The commands the README promises; CI runs exactly these.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check migrate bench fuzz clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## create the venv, install, migrate and serve (SQLite by default)
	$(BIN)/npsbot serve

migrate: $(STAMP)
	$(BIN)/npsbot migrate

test: $(STAMP)  ## the whole suite; PostgreSQL tests run when TEST_DATABASE_URL is set
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

fuzz: $(STAMP)  ## 10,000 hostile requests per endpoint (both stores with TEST_DATABASE_URL)
	NPSBOT_FUZZ_EXAMPLES=10000 NPSBOT_STATEFUL_EXAMPLES=200 NPSBOT_FUZZ_REPORT=fuzz-figures.jsonl \
		$(BIN)/python -m pytest tests/fuzz -q

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
