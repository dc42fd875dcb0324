"""The extrapolation benchmark of Alabdulmohsin et al. (2022), as the BNSL paper uses it: fit each form (M1-M4 and a
one-break BNSL, all registered laws) on a curve's fitting rows, score RMSLE on its held-out rows, count wins.

It sits above the engine (it calls fit); the laws it fits are declared in scalinglib.laws.
"""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .fit import fit
from .laws import get_law
from .stacked import fit_stacked

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
    starts, bounds = benchmark_starts(form, x, y)
    return fit(LAW_OF_FORM[form], {"x": x}, y, starts=starts, bounds=bounds, loss="squared", residual_space="log",
               options={"max_iter": max_iter})


def fit_form_to_curves(form: str, curves, max_iter: int = 400) -> list:
    """fit_form(form, x, y) for every (x, y) of `curves`, as one stacked batch where the form's law allows it
    (scalinglib.stacked: the same fits, without the per-curve optimiser overhead). A FitResult per curve."""
    curves = [(np.asarray(x, float), np.asarray(y, float)) for x, y in curves]
    if form not in LAW_OF_FORM:
        raise InputError(f"unknown benchmark form {form!r}; known: {FORMS}")
    if not get_law(LAW_OF_FORM[form]).row_features:
        return [fit_form(form, x, y, max_iter) for x, y in curves]
    placed = [benchmark_starts(form, x, y) for x, y in curves]
    return fit_stacked(LAW_OF_FORM[form], [({"x": x}, y) for x, y in curves], starts=[s for s, _ in placed],
                       bounds=[b for _, b in placed], loss="squared", delta=None, residual_space="log",
                       options={"max_iter": max_iter})


def win_shares(errors: np.ndarray) -> np.ndarray:
    """Per row (a curve), each form's share of the win: errors truncated to 3 decimals, NaN counted as 1,
    ties split equally (the benchmark's protocol)."""
    e = np.where(np.isfinite(errors), errors, 1.0)
    e = np.trunc(e * 1000) / 1000
    best = e == e.min(axis=1, keepdims=True)
    return best / best.sum(axis=1, keepdims=True)
