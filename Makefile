# Two commands for a newcomer:  make book   (build the HTML book)   and   make test   (run every test).
# Both create .venv on first use and install the pinned versions in requirements.lock.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: venv book execute html test unit notebooks benchmark lock clean

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run: make PYTHON=/path/to/python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

## book: execute every chapter in _toc.yml with papermill, then build _build/html strictly
book: execute html

execute: $(STAMP)
	$(BIN)/python scripts/execute_chapters.py

html: $(STAMP)
	$(BIN)/jupyter-book build . --builder html --warningiserror --keep-going
	@echo "The book is at _build/html/index.html"

## test: unit and data tests, nbval over every chapter, then the strict book build
test: unit notebooks book

unit: $(STAMP)
	$(BIN)/python -m pytest tests

notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider chapters

benchmark: $(STAMP)
	$(BIN)/python benchmarks/fit_speed.py

lock: $(STAMP)
	{ echo "# Exact versions for the book and its tests (pip freeze of a working environment, Python 3.11)."; \
	  echo "# make venv installs these; regenerate with: make lock"; \
	  $(BIN)/python -m pip freeze --all --exclude-editable | grep -v -E '^(pip|scalinglib)=='; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf _build
