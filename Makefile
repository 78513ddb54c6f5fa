PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint bench corpus clean

# The virtual environment is (re)built when missing or when pyproject changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/checklist demo

lint: $(STAMP)
	$(BIN)/ruff check checklist tests scripts
	$(BIN)/ruff format --check checklist tests scripts
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo --no-cache
	$(BIN)/vulture

test: lint
	$(BIN)/python -m pytest

# Everything but the tests marked slow, with property tests at a tenth of their
# examples, on two workers (pytest-xdist): the loop to run while changing code.
# `make test` (and CI) runs all, in one process.
test-fast: $(STAMP)
	CHECKLIST_FAST_TESTS=1 $(BIN)/python -m pytest -m "not slow" -n 2

bench: $(STAMP)
	$(BIN)/python -m pytest tests/benchmarks -q -s -p no:randomly --override-ini addopts=

# Intake measured on the labelled corpus of real-world form layouts (tests/corpus/).
corpus: $(STAMP)
	$(BIN)/python scripts/corpus.py -v

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
