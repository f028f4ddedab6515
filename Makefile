# zsreport — the two commands a user needs: `make bulletin` and `make test`.
# Both set themselves up first (a .venv with the package, the system fonts and tools), and the
# set-up is quick when already done.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
YEAR   ?=
QUARTER ?=

.PHONY: bulletin issue conform test test-quick setup system test-system lint bench clean

## Build this quarter's documents (the latest quarter found in data/; without a data/ folder here,
## in the 2020 sample the package ships) into out/<year>Q<q>/.
bulletin: setup
	$(BIN)/python -m zsreport build $(if $(YEAR),--year $(YEAR)) $(if $(QUARTER),--quarter $(QUARTER))

## After checking the PDFs: archive the quarter (read-only, checksummed, 文号 registered).
## The latest built quarter unless YEAR= and QUARTER= are given.
LATEST_BUILT := $(shell ls -d out/*Q? 2>/dev/null | sort | tail -1)

issue: setup
	@test -n "$(YEAR)$(LATEST_BUILT)" || { echo "zsreport：还没有生成任何季度的文件，请先运行 make bulletin。"; exit 2; }
	$(BIN)/python -m zsreport issue $(if $(YEAR),--year $(YEAR) --quarter $(QUARTER),$(shell echo $(LATEST_BUILT) | sed -E 's|out/([0-9]+)Q([1-4])|--year \1 --quarter \2|'))

## Measure the built quarter's PDFs against GB/T 9704 (rule by rule, with measured values).
conform: setup
	@test -n "$(LATEST_BUILT)" || { echo "zsreport：还没有生成任何季度的文件，请先运行 make bulletin。"; exit 2; }
	$(BIN)/python -m zsreport conform $(LATEST_BUILT)/*.pdf

## Run the test suite (installs LibreOffice and poppler for the output checks). CI runs this: every test.
test: setup test-system
	$(BIN)/python -m pytest

## The suite without the long end-to-end runs (marked slow), for a quick check while working.
test-quick: setup test-system
	$(BIN)/python -m pytest -m "not slow"

## Lint and format check.
lint: $(STAMP)
	$(BIN)/ruff check zsreport tests scripts
	$(BIN)/ruff format --check zsreport tests scripts

## Timings (never asserted in tests).
bench: setup test-system
	$(BIN)/python scripts/bench.py

setup: $(STAMP) system

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { echo "zsreport setup: creating $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@echo "zsreport setup: installing zsreport and its test tools into $(VENV)"
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

system:
	@bash zsreport/system/setup-system.sh runtime

test-system:
	@bash zsreport/system/setup-system.sh test

clean:
	rm -rf out/*/ .pytest_cache
