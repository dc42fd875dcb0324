"""Broken neural scaling laws: the law with any number of breaks, the benchmark's baseline forms M2-M4, and
the reference fitting procedure.

The reference code (Caballero et al.) fits one break by (1) a brute-force grid over (a, b, c0, c1, d1, f1),
with b and d1 searched as 1.25^p - 1 + 1e-8, minimising the mean squared error of log(y + 1), then (2) a
least-squares fit of log(y + 1) from the best grid point (scipy curve_fit). This module declares the law
(`bnsl<n>`, n breaks) and the baseline forms M2-M4 of Alabdulmohsin et al.'s benchmark, and reimplements the
reference procedure from its description.
"""
from __future__ import annotations

import numpy as np
from scipy import optimize

from ..errors import InputError
from .core import Law, get_law, known_laws, register


# ---------------------------------------------------------------------------------------------
# Broken neural scaling law (Caballero et al. 2023) with n breaks:
#   y = a + b x^-c0 prod_i (1 + (x / d_i)^(1/f_i))^(-c_i f_i)
# b and the break points d_i are parametrised by their logs (they span many decades); the factors are
# computed as log1p-exp and a logistic, so sharp breaks (small f_i) do not overflow.
# ---------------------------------------------------------------------------------------------
def _bnsl_params(n_breaks: int) -> tuple[str, ...]:
    names = ["a", "log_b", "c0"]
    for i in range(1, n_breaks + 1):
        names += [f"c{i}", f"log_d{i}", f"f{i}"]
    return tuple(names)


def _make_bnsl_evaluate(n_breaks: int):
    def evaluate(p: dict, f: dict):
        log_x = f["logx_row"]
        log_core = p["log_b"] - p["c0"] * log_x
        parts = []
        for i in range(1, n_breaks + 1):
            c, log_d, fi = p[f"c{i}"], p[f"log_d{i}"], p[f"f{i}"]
            z = (log_x - log_d) / fi                       # log t, t = (x/d)^(1/f)
            log_u = np.logaddexp(0.0, z)                   # log(1 + t)
            share = 0.5 * (1.0 + np.tanh(0.5 * z))         # t / (1 + t), a stable logistic
            log_core = log_core - c * fi * log_u
            parts.append((c, fi, z, log_u, share))
        core = np.exp(log_core)
        y = p["a"] + core

        def vjp(v):
            cv = core * v
            cols = [v.sum(1), cv.sum(1), -(cv * log_x).sum(1)]
            for c, fi, z, log_u, share in parts:
                cols += [-(cv * fi * log_u).sum(1),                       # c_i
                         (cv * c * share).sum(1),                          # log d_i: d(-c f log u)/d log d = c t/(1+t)
                         (cv * (-c * log_u + c * share * z)).sum(1)]       # f_i
            return np.column_stack(cols)

        return y, vjp
    return evaluate


def bnsl_law(n_breaks: int) -> Law:
    """The BNSL declaration with n_breaks breaks, registered as 'bnsl<n>' on first use."""
    name = f"bnsl{n_breaks}"
    if name in known_laws():
        return get_law(name)
    if n_breaks < 0:
        raise InputError(f"argument n_breaks must be >= 0, got {n_breaks}")
    grid = {"a": (0.0,), "log_b": (0.0,), "c0": (0.1,)}
    bounds = {}
    for i in range(1, n_breaks + 1):
        grid |= {f"c{i}": (0.5,), f"log_d{i}": (0.0,), f"f{i}": (0.5,)}
        bounds[f"f{i}"] = (1e-3, 50.0)
    return register(Law(
        name=name, title=f"Broken neural scaling law with {n_breaks} break(s)",
        equation=r"y = a + b x^{-c_0} \prod_i \left(1 + (x/d_i)^{1/f_i}\right)^{-c_i f_i}",
        params=_bnsl_params(n_breaks), variables=("x",), log_variables=("x",), space="linear",
        evaluate=_make_bnsl_evaluate(n_breaks), start_grid=grid, bounds=bounds, row_features=True,
        natural=lambda p: {**p, "b": np.exp(p["log_b"]), **{f"d{i}": np.exp(p[f"log_d{i}"]) for i in range(1, n_breaks + 1)}},
        example=({"a": 0.3, "log_b": 0.5, "c0": 0.1, **{k: v for i in range(1, n_breaks + 1)
                  for k, v in ((f"c{i}", 1.0), (f"log_d{i}", 2.0 * i + 2.0), (f"f{i}", 0.5))}},
                 {"x": [3.0, 30.0, 300.0, 3000.0, 30000.0]}),
        source="Eq. 1 of Caballero et al. (2023)",
    ))


BNSL1 = bnsl_law(1)


# ---------------------------------------------------------------------------------------------
# The baseline forms of Alabdulmohsin et al.'s extrapolation benchmark (M1 is `power_law`):
#   M2  y = eps + beta x^c                       M3  y = beta (1/x + gamma)^c, gamma >= 0, c >= 0
#   M4  (y - eps_inf) / (eps_0 - y)^alpha = beta x^c   (implicit in y; eps_inf < y < eps_0)
# ---------------------------------------------------------------------------------------------
def _evaluate_m2(p: dict, f: dict):
    power = np.exp(p["log_beta"] + p["c"] * f["logx_row"])
    y = p["eps"] + power

    def vjp(v):
        return np.column_stack([v.sum(1), (power * v).sum(1), (power * f["logx_row"] * v).sum(1)])
    return y, vjp


def _evaluate_m3(p: dict, f: dict):
    base = np.exp(-f["logx_row"]) + p["gamma"]
    log_base = np.log(base)
    y = np.exp(p["log_beta"] + p["c"] * log_base)

    def vjp(v):
        return np.column_stack([(y * v).sum(1), (y * p["c"] / base * v).sum(1), (y * log_base * v).sum(1)])
    return y, vjp


def _evaluate_m4(p: dict, f: dict, bisections: int = 18, newton_steps: int = 4):
    lo_bound, hi_bound, alpha = p["eps_inf"], p["eps_0"], p["alpha"]
    rhs = p["log_beta"] + p["c"] * f["logx_row"]
    shape = np.broadcast(rhs, lo_bound).shape
    lo = np.broadcast_to(lo_bound, shape).copy()
    hi = np.broadcast_to(hi_bound, shape).copy()
    valid = np.broadcast_to(hi_bound > lo_bound, shape)
    # g(y) = log(y - eps_inf) - alpha log(eps_0 - y) rises from -inf to +inf on (eps_inf, eps_0): bisect to a
    # 4e-6 relative bracket, then polish with Newton steps (quadratic convergence) kept inside the bracket.
    with np.errstate(all="ignore"):
        for _ in range(bisections):
            mid = 0.5 * (lo + hi)
            above = np.log(mid - lo_bound) - alpha * np.log(hi_bound - mid) > rhs
            hi = np.where(above, mid, hi)
            lo = np.where(above, lo, mid)
        y = 0.5 * (lo + hi)
        for _ in range(newton_steps):
            g = np.log(y - lo_bound) - alpha * np.log(hi_bound - y) - rhs
            step = g / (1.0 / (y - lo_bound) + alpha / (hi_bound - y))
            y = np.clip(y - step, lo, hi)
        y = np.where(valid, y, np.nan)
        below, above_ = y - lo_bound, hi_bound - y
        dfdy = 1.0 / below + alpha / above_                    # dF/dy of F = g(y) - rhs

    def vjp(v):
        # dy/dtheta = -(dF/dtheta) / (dF/dy)
        w = v / dfdy
        return np.nan_to_num(np.column_stack([
            (w / below).sum(1),                                # eps_inf: dF = -1/(y - eps_inf)
            (w * alpha / above_).sum(1),                       # eps_0:   dF = -alpha/(eps_0 - y)
            (w * np.log(above_)).sum(1),                       # alpha:   dF = -log(eps_0 - y)
            w.sum(1),                                          # log_beta: dF = -1
            (w * f["logx_row"]).sum(1),                        # c:       dF = -log x
        ]))
    return y, vjp


M2 = register(Law(name="m2", title="M2: y = eps + beta x^c", equation=r"y = \varepsilon + \beta x^{c}",
                  params=("eps", "log_beta", "c"), variables=("x",), log_variables=("x",), space="linear",
                  evaluate=_evaluate_m2, row_features=True,
                  start_grid={"eps": (0.0,), "log_beta": (0.0,), "c": (-0.3,)},
                  example=({"eps": 0.2, "log_beta": 1.0, "c": -0.3}, {"x": [1.0, 10.0, 100.0]})))
M3 = register(Law(name="m3", title="M3: y = beta (1/x + gamma)^c", equation=r"y = \beta (x^{-1} + \gamma)^{c}",
                  params=("log_beta", "gamma", "c"), variables=("x",), log_variables=("x",), space="linear",
                  evaluate=_evaluate_m3, row_features=True,
                  start_grid={"log_beta": (0.0,), "gamma": (0.0,), "c": (0.3,)},
                  bounds={"gamma": (0.0, np.inf), "c": (0.0, np.inf)},
                  example=({"log_beta": 0.5, "gamma": 0.01, "c": 0.3}, {"x": [1.0, 10.0, 100.0]})))
M4 = register(Law(name="m4", title="M4: (y - eps_inf) / (eps_0 - y)^alpha = beta x^c",
                  equation=r"\frac{y - \varepsilon_\infty}{(\varepsilon_0 - y)^{\alpha}} = \beta x^{c}",
                  params=("eps_inf", "eps_0", "alpha", "log_beta", "c"), variables=("x",), log_variables=("x",),
                  space="linear", evaluate=_evaluate_m4, row_features=True,
                  start_grid={"eps_inf": (0.0,), "eps_0": (1.0,), "alpha": (1.0,), "log_beta": (0.0,), "c": (-0.3,)},
                  bounds={"eps_inf": (0.0, np.inf), "alpha": (0.0, 50.0)},
                  example=({"eps_inf": 0.1, "eps_0": 1.2, "alpha": 0.8, "log_beta": 2.0, "c": -0.4},
                           {"x": [1.0, 10.0, 100.0]})))




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


def best_grid_starts(x, y, slices: dict, n_starts: int) -> np.ndarray:
    """The n_starts points of the reference grid with the lowest mean squared error of log(1 + y), as starts of the
    `bnsl1` declaration (a, log_b, c0, c1, log_d1, f1; f1 raised to the declaration's lower bound 1e-3)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if int(n_starts) != n_starts or n_starts < 1:
        raise InputError(f"argument 'n_starts' must be a whole number >= 1, got {n_starts!r}")
    grid = grid_from_slices(slices)
    names = ["a", "b", "c0", "c1", "d1", "f1"]
    mesh = np.stack(np.meshgrid(*(grid[n] for n in names), indexing="ij"), axis=-1).reshape(-1, 6)
    pred = direct_bnsl1(x[None, :], mesh[:, :1], transformed(mesh[:, 1:2]), mesh[:, 2:3], mesh[:, 3:4],
                        transformed(mesh[:, 4:5]), mesh[:, 5:6])
    with np.errstate(all="ignore"):
        mse = np.mean((np.log1p(pred) - np.log1p(y)) ** 2, axis=1)
    top = mesh[np.argsort(np.where(np.isfinite(mse), mse, np.inf))[:int(n_starts)]]
    return np.column_stack([top[:, 0], np.log(transformed(top[:, 1])), top[:, 2], top[:, 3],
                            np.log(transformed(top[:, 4])), np.maximum(top[:, 5], 1e-3)])


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
