"""Where the book keeps things. The book package lives in the repository, so it may know the layout;
scalinglib never does."""
from __future__ import annotations

import os
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CHAPTERS = ROOT / "chapters"
COMMITTED_RESULTS = ROOT / "results"


READER_RESULTS = ROOT / "_build" / "reader-results"


def results_dir() -> Path:
    """Where a chapter writes its results file: $SCALINGLIB_RESULTS where set (scripts/execute_chapters.py points the
    kernel at its scratch folder and copies the file to results/ only when the chapter succeeded and, under
    --verify, matched), else _build/reader-results/. So a reader who re-runs a chapter with papermill, whatever
    the parameters, never overwrites the committed results/ that the scorecard and the fit export read."""
    env = os.environ.get("SCALINGLIB_RESULTS")
    return Path(env) if env else READER_RESULTS


# Pages generated from the chapters' results files (reprobook.results.load_all) rather than from fits of their own:
# the landing page, the survey map, the scorecard and the citing page. They are executed after every chapter.
BOOK_WIDE_PAGES = ("intro", "chapters/survey", "chapters/scorecard", "chapters/citing")


def toc_files(root: Path = ROOT) -> list[str]:
    """Every `file:` entry of _toc.yml, in book order (root first), at any depth."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    found = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk({k: v for k, v in toc.items() if k != "root"})
    return found
