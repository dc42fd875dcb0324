# Two commands for a newcomer:  make book   (build the HTML book)   and   make test   (run every test).
# Both create .venv on first use and install the pinned versions in requirements.lock.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# bash with pipefail, so a command whose noise is filtered (PIP below) still fails the build when it fails
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
# pip, with this machine's notices about configured package locations that do not exist filtered out (noise that
# hid real errors in the CI log); the editable install's "be careful with folders named like the package" warning too
PIP := PYTHONWARNINGS=ignore $(BIN)/python -m pip --quiet
PIP_NOISE := { grep -v -E "^WARNING: Location '[^']*' is ignored: it is neither a file nor a directory\.$$" || true; }

.PHONY: venv book execute html browser test unit notebooks verify site benchmark lock clean

# Optional: the book's public GitHub repository, for the Binder, edit and issue buttons (scripts/book_config.py).
REPOSITORY_URL    ?=
REPOSITORY_BRANCH ?= main

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run: make PYTHON=/path/to/python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	@echo "pip install: pip>=24, requirements.lock, then scalinglib (editable)"
	@$(PIP) install --upgrade "pip>=24" 2>&1 | $(PIP_NOISE)
	@$(PIP) install -r requirements.lock 2>&1 | $(PIP_NOISE)
	@$(PIP) install --no-deps --no-build-isolation -e . 2>&1 | $(PIP_NOISE)
	@# the book's own package (reprobook) is not distributed with scalinglib: put the repository on the venv's path
	$(BIN)/python -c "import site, pathlib; pathlib.Path(site.getsitepackages()[0], 'scaling_laws_book.pth').write_text('$(abspath .)\n')"
	$(BIN)/python scripts/install_kernel.py
	touch $(STAMP)

## book: execute every chapter in _toc.yml with papermill, then build _build/html strictly
book: execute html

execute: $(STAMP)
	$(BIN)/python scripts/execute_chapters.py

## html: the fit export (fits.json, fits.csv) and the strict Jupyter Book build, from the stored outputs
html: $(STAMP)
	$(BIN)/python scripts/export_fits.py
	$(BIN)/python scripts/book_config.py --repository-url "$(REPOSITORY_URL)" --branch "$(REPOSITORY_BRANCH)"
	@# -q: no Sphinx status lines (warnings, which fail the build, are still printed)
	$(BIN)/jupyter-book build . --config _build/book_config.yml --builder html --warningiserror --keep-going -q
	@# html_extra_path ships the export, but Sphinx skips that copy when no page is out of date: copy it always
	cp _build/export/fits.json _build/export/fits.csv _build/html/
	@# the same for the book's stylesheet (html_static_path), which Sphinx leaves stale when no page changed
	cp _static/reprobook.css _build/html/_static/
	@echo "The book is at _build/html/index.html"

## test: Chromium for the browser tests; unit and data tests; nbval executes every chapter and compares its marked
## check cell with the committed output; papermill executes every chapter fresh, as the book is built, and the
## fresh check table and results file must equal the committed ones (execute_chapters.py --verify); the strict
## book build; then the tests of the built book, in headless Chromium among them (screenshots in _build/screenshots)
test: browser unit notebooks verify html site

## browser: Debian's Chromium for tests/site/test_browser.py (skipped loudly if it cannot be installed; not under CI)
browser:
	bash scripts/install_chromium.sh

unit: $(STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/site

verify: $(STAMP)
	$(BIN)/python scripts/execute_chapters.py --verify

site: $(STAMP)
	$(BIN)/python -m pytest tests/site

## notebooks: nbval executes every chapter (kernel scalinglib-book) and compares each cell marked
## NBVAL_CHECK_OUTPUT with its committed output; results files go to a scratch folder, never to results/.
## Two chapters at a time (pytest-xdist; loadscope keeps each notebook's cells in order on one worker)
notebooks: $(STAMP)
	SCALINGLIB_RESULTS=$(abspath _build/nbval-results) $(BIN)/python -m pytest --nbval-lax \
	  --nbval-kernel-name scalinglib-book -p no:cacheprovider --durations=0 --durations-min=5 \
	  -n 2 --dist loadscope chapters

benchmark: $(STAMP)
	$(BIN)/python benchmarks/fit_speed.py

lock: $(STAMP)
	{ echo "# Exact versions for the book and its tests (pip freeze of a working environment, Python 3.11)."; \
	  echo "# make venv installs these; regenerate with: make lock"; \
	  $(BIN)/python -m pip freeze --all --exclude-editable | grep -v -E '^(pip|scalinglib)=='; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf _build
