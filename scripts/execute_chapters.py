"""Execute every notebook listed in _toc.yml with papermill, fresh, and store its outputs.

Each chapter runs into _build/executed/ first, with its results file (reprobook.results) going to
_build/results/; only a successful run is copied back over chapters/<name>.ipynb and results/<name>.json
(so a failing chapter never clobbers the committed outputs). Timestamps and other volatile papermill
metadata are stripped, so re-running unchanged code leaves the files byte-identical.

--verify (what `make test` uses): before copying back, the fresh check table (the cell marked
NBVAL_CHECK_OUTPUT, compared as nbval would) and the fresh results file must equal the committed ones;
a difference fails the run and names the chapter and the first differing line or value.

Usage: python scripts/execute_chapters.py [--verify] [chapter-name ...]
  chapter-name: a chapter of _toc.yml without its folder and extension (e.g. kaplan); default: all, in book order (the pages built from
  the chapters' results last: the landing page, the scorecard and the citing page).
  --verify: compare the fresh check table and results file with the committed ones (what make test does).
Prints each chapter's wall time and a summary table at the end.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import papermill
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

from reprobook.paths import BOOK_WIDE_PAGES, toc_files

ROOT = Path(__file__).resolve().parents[1]
SCRATCH_RESULTS = ROOT / "_build" / "results"
CHECK_MARK = "NBVAL_CHECK_OUTPUT"
CONCURRENT_CHAPTERS = 2            # chapters executed at once (the machines the book targets have 2 cores)
KERNEL = "scalinglib-book"          # scripts/install_kernel.py (make venv): this venv's Python, errors-only log


def require_kernel() -> None:
    try:
        KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        raise SystemExit(f"error: no Jupyter kernel {KERNEL!r} in this environment; run `make venv` "
                         f"(or python scripts/install_kernel.py) first") from None


def chapter_notebooks() -> list[Path]:
    """Every notebook of _toc.yml: the chapters in book order, then the pages that read their results files."""
    files = [f for f in toc_files(ROOT) if (ROOT / f"{f}.ipynb").exists()]
    ordered = [f for f in files if f not in BOOK_WIDE_PAGES] + [f for f in files if f in BOOK_WIDE_PAGES]
    return [ROOT / f"{f}.ipynb" for f in ordered]


def strip_volatile(nb) -> None:
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)


def check_output(nb) -> list[str]:
    """The text every NBVAL_CHECK_OUTPUT cell printed, line by line."""
    lines = []
    for cell in nb.cells:
        if cell.cell_type == "code" and CHECK_MARK in cell.source:
            for out in cell.outputs:
                lines += "".join(out.get("text", "")).splitlines() if out.output_type == "stream" else [f"<{out.output_type}>"]
    return lines


def first_difference(a, b, where: str = "", rtol: float = 1e-9) -> str | None:
    """Where two JSON values differ (floats within rtol count as equal), or None."""
    if isinstance(a, float) and isinstance(b, (int, float)) or isinstance(b, float) and isinstance(a, (int, float)):
        return None if math.isclose(a, b, rel_tol=rtol, abs_tol=1e-300) else f"{where}: {a!r} != {b!r}"
    if type(a) is not type(b):
        return f"{where}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{where}/{k}: present in only one of them"
            found = first_difference(a[k], b[k], f"{where}/{k}", rtol)
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{where}[{i}]", rtol)
            if found:
                return found
        return None
    return None if a == b else f"{where}: {a!r} != {b!r}"


def verify(path: Path, fresh_nb, fresh_results: Path) -> list[str]:
    """Why the fresh run does not match what is committed (empty if it does)."""
    problems = []
    old, new = check_output(nbformat.read(path, as_version=4)), check_output(fresh_nb)
    if old != new:
        diff = next((f"line {i + 1}:\n    committed: {a}\n    fresh:     {b}" for i, (a, b) in enumerate(zip(old, new)) if a != b),
                    f"{len(old)} lines committed, {len(new)} fresh")
        problems.append(f"check table differs from the committed one, {diff}")
    committed = ROOT / "results" / fresh_results.name
    if fresh_results.exists():
        if not committed.exists():
            problems.append(f"results/{committed.name} is not committed")
        else:
            found = first_difference(json.loads(committed.read_text()), json.loads(fresh_results.read_text()))
            if found:
                problems.append(f"results/{committed.name} differs from the fresh run at {found}")
    return problems


def execute(path: Path, check: bool) -> float:
    out = ROOT / "_build" / "executed" / path.name
    out.parent.mkdir(parents=True, exist_ok=True)
    SCRATCH_RESULTS.mkdir(parents=True, exist_ok=True)
    fresh_results = SCRATCH_RESULTS / f"{path.stem}.json"
    fresh_results.unlink(missing_ok=True)
    os.environ["SCALINGLIB_RESULTS"] = str(SCRATCH_RESULTS)      # the kernel inherits it
    start = time.perf_counter()
    papermill.execute_notebook(str(path), str(out), kernel_name=KERNEL, cwd=str(path.parent),
                               progress_bar=False, log_output=False)
    seconds = time.perf_counter() - start
    nb = nbformat.read(out, as_version=4)
    strip_volatile(nb)
    if check:
        problems = verify(path, nb, fresh_results)
        if problems:
            raise VerifyError("\n  ".join(problems))
    nbformat.write(nb, path)
    if fresh_results.exists():
        (ROOT / "results").mkdir(exist_ok=True)
        shutil.copyfile(fresh_results, ROOT / "results" / fresh_results.name)
    return seconds


class VerifyError(Exception):
    pass


def print_times(times: dict[str, float]) -> None:
    """Per-chapter wall times, in book order, and the total: the figures issue-style speed targets are read from."""
    if not times:
        return
    width = max(len(n) for n in times)
    print(f"\nchapter execution times (wall seconds, this machine, {CONCURRENT_CHAPTERS} chapters at a time):")
    for name, seconds in times.items():
        print(f"  {name.ljust(width)}  {seconds:6.1f}  {'#' * int(round(seconds / 2))}")
    print(f"  {'total'.ljust(width)}  {sum(times.values()):6.1f}  (slowest: {max(times, key=times.get)})")


def main(args: list[str]) -> int:
    if "-h" in args or "--help" in args:
        print(__doc__)
        return 0
    options = [a for a in args if a.startswith("-")]
    unknown_options = [a for a in options if a != "--verify"]
    if unknown_options:
        print(f"error: unknown option(s) {unknown_options}; the only option is --verify (see --help)")
        return 2
    check = "--verify" in args
    names = [a for a in args if not a.startswith("-")]
    notebooks = chapter_notebooks()
    if names:
        unknown = set(names) - {p.stem for p in notebooks}
        if unknown:
            print(f"error: {sorted(unknown)}: not a chapter of _toc.yml; chapters: {[p.stem for p in notebooks]}")
            return 2
        notebooks = [p for p in notebooks if p.stem in names]
    require_kernel()
    failed, times = [], {}

    def run(path: Path) -> None:
        try:
            times[path.stem] = execute(path, check)
            print(f"{path.relative_to(ROOT)}: done in {times[path.stem]:.1f} s", flush=True)
        except papermill.PapermillExecutionError as exc:
            failed.append(path.name)
            print(f"{path.relative_to(ROOT)}: FAILED: {exc.ename}: {exc.evalue}\n  (the failed run is in "
                  f"_build/executed/{path.name}; {path.relative_to(ROOT)} was left unchanged)", flush=True)
        except VerifyError as exc:
            failed.append(path.name)
            print(f"{path.relative_to(ROOT)}: FAILED verification against the committed outputs:\n  {exc}\n  (the "
                  f"fresh run is in _build/executed/{path.name}; if the change is intended, run make book and commit "
                  f"the outputs)", flush=True)

    # The chapters run two at a time, each in its own kernel: much of a chapter is one core's work (kernel start,
    # imports, tables, figures), so two keep both cores busy (measured: 8 chapters in 63 s instead of 116). Their
    # numbers do not depend on it (scalinglib splits work by batch size, never by load). The pages that read the
    # chapters' results files run after them, one by one.
    chapters = [p for p in notebooks if p.relative_to(ROOT).with_suffix("").as_posix() not in BOOK_WIDE_PAGES]
    with ThreadPoolExecutor(max_workers=CONCURRENT_CHAPTERS) as pool:
        list(pool.map(run, chapters))
    for path in notebooks:
        if path not in chapters:
            run(path)
    times = {p.stem: times[p.stem] for p in notebooks if p.stem in times}      # book order
    print_times(times)
    if failed:
        print(f"{len(failed)} notebook(s) failed: {failed}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
