# Two commands do all set-up: `make run` and `make test`. Everything else is here for convenience.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench install browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch is installed first and pinned: an unpinned torch pulls a CUDA build of several GB.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/cirkla index
	$(BIN)/cirkla serve

# Browser tests need Debian's chromium; it is installed when missing (root, as on CI).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check assistant indexing ui evals tests
	$(BIN)/mypy assistant indexing ui evals

bench: $(STAMP)
	$(BIN)/python evals/bench_index.py
	$(BIN)/python evals/bench_search.py

clean:
	rm -rf $(VENV) .cirkla .pytest_cache
