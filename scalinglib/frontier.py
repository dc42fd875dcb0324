"""Compute-optimal allocation for the Chinchilla form, and the IsoFLOP (Approach 2) analysis.

With C = 6 N D, minimising E + A/N^alpha + B/D^beta at fixed C gives (Hoffmann et al. Eq. 4)
N_opt(C) = G (C/6)^a, D_opt(C) = G^-1 (C/6)^b, G = (alpha A / (beta B))^(1/(alpha+beta)),
a = beta/(alpha+beta), b = alpha/(alpha+beta). All functions here are vectorised over parameter arrays,
so bootstrap samples give intervals for G, a, b, N_opt directly.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InputError
from .inputs import as_finite_array, positive_values, require_positive, require_whole, same_length


def _natural(p, names=("A", "B", "alpha", "beta")) -> dict:
    """The Chinchilla constants as arrays; A, B, alpha and beta must be > 0 for a compute-optimal frontier."""
    missing = [k for k in names if k not in p]
    if missing:
        raise InputError(f"the compute-optimal frontier needs the parameters {missing} (natural constants A, B, E, "
                         f"alpha, beta, as FitResult.natural gives them)")
    out = {k: np.asarray(p[k], float) for k in names}
    for k in names:
        if not np.all(np.isfinite(out[k])):
            raise InputError(f"parameter {k} is not finite: {out[k]}")
    if np.any(out["alpha"] <= 0) or np.any(out["beta"] <= 0) or np.any(out["A"] <= 0) or np.any(out["B"] <= 0):
        raise InputError("A, B, alpha and beta must be > 0: with a non-positive exponent or coefficient the loss does "
                         "not fall with N or D and there is no compute-optimal allocation")
    return out


def allocation(p: dict) -> dict:
    """G, a, b from natural parameters A, B, alpha, beta (scalars or arrays)."""
    q = _natural(p)
    alpha, beta = q["alpha"], q["beta"]
    g = (alpha * q["A"] / (beta * q["B"])) ** (1.0 / (alpha + beta))
    return {"G": g, "a": beta / (alpha + beta), "b": alpha / (alpha + beta)}


def n_opt(p: dict, flops) -> np.ndarray:
    al = allocation(p)
    return al["G"] * (positive_values("flops", flops) / 6.0) ** al["a"]


def d_opt(p: dict, flops) -> np.ndarray:
    al = allocation(p)
    return (positive_values("flops", flops) / 6.0) ** al["b"] / al["G"]


def tokens_for_size(p: dict, n) -> np.ndarray:
    """Compute-optimal tokens for a model of n parameters: invert N_opt(C) = G (C/6)^a, D = (C/6)/N."""
    al = allocation(p)
    n = positive_values("n", n)
    return (n / al["G"]) ** (1.0 / al["a"]) / n


def loss_at(p: dict, n, d) -> np.ndarray:
    """E + A / N^alpha + B / D^beta at model sizes n and token counts d (any broadcastable shapes)."""
    q = _natural(p, ("A", "B", "E", "alpha", "beta"))
    return q["E"] + q["A"] / positive_values("n", n) ** q["alpha"] + q["B"] / positive_values("d", d) ** q["beta"]


def assign_budgets(flops, budgets, tol_dex: float) -> np.ndarray:
    """Index of the budget each run belongs to (within tol_dex in log10 C), or -1 for none."""
    flops = as_finite_array("flops", flops)
    require_positive("flops", flops, "budgets are matched in log space")
    budgets = np.asarray(budgets, float)
    dist = np.abs(np.log10(flops)[:, None] - np.log10(budgets)[None, :])
    nearest = dist.argmin(axis=1)
    return np.where(dist[np.arange(flops.size), nearest] <= tol_dex, nearest, -1)


def _budget_groups(flops: np.ndarray, budgets: np.ndarray, tol_dex: float, min_points: int):
    """Per run: its budget index (-1 for none) and the same restricted to budgets with >= min_points runs;
    plus the run count per budget."""
    group = assign_budgets(flops, budgets, tol_dex)
    counts = np.bincount(group[group >= 0], minlength=budgets.size)
    return group, np.where(np.isin(group, np.flatnonzero(counts >= min_points)), group, -1), counts


def _weighted_quadratics(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Least-squares c0 + c1 x + c2 x^2 for each weight row w (R, n); NaN rows where it is singular."""
    basis = np.stack([np.ones_like(x), x, x * x], axis=1)                 # (n, 3)
    xtwx = np.einsum("rn,ni,nj->rij", w, basis, basis)
    xtwy = np.einsum("rn,ni,n->ri", w, basis, y)
    out = np.full((w.shape[0], 3), np.nan)
    ok = np.linalg.cond(xtwx) < 1e12
    if ok.any():
        out[ok] = np.linalg.solve(xtwx[ok], xtwy[ok][..., None])[..., 0]
    return out


@dataclass
class IsoflopResult:
    budgets: pd.DataFrame      # one row per budget: points, vertex, N_opt, status
    exponent_a: float          # N_opt ∝ C^a over budgets with an interior minimum
    coefficient: float         # N_opt = coefficient * C^a
    n_unassigned: int          # runs not within tol_dex of any budget
    tol_dex: float

    @property
    def exponent_b(self) -> float:
        return 1.0 - self.exponent_a  # D_opt = C / (6 N_opt)

    def n_opt(self, flops) -> np.ndarray:
        return self.coefficient * np.asarray(flops, float) ** self.exponent_a


def _vertices(log_n, loss, group, n_budgets, weights):
    """For each weight row and budget: the parabola's vertex in log10 N (NaN if no interior minimum)."""
    r = weights.shape[0]
    vertex = np.full((r, n_budgets), np.nan)
    curvature = np.full((r, n_budgets), np.nan)
    for j in range(n_budgets):
        m = group == j
        if m.sum() < 3:
            continue
        c = _weighted_quadratics(log_n[m], loss[m], weights[:, m])
        curvature[:, j] = c[:, 2]
        with np.errstate(invalid="ignore", divide="ignore"):
            v = -c[:, 1] / (2 * c[:, 2])
        inside = (c[:, 2] > 0) & (v >= log_n[m].min()) & (v <= log_n[m].max())
        vertex[:, j] = np.where(inside, v, np.nan)
    return vertex, curvature


def _power_law(budgets, vertex):
    """OLS of log10 N_opt on log10 C over the budgets with a vertex, per row; returns (a, log10 k)."""
    logc = np.log10(budgets)
    a, k = np.full(vertex.shape[0], np.nan), np.full(vertex.shape[0], np.nan)
    for i, row in enumerate(vertex):
        ok = np.isfinite(row)
        if ok.sum() >= 2:
            a[i], k[i] = np.polyfit(logc[ok], row[ok], 1)
    return a, k


def akima_minima(log_n, loss, group, n_budgets):
    """Per budget, the minimiser in log10 N of an Akima interpolant of loss against log10 N (Porian et al.'s
    interpolation, without their noise bootstrap); NaN where the minimum sits at an end of the sampled range."""
    from scipy.interpolate import Akima1DInterpolator
    vertex = np.full(n_budgets, np.nan)
    for j in range(n_budgets):
        m = group == j
        if m.sum() < 3:
            continue
        order = np.argsort(log_n[m])
        xs, ys = log_n[m][order], loss[m][order]
        fine = np.linspace(xs[0], xs[-1], 2001)
        values = Akima1DInterpolator(xs, ys)(fine)
        i = int(np.nanargmin(values))
        if 0 < i < fine.size - 1:
            vertex[j] = fine[i]
    return vertex


def isoflop(params_n, flops, loss, budgets, tol_dex: float = 0.05, min_points: int = 3,
            method: str = "parabola") -> IsoflopResult:
    """Approach 2: group runs by FLOP budget, fit loss = c0 + c1 x + c2 x^2 with x = log10 N per budget,
    take the vertex as N_opt(C), and fit log10 N_opt = log10 k + a log10 C by least squares.

    Budgets without an interior minimum (c2 <= 0, or the vertex outside the sampled N range) or with
    fewer than `min_points` runs are listed with their status and left out of the power law.
    method="akima" locates each minimum on an Akima interpolant instead of a global parabola.
    """
    if method not in ("parabola", "akima"):
        raise InputError(f"argument method must be 'parabola' or 'akima', got {method!r}")
    n_arr = as_finite_array("params_n", params_n)
    c_arr = as_finite_array("flops", flops)
    l_arr = as_finite_array("loss", loss)
    same_length({"params_n": n_arr, "flops": c_arr, "loss": l_arr})
    require_positive("params_n", n_arr, "N_opt is fitted in log space")
    budgets = np.sort(np.asarray(budgets, float))
    group, usable, counts = _budget_groups(c_arr, budgets, tol_dex, min_points)
    log_n = np.log10(n_arr)
    vertex, curvature = _vertices(log_n, l_arr, usable, budgets.size, np.ones((1, n_arr.size)))
    if method == "akima":
        vertex = akima_minima(log_n, l_arr, usable, budgets.size)[None, :]
    status = []
    for j in range(budgets.size):
        if counts[j] < min_points:
            status.append(f"too few runs ({counts[j]})")
        elif method == "parabola" and not curvature[0, j] > 0:
            status.append("no minimum (concave)")
        elif np.isnan(vertex[0, j]):
            status.append("minimum outside sampled N")
        else:
            status.append("used")
    a, k = _power_law(budgets, vertex)
    if not np.isfinite(a[0]):
        raise InputError("fewer than two budgets have an interior minimum; cannot fit N_opt(C)")
    table = pd.DataFrame({"budget_flop": budgets, "runs": counts, "N_opt": 10 ** vertex[0],
                          "curvature": curvature[0], "status": status})
    return IsoflopResult(table, float(a[0]), float(10 ** k[0]), int((group < 0).sum()), tol_dex)


def isoflop_bootstrap(params_n, flops, loss, budgets, tol_dex: float = 0.05, min_points: int = 3,
                      n_resamples: int = 1000, seed: int = 0) -> np.ndarray:
    """Exponent a of N_opt ∝ C^a on resamples of the runs, drawn with replacement within each budget
    (so every budget keeps its number of runs). NaN where a resample leaves fewer than two usable budgets."""
    n_arr, c_arr, l_arr = (np.asarray(v, float) for v in (params_n, flops, loss))
    budgets = np.sort(np.asarray(budgets, float))
    _, group, _ = _budget_groups(c_arr, budgets, tol_dex, min_points)
    n_resamples = require_whole("n_resamples", n_resamples, 2)
    rng = np.random.default_rng(require_whole("seed", seed, 0))
    weights = np.zeros((n_resamples, n_arr.size))
    for j in np.unique(group[group >= 0]):
        members = np.flatnonzero(group == j)
        draws = rng.choice(members, size=(n_resamples, members.size), replace=True)
        np.add.at(weights, (np.arange(n_resamples)[:, None], draws), 1.0)
    vertex, _ = _vertices(np.log10(n_arr), l_arr, group, budgets.size, weights)
    return _power_law(budgets, vertex)[0]
