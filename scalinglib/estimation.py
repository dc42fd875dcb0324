"""Estimating a scaling law for a target model from other runs' learning curves, the way Choshen, Zhang and
Andreas (2024, "A Hitchhiker's Guide to Scaling Law Estimation") do it in their code (IBM/ColPret):

- which checkpoints a fit may use (`checkpoint_mask`: one token threshold over all chosen models, the first
  10B tokens cut, the strict "<" of the code);
- the fit (`fit_as_the_authors`): Chinchilla's form E + A/N^alpha + B/D^beta in its log parametrisation, as
  their code evaluates it (law `chinchilla_linear`), unweighted least squares on the raw quantity, scipy's trust-region reflective method from
  Muennighoff et al.'s constants, alpha and beta >= 0, retried with 'dogbox' when it stops at its evaluation limit
  (curve_fit's RuntimeError in their code), no fit when that fails too; optionally with parameters held fixed ("borrowed");
- the score (`absolute_relative_error`): the mean of |y - y_hat| / y over the target's checkpoints.

It sits above the engine (it calls fit) and knows nothing of any family's files.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from .errors import FitFailed, InputError
from .fit import FitResult, fit
from .inputs import as_finite_array
from .scores import mean_relative_error

CUT_BEGINNING = 1e10       # tokens: checkpoints at or below this are left out of a fit (cut_beginning = 10**10)
TARGET_FRACTION = 0.7      # the target's checkpoints from 0.7 of its largest D on are scored ("the last 30%")
# The start of every fit: Muennighoff et al.'s constants from the huggingface/datablations README (a = log A, ...).
START = {"a": 6.255414, "b": 7.3049974, "e": 0.6254804, "alpha": 0.3526596, "beta": 0.3526596}
BORROWED = {"a": START["a"], "alpha": START["alpha"]}     # held fixed in the one-model fits (Sect. 5)
BOUNDS = {"alpha": (0.0, np.inf), "beta": (0.0, np.inf)}
PARAMS = ("a", "b", "e", "alpha", "beta")
LAW = "chinchilla_linear"


@dataclass(frozen=True)
class AuthorsFit:
    """One fit of Chinchilla's form the authors' way: every parameter (fixed ones included), the scipy method
    that produced it ('trf', or 'dogbox' after trf hit its limit) and the engine's result."""
    params: dict
    method: str
    result: FitResult

    def predict(self, n_params, tokens) -> np.ndarray:
        return self.result.predict({"N": np.atleast_1d(n_params), "D": np.atleast_1d(tokens)})


def checkpoint_mask(tokens, *, max_fraction: float | None = None, min_fraction: float | None = None,
                    min_tokens: float | None = None, reference: float | None = None) -> np.ndarray:
    """Which checkpoints (by tokens seen D) a fit or a score keeps, as the code's get_model_data selects them:
    D > min_tokens, D >= min_fraction * ref and D < max_fraction * ref, where ref is the largest D of the chosen
    models *before* the cut (one threshold for all of them), unless `reference` gives it."""
    tokens = as_finite_array("tokens", tokens)
    if tokens.size == 0:
        raise InputError("argument 'tokens' is empty: choose at least one checkpoint")
    for name, value in (("max_fraction", max_fraction), ("min_fraction", min_fraction)):
        if value is not None and not 0.0 < value <= 1.0:
            raise InputError(f"argument {name!r} must be a fraction in (0, 1], got {value!r}")
    ref = float(tokens.max()) if reference is None else float(reference)
    keep = np.ones(tokens.shape, bool)
    if min_tokens:
        keep &= tokens > min_tokens
    if min_fraction:
        keep &= tokens >= min_fraction * ref
    if max_fraction:
        keep &= tokens < max_fraction * ref
    return keep


def fit_as_the_authors(n_params, tokens, y, fixed: Mapping[str, float] | None = None,
                       start: Mapping[str, float] | None = None) -> AuthorsFit:
    """Least squares of Chinchilla's form on the raw `y` (loss, or whatever the family's quantity is), from
    `start` (default START), alpha, beta >= 0, `fixed` parameters held; trf first, then dogbox with
    x_scale = the start, as their code retries curve_fit. Fewer checkpoints than free parameters are fitted, as
    curve_fit's trf allows. Raises FitFailed where their code leaves an empty cell: dogbox also stops at its
    evaluation limit, or no finite fit."""
    n_params, tokens, y = (as_finite_array(k, v) for k, v in (("n_params", n_params), ("tokens", tokens), ("y", y)))
    if not len(n_params) == len(tokens) == len(y):
        raise InputError(f"arguments 'n_params', 'tokens' and 'y' must be of one length, got "
                         f"{len(n_params)}, {len(tokens)} and {len(y)}")
    if len(y) == 0:
        raise InputError("no checkpoints to fit: the selection left argument 'y' empty")
    fixed = dict(fixed or {})
    unknown = [k for k in fixed if k not in PARAMS]
    if unknown:
        raise InputError(f"argument 'fixed' names {unknown}; the parameters are {list(PARAMS)}")
    start = {**START, **(start or {})}
    free = [p for p in PARAMS if p not in fixed]
    x0 = np.array([[start[p] for p in free]])
    bounds = {p: b for p, b in BOUNDS.items() if p in free}
    common = dict(starts=x0, loss="squared", delta=None, residual_space="linear", fixed=fixed or None, bounds=bounds,
                  optimizer="scipy:least_squares", underdetermined=True)
    data = {"N": n_params, "D": tokens}
    with np.errstate(over="ignore", invalid="ignore"):     # trial steps to huge exponents overflow; they are rejected
        result, method = fit(LAW, data, y, **common), "trf"
        if result.status[0] == "max-iter":
            result, method = fit(LAW, data, y, options={"method": "dogbox", "x_scale": x0[0]}, **common), "dogbox"
    if method == "dogbox" and result.status[0] == "max-iter":
        raise FitFailed(f"Chinchilla's form did not fit these {len(y)} checkpoints: trf and then dogbox stopped "
                        f"at their evaluation limit (the authors' code leaves this cell empty)")
    if not np.isfinite(result.objective):
        raise FitFailed(f"Chinchilla's form did not fit these {len(y)} checkpoints ({method}): no finite objective")
    params = {p: float(fixed[p]) if p in fixed else float(result.params[p]) for p in PARAMS}
    return AuthorsFit(params=params, method=method, result=result)


# ARE, the paper's score: mean |actual - predicted| / actual (a fraction; the figures print 100 x ARE)
absolute_relative_error = mean_relative_error


def distinct_sizes(n_params, points_per_size_threshold: float = 5) -> int:
    """How many model sizes a set of checkpoints holds, counted as the code labels its figure rows
    (nunique_model_size): sizes rounded to the nearest million when the sizes average more than five points."""
    n_params = as_finite_array("n_params", n_params)
    if n_params.size == 0:
        return 0
    _, counts = np.unique(n_params, return_counts=True)
    sizes = np.round(n_params, -6) if counts.mean() > points_per_size_threshold else n_params
    return int(np.unique(sizes).size)


# ---------------------------------------------------------------------------------------------
# The paper's experiments over one family's learning curves. `curves` has one row per checkpoint with the
# columns model, N, D and y (the quantity fitted); the target is the family's largest model.
# ---------------------------------------------------------------------------------------------
FRACTIONS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)        # share of training, the figures' columns
MINIMAL_CUTS = (0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99)              # Fig. 4's columns
CURVE_COLUMNS = ("model", "N", "D", "y")


def models_by_size(curves) -> list:
    """The family's models from the smallest N to the largest (the last is the target)."""
    missing = [c for c in CURVE_COLUMNS if c not in curves.columns]
    if missing:
        raise InputError(f"argument 'curves' lacks columns {missing}; it needs {list(CURVE_COLUMNS)}, one row per "
                         f"checkpoint")
    sizes = curves.groupby("model")["N"].agg(["min", "max"])
    mixed = sizes.index[sizes["min"] != sizes["max"]].tolist()
    if mixed:
        raise InputError(f"argument 'curves': model(s) {mixed[:3]} have more than one N; one model, one size")
    return sizes["min"].sort_values(kind="stable").index.tolist()


def target_rows(curves, target, *, min_tokens: float | None = None, final_only: bool = False):
    """The checkpoints of `target` that are scored: from TARGET_FRACTION of its largest D on (or only those at its
    largest D, `final_only`), after the optional token cut."""
    rows = curves[curves["model"] == target]
    return rows[checkpoint_mask(rows["D"], min_fraction=1.0 if final_only else TARGET_FRACTION, min_tokens=min_tokens)]


def score_cell(train, test, *, fixed=None, baseline: bool = False) -> dict:
    """Fit on `train` (or, `baseline`, predict the best y seen in it) and score on `test`: the ARE in percent,
    how the fit went, the points and sizes used. An empty selection or a failed fit scores NaN, as the
    authors' empty cells."""
    out = {"are_pct": np.nan, "method": "no checkpoints", "n_points": len(train),
           "n_sizes": distinct_sizes(train["N"]), "params": None}
    if len(train) == 0 or len(test) == 0:
        return out
    if baseline:
        predicted = np.full(len(test), float(train["y"].min()))
        return {**out, "are_pct": 100 * absolute_relative_error(predicted, test["y"].to_numpy()), "method": "best seen"}
    try:
        f = fit_as_the_authors(train["N"], train["D"], train["y"], fixed=fixed)
    except FitFailed:
        return {**out, "method": "failed"}
    predicted = f.predict(test["N"].to_numpy(), test["D"].to_numpy())
    return {**out, "are_pct": 100 * absolute_relative_error(predicted, test["y"].to_numpy()), "method": f.method,
            "params": f.params}


def _chosen(curves, models, **mask):
    rows = curves[curves["model"].isin(models)]
    return rows[checkpoint_mask(rows["D"], **mask)]


def many_models_cells(curves, *, fractions=FRACTIONS, cut: float = CUT_BEGINNING, final_only: bool = False,
                      baseline: bool = False) -> list[dict]:
    """hist_fit: for m = 2 .. all smaller models (the m smallest) and each fraction p, fit on their checkpoints
    with cut < D < p * D_max (D_max over the m models) and score the target's last 30% (or its final
    checkpoint). The target's rows are not cut. One dict per cell, to be run with `run_cells`."""
    models = models_by_size(curves)
    target, smaller = models[-1], models[:-1]
    test = target_rows(curves, target, final_only=final_only)
    return [{"kind": "many", "m": m, "fraction": p, "train": _chosen(curves, smaller[:m], max_fraction=p, min_tokens=cut),
             "test": test, "fixed": None, "baseline": baseline}
            for p in fractions for m in range(2, len(smaller) + 1)]


def one_model_cells(curves, *, fractions=FRACTIONS, fixed=BORROWED) -> list[dict]:
    """hist_one_model_fit: each model alone (the target too), cut < D < p * its D_max, with a and alpha
    borrowed (held at Muennighoff et al.'s values); scored on the target's last 30% after the same cut."""
    models = models_by_size(curves)
    test = target_rows(curves, models[-1], min_tokens=CUT_BEGINNING)
    return [{"kind": "one", "model": model, "fraction": p, "test": test, "fixed": fixed, "baseline": False,
             "train": _chosen(curves, [model], max_fraction=p, min_tokens=CUT_BEGINNING)}
            for model in models for p in fractions]


def minimal_cut_cells(curves, *, cuts=MINIMAL_CUTS) -> list[dict]:
    """minimal_cut (Fig. 4): the m smallest models' checkpoints with q * 0.7 * D_max <= D < 0.7 * D_max and
    D > cut, for each q (q near 1 keeps only the end of the fitted stretch); scored on the target's last 30%."""
    models = models_by_size(curves)
    target, smaller = models[-1], models[:-1]
    test = target_rows(curves, target, min_tokens=CUT_BEGINNING)
    return [{"kind": "minimal_cut", "m": m, "q": q, "test": test, "fixed": None, "baseline": False,
             "train": _chosen(curves, smaller[:m], max_fraction=TARGET_FRACTION, min_fraction=q * TARGET_FRACTION,
                              min_tokens=CUT_BEGINNING)}
            for q in cuts for m in range(2, len(smaller) + 1)]


def run_cells(cells: list[dict]) -> list[dict]:
    """Score every cell (fits split over the machine's two processes); each result keeps the cell's labels."""
    from .parallel import map_split

    def one(cell):
        labels = {k: v for k, v in cell.items() if k not in ("train", "test", "fixed", "baseline")}
        return {**labels, **score_cell(cell["train"], cell["test"], fixed=cell["fixed"], baseline=cell["baseline"])}
    return map_split(one, cells)
