"""The reader's workbench: fit a law to your own runs from a table file, the way the book fits the papers' runs.

The command line (`scalinglib ...`, scalinglib.cli) is a thin layer over these functions, so a script or notebook
gets the same numbers:

    from scalinglib import workbench as wb
    runs = wb.read_table("my_runs.csv")
    result = wb.fit_table("chinchilla", runs, {"N": "params", "D": "tokens"}, "loss")
    boot = wb.bootstrap_fit(result, 200)
    record = wb.fit_record(result, boot, "my_runs.csv", runs)

By default a fit uses the objective the law's paper states (Law.objective; the engine's default where the book has
not declared one, and the record says which), the law's start grid and the batched L-BFGS.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from . import __version__
from .errors import InputError
from .fit import FitResult, default_starts, fit
from .frontier import allocation, d_opt, loss_at, n_opt
from .inputs import require_whole
from .laws import Law, get_law
from .uncertainty import Bootstrap, bootstrap

READERS = {".csv": ",", ".tsv": "\t", ".parquet": None}
ENGINE_OBJECTIVE = {"loss": "huber", "delta": 1e-3, "residual_space": "log", "reduction": "sum"}
CHINCHILLA_CONSTANTS = ("A", "B", "E", "alpha", "beta")


def read_table(path) -> pd.DataFrame:
    """A CSV, TSV or Parquet file as a DataFrame whose index is the row's line number in the file (CSV, TSV; the
    header is line 1) or its row number (Parquet), so errors name the row a reader can find."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise InputError(f"file {str(path)!r}: cannot read {suffix or 'a file without extension'}; give a .csv, .tsv "
                         f"or .parquet file")
    if not path.is_file():
        raise InputError(f"file {str(path)!r} does not exist (or is not a file)")
    try:
        if suffix == ".parquet":
            frame = pd.read_parquet(path)
            frame.index = pd.RangeIndex(len(frame), name="row")
        else:
            frame = pd.read_csv(path, sep=READERS[suffix], comment="#", skip_blank_lines=True)
            frame.index = pd.RangeIndex(2, len(frame) + 2, name="line")
    except ImportError as exc:
        raise InputError(f"file {str(path)!r}: reading Parquet needs pyarrow (pip install pyarrow): {exc}") from None
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise InputError(f"file {str(path)!r} could not be read as {suffix[1:].upper()}: {exc}") from None
    if frame.empty:
        raise InputError(f"file {str(path)!r} has no data rows")
    return frame


def _numeric_column(frame: pd.DataFrame, column: str, role: str, source: str) -> np.ndarray:
    if column not in frame.columns:
        raise InputError(f"{role} names column {column!r}, which {source} does not have; columns: "
                         f"{list(frame.columns)}")
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() & frame[column].notna()
    if bad.any():
        rows = ", ".join(f"{frame.index.name} {i} ({frame[column][i]!r})" for i in frame.index[bad][:5])
        raise InputError(f"{role}: column {column!r} of {source} is not numeric at {rows}; fix or remove those rows")
    return values.to_numpy(float)


def paper_objective(law: str | Law) -> tuple[dict, str]:
    """The objective the law's paper fits with, and where it is stated; the engine's default where none is declared."""
    law = get_law(law)
    if law.objective:
        return {**ENGINE_OBJECTIVE, **law.objective}, law.objective_source
    return dict(ENGINE_OBJECTIVE), ("the engine's default: the book has not declared this paper's objective for "
                                    f"law {law.name!r}")


def random_starts(law: str | Law, n: int, seed: int, fixed: Mapping | None = None) -> np.ndarray:
    """n starts drawn uniformly (numpy seed `seed`) in the box of the law's start grid, over the free parameters."""
    grid = default_starts(law, fixed)
    rng = np.random.default_rng(require_whole("seed", seed, 0))
    return rng.uniform(grid.min(axis=0), grid.max(axis=0), size=(require_whole("starts", n, 1), grid.shape[1]))


def fit_table(law: str | Law, frame: pd.DataFrame, columns: Mapping[str, str], y: str, *, source: str = "the table",
              fixed: Mapping[str, float] | None = None, starts=None, **objective) -> FitResult:
    """Fit `law` to the rows of `frame`: `columns` maps each of the law's variables to a column, `y` is the target
    column. `objective` overrides the paper's (loss, delta, residual_space, reduction); `starts` as fit() takes
    them (None: the law's grid)."""
    law = get_law(law)
    if not isinstance(columns, Mapping):
        raise InputError(f"argument 'columns' must map the variables {list(law.variables)} to column names")
    missing = [v for v in law.variables if v not in columns]
    extra = [v for v in columns if v not in law.variables]
    if missing or extra:
        raise InputError(f"law {law.name!r} takes variables {list(law.variables)}: map each to a column "
                         f"(missing {missing}, not variables of the law {extra})")
    unknown = sorted(set(objective) - set(ENGINE_OBJECTIVE))
    if unknown:
        raise InputError(f"unknown objective setting(s) {unknown}; the objective takes {list(ENGINE_OBJECTIVE)}")
    # numbers first (a text cell is named with its line), then the engine's own checks (empty cells, log domain)
    numeric = pd.DataFrame({c: _numeric_column(frame, c, f"variable {v}", source) for v, c in columns.items()},
                           index=frame.index)
    numeric[y] = _numeric_column(frame, y, "the target", source)
    settings = paper_objective(law)[0]
    settings.update({k: v for k, v in objective.items() if v is not None})
    if settings["loss"] != "huber":
        settings["delta"] = objective.get("delta")
    return fit(law, dict(columns), y, numeric, starts=starts, fixed=fixed, **settings)


def bootstrap_fit(result: FitResult, n_resamples: int, seed: int = 0,
                  progress: Callable[[int, int], None] | None = None) -> Bootstrap:
    """scalinglib.uncertainty.bootstrap, with the Chinchilla form's allocation exponents (a, b) added where the law
    has its constants; `progress(done, total)` is called as the resamples finish."""
    derived = None
    if all(k in result.natural for k in CHINCHILLA_CONSTANTS):
        def derived(p):
            al = allocation(p)
            return {"a": al["a"], "b": al["b"]}
    return bootstrap(result, n_resamples, seed, derived=derived, progress=progress)


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def fit_record(result: FitResult, boot: Bootstrap | None, dataset, frame: pd.DataFrame, columns: Mapping[str, str],
               y: str, objective_source: str = "") -> dict:
    """The fit as one record of the book's fits.json schema (id, law, parameters, intervals, interval_method,
    dataset, dataset_sha256, rows, n_points, objective, method, note, scalinglib_version), with what a reader's
    fit adds: the column mapping, the raw parameters, the best objective, the basin count and the bootstrap samples
    (for `scalinglib optimal`)."""
    dataset = Path(dataset)
    natural = {k: float(v) for k, v in result.natural.items()}
    intervals = {k: list(boot.interval(k)) for k in natural if boot is not None and k in boot.samples}
    return {
        "id": f"reader/{result.law.name}/{dataset.stem}", "chapter": None, "paper": None, "law": result.law.name,
        "parameters": natural, "intervals": intervals,
        "interval_method": (f"95% percentile bootstrap, {boot.n_resamples} resamples, seed {boot.seed}"
                            if boot is not None else "none: no bootstrap was asked for"),
        "dataset": str(dataset), "dataset_sha256": _sha256(dataset) if dataset.is_file() else "",
        "rows": f"all {len(frame)} rows", "n_points": result.problem.n_points,
        "objective": result.objective_text(), "method": result.optimizer_text(),
        "note": objective_source, "scalinglib_version": __version__,
        "columns": {**dict(columns), "y": y}, "raw_parameters": {k: float(v) for k, v in result.params.items()},
        "best_objective": result.objective, "starts": int(len(result.starts)),
        "starts_in_best_basin": result.n_best_basin,
        "best_start_stopped_by": str(result.status[result.best_index]),
        "bootstrap_samples": ({k: v.tolist() for k, v in boot.samples.items()} if boot is not None else None),
        "bootstrap_not_converged": None if boot is None else boot.n_not_converged,
    }


def optimal_allocation(constants: Mapping[str, float], flops, samples: Mapping | None = None) -> pd.DataFrame:
    """Compute-optimal model size, tokens and predicted loss at each budget (C = 6 N D; Hoffmann et al. Eq. 4) from
    the Chinchilla form's constants A, B, E, alpha, beta; with 95% intervals from bootstrap `samples` if given."""
    missing = [k for k in CHINCHILLA_CONSTANTS if k not in constants]
    if missing:
        raise InputError(f"a compute-optimal allocation needs the Chinchilla form's constants "
                         f"{list(CHINCHILLA_CONSTANTS)}; these constants lack {missing} (fit law 'chinchilla')")
    flops = np.atleast_1d(np.asarray(flops, float))
    n, d = n_opt(constants, flops), d_opt(constants, flops)
    out = pd.DataFrame({"compute (FLOPs)": flops, "N_opt (parameters)": n, "D_opt (tokens)": d,
                        "tokens per parameter": d / n, "predicted loss": loss_at(constants, n, d)})
    if samples:
        s = {k: np.asarray(samples[k], float)[:, None] for k in CHINCHILLA_CONSTANTS}
        ns, ds = n_opt(s, flops), d_opt(s, flops)
        for name, values in (("N_opt", ns), ("D_opt", ds)):
            lo, hi = np.percentile(values, [2.5, 97.5], axis=0)
            out[f"{name} 95% lower"], out[f"{name} 95% upper"] = lo, hi
    return out


def backtest(law: str | Law, frame: pd.DataFrame, columns: Mapping[str, str], y: str, by: str, *, largest: int = 1,
             source: str = "the table", **settings) -> dict:
    """Leave-largest-out: fit on every row but those with the `largest` largest values of column `by` (ties kept
    together), predict the held-out rows, and report the errors in and out of sample."""
    scale = _numeric_column(frame, by, "--by", source)
    largest = require_whole("largest", largest, 1)
    values = np.unique(scale)
    if largest >= len(values):
        raise InputError(f"--largest {largest}: column {by!r} has only {len(values)} distinct values; hold out fewer")
    held = scale >= values[-largest]
    fitted = fit_table(law, frame[~held], columns, y, source=source, **settings)
    held_rows = frame[held]
    x_held = {v: _numeric_column(held_rows, c, f"variable {v}", source) for v, c in columns.items()}
    observed = _numeric_column(held_rows, y, "the target", source)
    predicted = fitted.predict(x_held)
    in_sample = fitted.predict(fitted.problem.x)
    return {"fit": fitted, "held_rows": held_rows.index.tolist(), "observed": observed, "predicted": predicted,
            "held-out mean |log error|": float(np.mean(np.abs(np.log(predicted / observed)))),
            "in-sample mean |log error|": float(np.mean(np.abs(np.log(in_sample / fitted.problem.y)))),
            "held-out mean error (predicted - observed)": float(np.mean(predicted - observed))}


__all__ = ["read_table", "fit_table", "paper_objective", "random_starts", "bootstrap_fit", "fit_record",
           "optimal_allocation", "backtest"]
