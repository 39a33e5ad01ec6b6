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

typecheck: $(STAMP)
	$(BIN)/python -m mypy

# The declared minimums are true: install the lowest version of every direct dependency in a
# venv of its own (uv's lowest-direct resolution) and run the fast tests on them.
LOWEST ?= .venv-lowest
FAST_TESTS ?= tests/test_dependencies.py tests/test_formatting.py tests/test_write.py tests/inputs tests/data \
	tests/ingest tests/theme tests/cli tests/hostile/test_hostile.py \
	tests/build/test_pdf_los_santos.py tests/render/test_typography.py
# Start-up cost is a promise of the current versions (make test measures it); the lowest run
# checks what reporter does, not how fast an old Typer starts, nor how an old Typer words the
# generated CLI reference or a refused option value. Slow tests (processes, a browser) run once, on the current versions.
NOT_ON_LOWEST ?= not help_costs_under and not help_imports_no_heavy_library and not the_reference_is_generated \
	and not typer_refuses_gets_typers_own_message
test-lowest:
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet "uv>=0.4"
	$(LOWEST)/bin/uv pip install --quiet --python $(LOWEST)/bin/python --resolution lowest-direct -e ".[test]"
	$(LOWEST)/bin/python -m pytest -q -p no:cacheprovider $(FAST_TESTS) -m "not slow" -k "$(NOT_ON_LOWEST)"

# The documentation site: the reference pages generated from the code, then MkDocs, strictly.
docs: $(STAMP)
	$(BIN)/python -m reporter.cli.reference docs/reference
	$(BIN)/python -m mkdocs build --strict --quiet

bench: $(STAMP)
	$(BIN)/python bench/bench.py

clean:
	rm -rf output site .pytest_cache $(LOWEST)
