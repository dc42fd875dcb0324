"""Write every reproduced fit to _build/export/fits.json and fits.csv (shipped at the root of the built book).

The fits come from the chapters' results files (reprobook.results), which are refused if missing or stale.
Each fit is stamped with the scalinglib version and the git commit of the checkout (and whether the work
sources had uncommitted changes), so a cited number can be traced to the code that produced it.
Usage: python scripts/export_fits.py [output-folder]
"""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scalinglib import __version__  # noqa: E402
from reprobook.results import load_all  # noqa: E402

SOURCES = ["scalinglib", "reprobook", "data", "results", "scripts"]
CSV_COLUMNS = ["id", "chapter", "paper", "law", "parameter", "value", "lower_95", "upper_95", "interval_method",
               "dataset", "dataset_sha256", "rows", "n_points", "objective", "method", "note",
               "scalinglib_version", "git_commit"]


def git_state() -> tuple[str, bool | None]:
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        # Chapter notebooks are rewritten by every execution (run times are glued), so only the sources that
        # determine the numbers count; a changed chapter's code would make its results stale anyway.
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", *SOURCES], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip() != ""
        return commit, dirty
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)", None


def export(out: Path) -> list[dict]:
    commit, dirty = git_state()
    fits = [{**f, "scalinglib_version": __version__, "git_commit": commit} for r in load_all() for f in r["fits"]]
    out.mkdir(parents=True, exist_ok=True)
    (out / "fits.json").write_text(json.dumps({
        "book": "Scaling Laws, Reproduced", "scalinglib_version": __version__, "git_commit": commit,
        "sources_modified_since_commit": dirty, "n_fits": len(fits), "fits": fits}, indent=1, allow_nan=False) + "\n")
    with open(out / "fits.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for f in fits:
            for name, value in f["parameters"].items():
                lo, hi = f["intervals"].get(name, (None, None))
                writer.writerow({**{k: f[k] for k in CSV_COLUMNS if k in f}, "parameter": name, "value": repr(value),
                                 "lower_95": "" if lo is None else repr(lo), "upper_95": "" if hi is None else repr(hi)})
    return fits


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build" / "export"
    written = export(target)
    print(f"exported {len(written)} fits to {target}/fits.json and fits.csv")
