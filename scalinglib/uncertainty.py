"""Seeded nonparametric bootstrap of a fit: every resample is one more start of the batched engine.

Resampling n points with replacement is the same as giving each point an integer weight (how many
times it was drawn), so R resamples become R weighted objectives that `lbfgs_batched` runs at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from .errors import InputError
from .fit import FitResult
from .inputs import require_whole


@dataclass
class Bootstrap:
    samples: dict            # quantity -> (R,) values
    estimate: dict           # quantity -> value on the full data
    n_resamples: int
    seed: int
    n_not_converged: int     # resample fits that stopped for another reason than convergence
    method: str

    def interval(self, name: str, level: float = 0.95) -> tuple[float, float]:
        if name not in self.samples:
            raise InputError(f"bootstrap has no quantity {name!r}; it has {sorted(self.samples)}")
        tail = (1 - level) / 2 * 100
        lo, hi = np.percentile(self.samples[name], [tail, 100 - tail])
        return float(lo), float(hi)

    def se(self, name: str) -> float:
        return float(np.std(self.samples[name], ddof=1))

    def table(self, names: list[str] | None = None, level: float = 0.95) -> pd.DataFrame:
        names = names or list(self.samples)
        pct = f"{level:.0%}"
        return pd.DataFrame({
            "estimate": [self.estimate[n] for n in names],
            "bootstrap s.e.": [self.se(n) for n in names],
            f"{pct} lower": [self.interval(n, level)[0] for n in names],
            f"{pct} upper": [self.interval(n, level)[1] for n in names],
        }, index=names)


def resample_weights(n_points: int, n_resamples: int, seed: int) -> np.ndarray:
    """(R, n) counts: row r says how often each point was drawn in resample r (n draws with replacement)."""
    n_points = require_whole("n_points", n_points, 1)
    n_resamples = require_whole("n_resamples", n_resamples, 1)
    rng = np.random.default_rng(require_whole("seed", seed, 0))
    draws = rng.integers(0, n_points, size=(n_resamples, n_points))
    counts = np.zeros((n_resamples, n_points))
    np.add.at(counts, (np.arange(n_resamples)[:, None], draws), 1.0)
    return counts


def bootstrap(result: FitResult, n_resamples: int = 1000, seed: int = 0,
              derived: Callable[[dict], dict] | None = None, starts: np.ndarray | None = None,
              progress: Callable[[int, int], None] | None = None) -> Bootstrap:
    """Refit `result`'s problem on n_resamples resamples of its points.

    Each resample starts from the full-data optimum (as Besiroglu et al. 2024 start theirs from
    Hoffmann's values), or from every row of `starts` keeping the best. `derived(params)` maps the
    natural parameters (arrays) to further quantities (e.g. the allocation exponents). `progress(done, total)`,
    if given, is called as the resamples finish: they then run in 20 batches instead of one (each resample is its
    own independent rows, so the numbers are the same).
    """
    n_resamples = require_whole("n_resamples", n_resamples, 2)
    seed = require_whole("seed", seed, 0)
    problem = result.problem
    base = result.finals[result.best_index][None, :] if starts is None else np.atleast_2d(starts)
    k = base.shape[0]
    weights = resample_weights(problem.n_points, n_resamples, seed)
    size = n_resamples if progress is None else -(-n_resamples // 20)
    finals, converged = [], []
    for first in range(0, n_resamples, size):
        part = weights[first:first + size]
        refit = result.refit(starts=np.tile(base, (len(part), 1)), weights=np.repeat(part, k, axis=0))
        pick = np.argmin(refit.objectives.reshape(len(part), k), axis=1) + np.arange(len(part)) * k
        finals.append(refit.finals[pick])
        converged.append(refit.converged[pick])
        if progress is not None:
            progress(first + len(part), n_resamples)
    theta = problem.full_theta(np.concatenate(finals))
    raw = {name: theta[:, i] for i, name in enumerate(problem.law.params)}
    samples = {**raw, **problem.law.natural_params(raw)}
    estimate = {**result.params, **result.natural}
    if derived is not None:
        samples.update(derived(samples))
        estimate.update({kk: float(v) for kk, v in derived(estimate).items()})
    return Bootstrap(samples={kk: np.asarray(v, float) for kk, v in samples.items()}, estimate=estimate,
                     n_resamples=n_resamples, seed=seed,
                     n_not_converged=int((~np.concatenate(converged)).sum()),
                     method=f"{n_resamples} resamples of the {problem.n_points} points with replacement "
                            f"(numpy seed {seed}), each refitted with {result.method()} from "
                            f"{'the full-data optimum' if starts is None else f'{k} starts'}")
