"""Several datasets fitted in one batch: each dataset's starts are rows of one batched L-BFGS run.

A benchmark fits one law to dozens of short curves. Fitted one by one, most of the time goes to the optimiser's
per-iteration overhead on tiny arrays while a few slow starts finish; stacked, every iteration serves all curves
at once. Each row carries its own points (padded to the longest dataset with weight-0 copies of its last point),
its own targets and its own box, so every row minimises exactly its dataset's objective: the results are those of
separate fit() calls up to the order of floating-point sums.

Only laws that declare `row_features=True` can be stacked: their evaluate reads the (1, n) row features
elementwise, so a (rows, n) block of per-row features broadcasts the same way.
"""
from __future__ import annotations

import time
from typing import Mapping, Sequence

import numpy as np

from .errors import FitFailed, InputError
from .fit import FitResult, _bounds, _start_array, check_lbfgs_options, make_problem
from .inputs import require_number
from .laws import Law, get_law
from .lbfgs import lbfgs_batched
from .parallel import run_split


def _per_dataset(name: str, value, n: int) -> list:
    """One value for every dataset, or a list with one per dataset."""
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise InputError(f"argument {name!r} has {len(value)} entries for {n} datasets; give one per dataset "
                             f"or one for all")
        return list(value)
    return [value] * n


def _padded_row_features(law: Law, feats: dict, n_max: int) -> dict:
    """The (1, n) row features, padded to (1, n_max) with copies of the last point (given weight 0)."""
    rows = {k: v for k, v in feats.items() if np.ndim(v) == 2}
    return {k: np.pad(v, ((0, 0), (0, n_max - v.shape[1])), mode="edge") for k, v in rows.items()}


def fit_stacked(law: str | Law, datasets: Sequence[tuple[Mapping, object]], *, starts=None, bounds=None,
                fixed: Mapping[str, float] | None = None, loss: str = "huber", delta: float | None = 1e-3,
                residual_space: str = "log", reduction: str = "sum", options: dict | None = None,
                basin_rtol: float = 1e-6) -> list[FitResult]:
    """fit(law, x, y, ...) for every (x, y) of `datasets`, as one batch; a FitResult per dataset, in order.

    starts and bounds: one for all datasets, or a list with one per dataset (as fit() takes them). The loss,
    residual space, reduction and fixed parameters are shared. The optimiser is the batched L-BFGS.
    """
    law = get_law(law)
    if not law.row_features:
        raise InputError(f"law {law.name!r} does not declare row_features=True, so its datasets cannot share a "
                         f"batch; fit them one by one with scalinglib.fit")
    if not isinstance(datasets, Sequence) or isinstance(datasets, (str, bytes)) or not datasets:
        raise InputError("argument 'datasets' must be a non-empty list of (x, y) pairs")
    for i, item in enumerate(datasets):
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise InputError(f"argument 'datasets': entry {i} must be an (x, y) pair, got {type(item).__name__}")
    check_lbfgs_options(options)
    basin_rtol = require_number("basin_rtol", basin_rtol, minimum=0)
    n = len(datasets)
    problems, start_arrays, boxes = [], [], []
    for i, ((x, y), st, bd) in enumerate(zip(datasets, _per_dataset("starts", starts, n),
                                             _per_dataset("bounds", bounds, n))):
        try:
            problem = make_problem(law, x, y, loss=loss, delta=delta, residual_space=residual_space,
                                   reduction=reduction, fixed=fixed)
            arr = _start_array(problem, st)
            boxes.append(_bounds(problem, bd, arr))
        except InputError as exc:
            raise InputError(f"argument 'datasets', entry {i}: {exc}") from None
        problems.append(problem)
        start_arrays.append(arr)
    counts = [len(a) for a in start_arrays]
    n_max = max(p.n_points for p in problems)
    owner = np.repeat(np.arange(n), counts)                 # the dataset of every row
    padded = [_padded_row_features(law, p.feats, n_max) for p in problems]
    features = {k: np.concatenate([pf[k] for pf in padded])[owner] for k in padded[0]}
    targets = np.stack([np.pad(p.y, (0, n_max - p.n_points), mode="edge") for p in problems])[owner]
    weights = (np.arange(n_max)[None, :] < np.array([p.n_points for p in problems])[:, None]).astype(float)[owner]
    lo = np.concatenate([np.tile(b[0], (c, 1)) for b, c in zip(boxes, counts)])
    hi = np.concatenate([np.tile(b[1], (c, 1)) for b, c in zip(boxes, counts)])
    all_starts = np.concatenate(start_arrays)
    # Every problem shares law, loss, space, reduction and fixed parameters: the first one's objective serves all
    # rows, each with its own points (features), targets and weights.
    fg = problems[0].objective(weights, targets, features)
    t0 = time.perf_counter()
    res = run_split(lambda rows: lbfgs_batched(lambda th, r: fg(th, rows[r]), all_starts[rows], lo[rows], hi[rows],
                                               **(options or {})), len(all_starts))
    seconds = time.perf_counter() - t0
    name = f"L-BFGS (batched, projected bounds, Armijo backtracking), stacked with {n - 1} other dataset(s)"
    results, offset = [], 0
    for i, (problem, arr, st, bd) in enumerate(zip(problems, start_arrays, _per_dataset("starts", starts, n),
                                                   _per_dataset("bounds", bounds, n))):
        part = slice(offset, offset + len(arr))
        offset += len(arr)
        if not np.isfinite(res.f[part]).any():
            raise FitFailed(f"dataset {i}: no start of law {law.name!r} reached a finite objective ({len(arr)} "
                            f"starts); check the variables' domain and the start grid")
        settings = dict(loss=loss, delta=delta, residual_space=residual_space, reduction=reduction, fixed=fixed,
                        bounds=bd, optimizer="lbfgs-batched", options=options, basin_rtol=basin_rtol,
                        underdetermined=False)
        results.append(FitResult(problem, arr, res.x[part], res.f[part], res.status[part], res.n_iter[part], name,
                                 seconds, basin_rtol, settings))
    return results


__all__ = ["fit_stacked"]
