"""Broken neural scaling laws: the reference fitting procedure and the extrapolation score.

The reference code (Caballero et al.) fits one break by (1) a brute-force grid over (a, b, c0, c1, d1, f1),
with b and d1 searched as 1.25^p - 1 + 1e-8, minimising the mean squared error of log(y + 1), then (2) a
least-squares fit of log(y + 1) from the best grid point (scipy curve_fit). This module reimplements that
procedure from its description; the law itself is scalinglib's `bnsl1` declaration.
"""
from __future__ import annotations

import numpy as np
from scipy import optimize

from .errors import InputError


def direct_bnsl1(x, a, b, c0, c1, d1, f1):
    """The one-break formula exactly as the reference code writes it (NumPy semantics at f1 = 0)."""
    with np.errstate(all="ignore"):
        return a + b * x ** (-c0) * (1 + (x / d1) ** (1 / f1)) ** (-c1 * f1)


def transformed(p):
    """The reference code's search space for b and d1: 1.25^p - 1 + 1e-8 (log-spaced, never 0)."""
    return 1.25 ** np.asarray(p, float) - 1.0 + 1e-8


def grid_from_slices(slices: dict) -> dict:
    """{name: (start, stop, step)} -> the values scipy.optimize.brute would visit (stop excluded)."""
    return {k: np.arange(*v) for k, v in slices.items()}


def reference_fit(x, y, slices: dict) -> dict:
    """Brute-force grid (MSE of log1p) then curve_fit on log1p, as the reference scripts do."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.size < 6:
        raise InputError(f"{x.size} points cannot determine the 6 parameters of a one-break BNSL")
    grid = grid_from_slices(slices)
    names = ["a", "b", "c0", "c1", "d1", "f1"]
    # The prediction is a + b * g(c0, c1, d1, f1): compute g once per (c0, c1, d1, f1) and sweep a and b over
    # it, which visits exactly the grid scipy.optimize.brute would, at a fraction of the cost.
    shape_axes = [grid["c0"], grid["c1"], grid["d1"], grid["f1"]]
    combos = np.stack(np.meshgrid(*shape_axes, indexing="ij"), axis=-1).reshape(-1, 4)
    c0, c1, d1, f1 = (combos[:, i:i + 1] for i in range(4))
    shape = direct_bnsl1(x[None, :], 0.0, 1.0, c0, c1, transformed(d1), f1)          # (K, n)
    target = np.log1p(y)
    best_val, best_row = np.inf, None
    for a in grid["a"]:
        for b in grid["b"]:
            with np.errstate(all="ignore"):
                mse = np.mean((np.log1p(a + transformed(b) * shape) - target[None, :]) ** 2, axis=1)
            mse = np.where(np.isfinite(mse), mse, np.inf)
            i = int(np.argmin(mse))
            if mse[i] < best_val:
                best_val, best_row = float(mse[i]), np.array([a, b, *combos[i]])
    n_grid = len(grid["a"]) * len(grid["b"]) * len(combos)
    p0 = best_row.copy()
    p0[1], p0[4] = transformed(p0[1]), transformed(p0[4])

    def model(xx, a, b, c0, c1, d1, f1):
        with np.errstate(all="ignore"):
            return np.log1p(direct_bnsl1(xx, a, b, c0, c1, d1, f1))
    params, _ = optimize.curve_fit(model, x, target, p0=p0, maxfev=100_000_000)
    return {"grid_points": n_grid, "grid_best_mse": best_val, "grid_best": dict(zip(names, p0)),
            "params": dict(zip(names, params))}


def rmsle(prediction, observed) -> float:
    """Root mean squared error of plain logs, as the reference code and the benchmark report it."""
    prediction, observed = np.asarray(prediction, float), np.asarray(observed, float)
    with np.errstate(all="ignore"):
        value = np.sqrt(np.mean((np.log(prediction) - np.log(observed)) ** 2))
    return float(value) if np.isfinite(value) else float("nan")


# ---------------------------------------------------------------------------------------------
# The extrapolation benchmark of Alabdulmohsin et al. (2022): fit each form on a curve's fitting rows,
# score RMSLE on its held-out rows, and count wins.
# ---------------------------------------------------------------------------------------------
FORMS = ("M1", "M2", "M3", "M4", "BNSL")
LAW_OF_FORM = {"M1": "power_law", "M2": "m2", "M3": "m3", "M4": "m4", "BNSL": "bnsl1"}


def benchmark_starts(form: str, x, y):
    """Start points (and bounds) for a curve, placed from the data's own scale: each start's amplitude is
    chosen so that the form passes through the median point (x0, y0)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    lx0, y0, ymin, ymax = float(np.log(np.median(x))), float(np.median(y)), float(y.min()), float(y.max())
    lx_lo, lx_hi = float(np.log(x.min())), float(np.log(x.max()))
    rows, bounds = [], {}
    if form == "M1":
        rows = [[np.log(y0) - c * lx0, c] for c in (-0.05, -0.2, -0.5)]
    elif form == "M2":
        rows = [[e, np.log(max(y0 - e, 1e-3 * y0)) - c * lx0, c] for e in (0.0, 0.5 * ymin, 0.9 * ymin)
                for c in (-0.05, -0.2, -0.5, -1.0)]
    elif form == "M3":
        rows = [[np.log(y0) - c * np.log(np.exp(-lx0) + g), g, c]
                for g in (0.0, np.exp(-lx_hi), 10 * np.exp(-lx_hi), np.exp(-lx_lo)) for c in (0.05, 0.2, 0.5, 1.0)]
    elif form == "M4":
        rows = [[e, e0, al, np.log(y0 - e) - al * np.log(e0 - y0) - c * lx0, c]
                for e in (0.0, 0.5 * ymin, 0.9 * ymin) for e0 in (1.05 * ymax, 2.0 * ymax)
                for al in (0.5, 1.0, 2.0) for c in (-0.1, -0.5)]
        bounds = {"eps_inf": (0.0, ymin * (1 - 1e-9)), "eps_0": (ymax * (1 + 1e-9), np.inf)}
    elif form == "BNSL":
        rows = [[a, np.log(max(y0 - a, 1e-3 * y0)) + c0 * lx0, c0, c1, ld, f1]
                for a in (0.0, 0.5 * ymin, 0.9 * ymin) for c0 in (0.0, 0.2) for c1 in (0.2, 1.0)
                for ld in np.linspace(lx_lo, lx_hi + 1.0, 4) for f1 in (0.1, 0.5, 1.0)]
    else:
        raise InputError(f"unknown benchmark form {form!r}; known: {FORMS}")
    return np.array(rows, float), bounds


def fit_form(form: str, x, y, max_iter: int = 400):
    """The best fit of `form` to (x, y): squared loss on log residuals, summed (RMSLE-consistent), from the
    form's start grid, with scalinglib's batched L-BFGS. Returns the FitResult."""
    from .fit import fit
    starts, bounds = benchmark_starts(form, x, y)
    return fit(LAW_OF_FORM[form], {"x": x}, y, starts=starts, bounds=bounds, loss="squared", residual_space="log",
               options={"max_iter": max_iter})


def win_shares(errors: np.ndarray) -> np.ndarray:
    """Per row (a curve), each form's share of the win: errors truncated to 3 decimals, NaN counted as 1,
    ties split equally (the benchmark's protocol)."""
    e = np.where(np.isfinite(errors), errors, 1.0)
    e = np.trunc(e * 1000) / 1000
    best = e == e.min(axis=1, keepdims=True)
    return best / best.sum(axis=1, keepdims=True)
