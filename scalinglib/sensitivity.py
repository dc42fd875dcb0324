"""How fitting choices move a fit: one fit per variant of the settings, and leave-largest-out extrapolation.

Used by the methods chapter. A variant is a dict of fit() keyword arguments that replace the baseline's;
`describe` turns a FitResult into the quantities to compare (exponents, compute-optimal exponent, ...).
"""
from __future__ import annotations

from typing import Callable, Mapping

import numpy as np
import pandas as pd

from .errors import InputError
from .fit import FitResult, fit
from .parallel import map_split


def vary(base: Mapping, variants: Mapping[str, Mapping], describe: Callable[[FitResult], dict]) -> pd.DataFrame:
    """One row per variant: describe(fit) plus how the fit went (objective in the variant's own terms, starts,
    starts in the best basin, stop reasons of the best start, seconds). The variants are independent fits, so they
    are dealt to the cores (parallel.map_split); "seconds" is each fit's own time in its process."""
    if not variants:
        raise InputError("vary() needs at least one variant")

    def row(item):
        name, changes = item
        result = fit(**{**base, **changes})
        return {**describe(result), "objective (own terms)": result.objective, "starts": len(result.starts),
                "starts in best basin": result.n_best_basin,
                "best start stopped by": str(result.status[result.best_index]), "seconds": result.seconds}
    items = list(variants.items())
    return pd.DataFrame.from_dict(dict(zip(variants, map_split(row, items))), orient="index")


def largest_mask(scale, fraction: float | None = None) -> np.ndarray:
    """The points to hold out: those at the largest value of `scale` (fraction None), or the largest `fraction`
    of the points by `scale` (ties kept together)."""
    scale = np.asarray(scale, float)
    if fraction is None:
        return scale == scale.max()
    if not 0 < fraction < 1:
        raise InputError(f"argument 'fraction' must be in (0, 1), got {fraction}")
    return scale >= np.quantile(scale, 1 - fraction)


def leave_largest_out(law: str, x: Mapping, y, held: np.ndarray, **fit_kwargs) -> dict:
    """Fit on the points not in `held`, predict the held ones: mean |log error| out of and in sample."""
    y = np.asarray(y, float)
    held = np.asarray(held, bool)
    if held.shape != y.shape or not held.any() or held.all():
        raise InputError(f"argument 'held' must mark some, not all, of the {y.size} points")
    keep = ~held
    result = fit(law, {k: np.asarray(v)[keep] for k, v in x.items()}, y[keep], **fit_kwargs)
    pred_held = result.predict({k: np.asarray(v)[held] for k, v in x.items()})
    pred_fit = result.predict({k: np.asarray(v)[keep] for k, v in x.items()})
    return {"points fitted": int(keep.sum()), "points held out": int(held.sum()),
            "in-sample mean |log error|": float(np.mean(np.abs(np.log(pred_fit / y[keep])))),
            "held-out mean |log error|": float(np.mean(np.abs(np.log(pred_held / y[held])))),
            "held-out mean error (pred - obs)": float(np.mean(pred_held - y[held])),
            "fit": result}
