"""Execute every notebook listed in _toc.yml with papermill, fresh, and store its outputs.

Each chapter runs into _build/executed/ first; only a successful run is copied back over
chapters/<name>.ipynb (so a failing chapter never clobbers the committed outputs). Timestamps and
other volatile papermill metadata are stripped, so re-running unchanged code leaves the files
byte-identical. Usage: python scripts/execute_chapters.py [chapter-name ...]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
import papermill
import yaml

ROOT = Path(__file__).resolve().parents[1]


def toc_files(toc_path: Path = ROOT / "_toc.yml") -> list[str]:
    """Every `file:` entry of the table of contents, in order (root first)."""
    toc = yaml.safe_load(toc_path.read_text())
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


def chapter_notebooks() -> list[Path]:
    return [ROOT / f"{f}.ipynb" for f in toc_files() if (ROOT / f"{f}.ipynb").exists()]


def strip_volatile(nb) -> None:
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)


def execute(path: Path) -> float:
    out = ROOT / "_build" / "executed" / path.name
    out.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    papermill.execute_notebook(str(path), str(out), kernel_name="python3", cwd=str(path.parent),
                               progress_bar=False, log_output=False)
    seconds = time.perf_counter() - start
    nb = nbformat.read(out, as_version=4)
    strip_volatile(nb)
    nbformat.write(nb, path)
    return seconds


def main(names: list[str]) -> int:
    notebooks = chapter_notebooks()
    if names:
        notebooks = [p for p in notebooks if p.stem in names]
    failed = []
    for path in notebooks:
        try:
            print(f"executing {path.relative_to(ROOT)} ...", flush=True)
            print(f"  done in {execute(path):.1f} s", flush=True)
        except papermill.PapermillExecutionError as exc:
            failed.append(path.name)
            print(f"  FAILED: {exc.ename}: {exc.evalue}\n  (the failed run is in _build/executed/{path.name}; "
                  f"{path.relative_to(ROOT)} was left unchanged)", flush=True)
    if failed:
        print(f"{len(failed)} chapter(s) failed: {failed}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
