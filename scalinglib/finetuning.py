"""Fine-tuning curves and model selection, the way Lin et al. (2024, "Selecting Large Language Model to Fine-tune via
Rectified Scaling Law") do it in their code (linhaowei1/Fine-tuning-Scaling-Law, src/fit_law.py, src/model_select.py
and src/draw.py), every quirk kept on purpose:

- the two laws as the code writes them, in log D -> log L: the rectified law (A - |E|) / (1 + e^B D^beta) + |E| (no
  exponent alpha) and the vanilla law (1 / (B D^beta) + |E|)^alpha;
- their fits (`fit_rectified_as_the_authors`: a surrogate stage with one auxiliary variable per point, then A and E
  refitted by MSE in log L, BFGS with finite differences from one deterministic start, kept only if A > E;
  `fit_vanilla_as_the_authors`: summed Huber (delta 0.001) in log L from 10 starts drawn U(0, 1) - unseeded in their
  code, seeded here);
- Accept then Stop (`phase_transition`, `ats_predict`): straight lines in log-log through the largest points, grown
  until the next smaller point's standardised residual exceeds delta;
- the selection metrics (`selection_metrics`): Pearson r of a score with the full-data loss, and the relative
  accuracy of the model ranked first, both rounded to 4 decimals as their code rounds them.

The book's own fits of the same laws use the engine (laws `lin_rectified`, `lin_vanilla`, scalinglib.laws.finetuning).
"""
from __future__ import annotations

import random

import numpy as np
from scipy import optimize, stats

from .errors import InputError
from .inputs import as_finite_array, require_positive, require_whole

TARGET_D = 1_638_400                    # the full fine-tuning set: the loss every selection predicts
BUDGETS = (204_800, 102_400, 51_200, 25_600, 12_800, 6_400, 3_200)   # gamma = 1/8 ... 1/512 of it
SMALLEST_D = 200
ZERO_SHOT_D = 1e-10                     # where OurFit places the zero-shot loss (log D = -23)
ATS_K, ATS_DELTA = 3, 5.0               # ats_select's defaults
VANILLA_STARTS, VANILLA_DELTA = 10, 0.001


def _pair(log_d, log_l):
    log_d, log_l = as_finite_array("log_D", log_d), as_finite_array("log_L", log_l)
    if len(log_d) != len(log_l) or len(log_d) < 2:
        raise InputError(f"arguments 'log_D' and 'log_L' must be of one length >= 2, got {len(log_d)} and {len(log_l)}")
    return log_d, log_l


def rectified_code(log_d, A, B, beta, E):
    """log L of the rectified law as the code writes it (our_law_transform): L = (A - |E|)/(1 + e^B D^beta) + |E|,
    that is B'/(D_l + D^beta) + E' with D_l = e^-B, B' = (A - |E|) e^-B, E' = |E| and no exponent alpha."""
    with np.errstate(all="ignore"):
        return np.log((A - abs(E)) / (1 + np.exp(beta * np.asarray(log_d) + B)) + abs(E))


def vanilla_code(log_d, alpha, B, beta, E):
    """log L of the vanilla law as the code writes it (vanilla_law_transform): L = (1/(B D^beta) + |E|)^alpha."""
    with np.errstate(all="ignore"):
        return alpha * np.log(1 / (B * (np.exp(np.asarray(log_d)) ** beta)) + abs(E))


def fit_rectified_as_the_authors(log_d, log_l):
    """fit_our_law: returns ((A, B, beta, E), stage-2 MSE), or (None, inf) when the fit ends with A <= E (the code's
    acceptance test; its three passes are identical, so one is run)."""
    log_d, log_l = _pair(log_d, log_l)
    n = len(log_d)
    u, lo = np.max(log_l), np.min(log_l)
    start = np.concatenate([[np.exp(u), 0.0, 1.0, np.exp((u + lo) / 2)], np.ones(n)])

    def surrogate(v):
        Z = v[4:] ** 2                                      # stands in for e^B D^beta > 0
        A, B, beta, E = v[:4]
        y_loss = np.square(np.log(A + np.abs(E) * Z) - np.log(1 + Z) - log_l).mean()
        x_loss = np.square(np.log(Z) - beta * log_d - B).mean()
        return x_loss + y_loss

    with np.errstate(all="ignore"):
        A, B, beta, E = optimize.minimize(surrogate, start).x[:4]

        def second(intercepts):
            return np.square(rectified_code(log_d, intercepts[0], B, beta, intercepts[1]) - log_l).mean()

        res = optimize.minimize(second, [A, E])
    A, E = res.x
    if not A > E:
        return None, float("inf")
    return (float(A), float(B), float(beta), float(E)), float(res.fun)


def fit_vanilla_as_the_authors(log_d, log_l, seed: int = 0):
    """fit_vanilla_law: summed Huber (delta 0.001) in log L, BFGS from 10 starts each drawn U(0, 1) by Python's
    `random` (never seeded in the code; here random.Random(seed)). Returns ((alpha, B, beta, E), best objective)."""
    log_d, log_l = _pair(log_d, log_l)
    draw = random.Random(seed)

    def objective(params):
        error = log_l - vanilla_code(log_d, *params)
        small = np.abs(error) < VANILLA_DELTA
        return np.sum(np.where(small, np.square(error) / 2, VANILLA_DELTA * (np.abs(error) - VANILLA_DELTA / 2)))

    best, best_params = float("inf"), None
    with np.errstate(all="ignore"):
        for _ in range(VANILLA_STARTS):
            res = optimize.minimize(objective, [draw.random() for _ in range(4)])
            if res.fun < best:
                best, best_params = float(res.fun), tuple(float(p) for p in res.x)
    return best_params, best


def rmsd(predicted_log, actual_log) -> float:
    """Root mean squared difference in log loss (the paper's goodness of fit; in-sample when the points were fitted)."""
    predicted_log, actual_log = as_finite_array("predicted_log", predicted_log), as_finite_array("actual_log", actual_log)
    if predicted_log.shape != actual_log.shape:
        raise InputError(f"arguments 'predicted_log' and 'actual_log' must be of one shape, got {predicted_log.shape} "
                         f"and {actual_log.shape}")
    return float(np.sqrt(np.mean((predicted_log - actual_log) ** 2)))


def _line(x, y):
    slope, intercept = np.polyfit(x, y, 1)
    return slope, intercept


def phase_transition(D, L, k: int = ATS_K, delta: float = ATS_DELTA) -> int:
    """The code's _estimate_phase_transition on points sorted by D: how many of the smallest points lie before the
    power phase. Lines through the largest p = k, k+1, ... points; stop at the first p whose next smaller point has
    |residual| / std(residuals) > delta. If the test never fires the smallest point is still dropped (p = n - 1);
    with n <= k nothing is."""
    D, L = as_finite_array("D", D), as_finite_array("L", L)
    if len(D) != len(L):
        raise InputError(f"arguments 'D' and 'L' must be of one length, got {len(D)} and {len(L)}")
    require_positive("D", D, "AtS works in log D")
    require_positive("L", L, "AtS works in log L")
    if np.any(np.diff(D) <= 0):
        raise InputError("argument 'D' must be strictly increasing (the subsets from smallest to largest)")
    k = require_whole("k", k, 2)
    n = len(D)
    if n <= k:
        return 0
    x, y = np.log(D), np.log(L)
    for p in range(k, n):
        slope, intercept = _line(x[-p:], y[-p:])
        spread = np.std(y[-p:] - (slope * x[-p:] + intercept))
        with np.errstate(divide="ignore", invalid="ignore"):
            standardised = abs(y[-p - 1] - (slope * x[-p - 1] + intercept)) / spread
        if standardised > delta:
            break
    return n - p


def ats_predict(D, L, target: float = TARGET_D, k: int = ATS_K, delta: float = ATS_DELTA) -> float:
    """AtS's prediction of the loss at `target`: a line in log-log through the points after the phase transition."""
    start = phase_transition(D, L, k, delta)
    x, y = np.log(np.asarray(D, float)[start:]), np.log(np.asarray(L, float)[start:])
    slope, intercept = _line(x, y)
    return float(np.exp(slope * np.log(target) + intercept))


def selection_metrics(score, target_loss, ranking=None) -> tuple[float, float]:
    """(PearCorr, RelAcc) as selection_performance computes them: Pearson r between `score` and the full-data loss,
    and (worst - chosen) / (worst - best) of the full-data loss, where the chosen model is the first one ranked best
    (`ranking`: the order the method ranks by, default `score`, lower first; ties share the first place). Both are
    rounded to 4 decimals, as the code rounds them before the tables print 100 x the value to one decimal."""
    score = as_finite_array("score", score)
    target_loss = as_finite_array("target_loss", target_loss)
    ranking = score if ranking is None else as_finite_array("ranking", ranking)
    if not (len(score) == len(target_loss) == len(ranking)) or len(score) < 3:
        raise InputError("arguments 'score', 'target_loss' and 'ranking' must be of one length >= 3")
    r = stats.pearsonr(score.astype(np.float32), target_loss.astype(np.float32)).statistic
    chosen = target_loss[int(np.argmin(ranking))]
    rel = (target_loss.max() - chosen) / (target_loss.max() - target_loss.min())
    return round(float(r), 4), round(float(rel), 4)


def printed_percent(value: float) -> str:
    """How the authors' tables print a 4-decimal fraction: 100 x value with one decimal ('{:.1f}')."""
    return "{:.1f}".format(value * 100)
