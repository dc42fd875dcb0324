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


def results_dir() -> Path:
    """Where a chapter writes its results file: $SCALINGLIB_RESULTS (scripts/execute_chapters.py points the kernel
    at a scratch folder and copies the file back only when the chapter succeeded), else results/."""
    env = os.environ.get("SCALINGLIB_RESULTS")
    return Path(env) if env else COMMITTED_RESULTS


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
