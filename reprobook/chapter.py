"""A chapter's set-up and its one finishing step, so the notebook keeps only the analysis and the prose."""
from __future__ import annotations

import time

from .glue import glue
from .results import save_results


def start_chapter() -> float:
    """The book's plot style and table precision; returns the start time for the chapter's glued run time."""
    import pandas as pd

    from .plots import use_style

    use_style()
    pd.set_option("display.precision", 4)
    return time.perf_counter()


def glue_check_counts(checks) -> None:
    """Glue n_checks and n_<status> (n_reproduced, n_differs, n_not_determined, n_not_checkable)."""
    glue("n_checks", len(checks.rows))
    for status, count in checks.counts().items():
        glue(f"n_{status.replace(' ', '_')}", count)


def finish_chapter(chapter: str, checks, fits=(), started: float | None = None) -> None:
    """Glue the check counts and the run time, and save the check rows and fits (results/<chapter>.json, or the
    executor's scratch folder) for the scorecard and the fit export."""
    glue_check_counts(checks)
    if started is not None:
        glue("run_seconds", time.perf_counter() - started)
    fits = list(fits)
    save_results(chapter, checks, fits)
    print(f"{len(checks.rows)} check rows and {len(fits)} fit(s) saved for the scorecard and the fit export"
          + (":" if fits else "."))
    for record in fits:
        print("  " + record.id)
