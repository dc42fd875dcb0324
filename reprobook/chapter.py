"""A chapter's set-up and its one finishing step, so the notebook keeps only the analysis and the prose."""
from __future__ import annotations

import ast
import time

from scalinglib.errors import InputError
from scalinglib.inputs import require_whole

from .glue import glue
from .results import save_results


def start_chapter(parameters: dict | None = None, *, minimum: dict | None = None) -> float:
    """Check the chapter's parameters, set the book's plot style and table precision, and return the start time
    for the chapter's glued run time.

    parameters: the chapter's parameters by name (their values after papermill's injection); each must be a whole
    number >= minimum[name]. A parameter that papermill injected but the chapter does not declare is refused
    (papermill itself only warns and runs on with the defaults).
    """
    import pandas as pd

    from .plots import use_style

    check_parameters(parameters or {}, minimum or {})
    _RUN["parameters"] = dict(parameters or {})
    use_style()
    pd.set_option("display.precision", 4)
    return time.perf_counter()


_RUN: dict = {"parameters": {}}      # what start_chapter saw, for finish_chapter's results file


def check_parameters(parameters: dict, minimum: dict, injected: set[str] | None = None) -> None:
    unknown_rules = sorted(set(minimum) - set(parameters))
    if unknown_rules:
        raise InputError(f"start_chapter: minimum given for {unknown_rules}, which are not among the parameters")
    for name, value in parameters.items():
        require_whole(name, value, minimum.get(name, 0))
    injected = papermill_injected() if injected is None else injected
    unknown = sorted(injected - set(parameters))
    if unknown:
        raise InputError(f"parameter(s) {unknown} passed to this chapter (papermill -p) but it has none of that name; "
                         f"its parameters are {sorted(parameters)}")


def papermill_injected() -> set[str]:
    """Names assigned in the cell papermill injects ('# Parameters' first line, tag injected-parameters), read from
    the kernel's input history; empty outside IPython or when nothing was injected."""
    try:
        from IPython import get_ipython
    except ImportError:
        return set()
    shell = get_ipython()
    if shell is None:
        return set()
    names = set()
    for source in shell.user_ns.get("In", []):
        if source.startswith("# Parameters\n"):
            tree = ast.parse(source)
            names = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                     if isinstance(t, ast.Name)}
    return names


def glue_check_counts(checks) -> None:
    """Glue n_checks and n_<status> (n_reproduced, n_differs, n_not_determined, n_not_checkable)."""
    glue("n_checks", len(checks.rows))
    for status, count in checks.counts().items():
        glue(f"n_{status.replace(' ', '_')}", count)


def finish_chapter(chapter: str, checks, fits=(), started: float | None = None) -> None:
    """Glue the check counts and the run time, and save the check rows and fits for the scorecard and the fit export
    (in reprobook.paths.results_dir(): the executor's scratch folder, from which it updates results/, or
    _build/reader-results/ for a run outside the executor)."""
    glue_check_counts(checks)
    if started is not None:
        glue("run_seconds", time.perf_counter() - started)
    fits = list(fits)
    save_results(chapter, checks, fits, parameters=_RUN["parameters"])
    print(f"{len(checks.rows)} check rows and {len(fits)} fit(s) saved for the scorecard and the fit export"
          + (":" if fits else "."))
    for record in fits:
        print("  " + record.id)
