# Two commands for a newcomer:  make book   (build the HTML book)   and   make test   (run every test).
# Both create .venv on first use and install the pinned versions in requirements.lock.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: venv book execute html browser test unit verify site notebooks benchmark lock clean

# Optional: the book's public GitHub repository, for the Binder, edit and issue buttons (scripts/book_config.py).
REPOSITORY_URL    ?=
REPOSITORY_BRANCH ?= main

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run: make PYTHON=/path/to/python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@# the book's own package (reprobook) is not distributed with scalinglib: put the repository on the venv's path
	$(BIN)/python -c "import site, pathlib; pathlib.Path(site.getsitepackages()[0], 'scaling_laws_book.pth').write_text('$(abspath .)\n')"
	touch $(STAMP)

## book: execute every chapter in _toc.yml with papermill, then build _build/html strictly
book: execute html

execute: $(STAMP)
	$(BIN)/python scripts/execute_chapters.py

## html: the fit export (fits.json, fits.csv) and the strict Jupyter Book build, from the stored outputs
html: $(STAMP)
	$(BIN)/python scripts/export_fits.py
	$(BIN)/python scripts/book_config.py --repository-url "$(REPOSITORY_URL)" --branch "$(REPOSITORY_BRANCH)"
	$(BIN)/jupyter-book build . --config _build/book_config.yml --builder html --warningiserror --keep-going
	@# html_extra_path ships the export, but Sphinx skips that copy when no page is out of date: copy it always
	cp _build/export/fits.json _build/export/fits.csv _build/html/
	@echo "The book is at _build/html/index.html"

## test: Chromium for the browser tests; unit and data tests; every chapter executed fresh and compared with its
## committed check table and results (execute_chapters.py --verify); the strict book build; then the tests of the
## built book, in headless Chromium among them (screenshots in _build/screenshots)
test: browser unit verify html site

## browser: Debian's Chromium for tests/site/test_browser.py (skipped loudly if it cannot be installed; not under CI)
browser:
	bash scripts/install_chromium.sh

unit: $(STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/site

verify: $(STAMP)
	$(BIN)/python scripts/execute_chapters.py --verify

site: $(STAMP)
	$(BIN)/python -m pytest tests/site

## notebooks: the same comparison with nbval instead (slower: it executes every chapter a second time)
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
