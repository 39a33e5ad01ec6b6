# Two commands a new user needs:  make run  (build the Los Santos PDFs, English and French)  and  make test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-lowest typecheck docs bench setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/reporter build
	$(BIN)/reporter build --lang fr_CA

test: $(STAMP)
	$(BIN)/python -m pytest -q

	rm -rf output site .pytest_cache $(LOWEST)

bench: $(STAMP)
	$(BIN)/python bench/bench.py

clean:
	rm -rf output site .pytest_cache $(LOWEST)
