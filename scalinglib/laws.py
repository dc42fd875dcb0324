"""Scaling laws as declarations: names, variables, a vectorised evaluation with its gradient, grids.

A law is data, not a class hierarchy. `evaluate(p, f)` receives the parameters as a dict of (S, 1)
columns (S = starts evaluated together) and the prepared features `f`, and returns the prediction of
shape (S, n) in the law's own space (`space`: "log" for log y, "linear" for y) together with a
vector-Jacobian product `vjp(v) -> (S, P)`. The fitting engine needs nothing else, so adding a law
is adding one declaration here and one test.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

from .errors import InputError, UnknownNameError

Evaluate = Callable[[dict, dict], "tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]"]


@dataclass(frozen=True)
class Law:
    name: str
    title: str
    equation: str                       # LaTeX, as the paper writes the fitted form
    params: tuple[str, ...]
    variables: tuple[str, ...]
    log_variables: tuple[str, ...]      # variables whose log is taken: they must be > 0
    space: str                          # "log" or "linear": what `evaluate` returns
    prepare: Callable[[dict], dict]     # raw variables (n,) -> features, computed once per fit
    evaluate: Evaluate
    start_grid: Mapping[str, tuple[float, ...]]
    bounds: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    natural: Callable[[dict], dict] | None = None   # fitted parameters -> the constants as printed
    must_fix: tuple[str, ...] = ()      # parameters the gradient does not cover: fits must hold them fixed

    # -- evaluation in either space -------------------------------------------------------------
    def _columns(self, theta: np.ndarray) -> dict:
        return {name: theta[:, i:i + 1] for i, name in enumerate(self.params)}

    def log_value_and_vjp(self, theta: np.ndarray, feats: dict):
        value, vjp = self.evaluate(self._columns(theta), feats)
        if self.space == "log":
            return value, vjp
        with np.errstate(divide="ignore", invalid="ignore"):
            logy = np.where(value > 0, np.log(np.where(value > 0, value, 1.0)), np.nan)
        return logy, lambda v: vjp(v / value)

    def value_and_vjp(self, theta: np.ndarray, feats: dict):
        value, vjp = self.evaluate(self._columns(theta), feats)
        if self.space == "linear":
            return value, vjp
        y = np.exp(value)
        return y, lambda v: vjp(v * y)

    # -- convenience ----------------------------------------------------------------------------
    def theta(self, params: Mapping[str, float] | np.ndarray) -> np.ndarray:
        """Parameters as a (S, P) array, from a dict (values scalar or (S,)) or an array."""
        if isinstance(params, Mapping):
            missing = [p for p in self.params if p not in params]
            if missing:
                raise InputError(f"law {self.name!r} needs parameters {missing}")
            return np.column_stack([np.atleast_1d(np.asarray(params[p], float)) for p in self.params])
        arr = np.atleast_2d(np.asarray(params, float))
        if arr.shape[1] != len(self.params):
            raise InputError(f"law {self.name!r} takes {len(self.params)} parameters, got {arr.shape[1]}")
        return arr

    def features(self, x: Mapping[str, np.ndarray]) -> dict:
        return self.prepare({k: np.asarray(v, float) for k, v in x.items()})

    def predict(self, params, x: Mapping[str, np.ndarray]) -> np.ndarray:
        """y at the points `x`; shape (n,) for one parameter set, (S, n) for several."""
        theta = self.theta(params)
        y, _ = self.value_and_vjp(theta, self.features(x))
        return y[0] if theta.shape[0] == 1 else y

    def start_points(self, grid: Mapping[str, tuple[float, ...]] | None = None,
                     names: tuple[str, ...] | None = None) -> np.ndarray:
        """Cartesian product of the start grid over `names` (default: every parameter), as (K, len(names))."""
        grid = dict(self.start_grid if grid is None else grid)
        names = self.params if names is None else names
        missing = [p for p in names if p not in grid]
        if missing:
            raise InputError(f"start grid for law {self.name!r} has no values for {missing}")
        return np.array(list(itertools.product(*(grid[p] for p in names))), dtype=float)

    def natural_params(self, params: Mapping[str, np.ndarray]) -> dict:
        return dict(params) if self.natural is None else self.natural(params)


_REGISTRY: dict[str, Law] = {}


def register(law: Law) -> Law:
    if law.name in _REGISTRY:
        raise InputError(f"a law named {law.name!r} is already registered")
    _REGISTRY[law.name] = law
    return law


def get_law(law: str | Law) -> Law:
    if isinstance(law, Law):
        return law
    try:
        return _REGISTRY[law]
    except KeyError:
        raise UnknownNameError(f"unknown law {law!r}; known laws: {sorted(_REGISTRY)}") from None


def known_laws() -> list[str]:
    return sorted(_REGISTRY)


def _arange(start: float, stop: float, step: float) -> tuple[float, ...]:
    """Inclusive grid start, start+step, ..., stop, without float drift."""
    n = int(round((stop - start) / step))
    return tuple(float(start + i * step) for i in range(n + 1))


# ---------------------------------------------------------------------------------------------
# Hoffmann et al. (2022), Eq. 2 in the log-sum-exp parametrisation of App. D.2, Eq. 11:
#   log L = LSE(a - alpha log N, b - beta log D, e),  A, B, E = exp(a), exp(b), exp(e).
# ---------------------------------------------------------------------------------------------
def _prepare_nd(x: dict) -> dict:
    log_n, log_d = np.log(x["N"]), np.log(x["D"])
    return {"logN": log_n, "logD": log_d, "logN_row": log_n[None, :], "logD_row": log_d[None, :]}


def _evaluate_chinchilla(p: dict, f: dict):
    # The hot loop of a 4,500-start fit. No max-subtraction: the terms overflow only for predicted
    # losses beyond 1e308, where the objective becomes +inf and the line search rejects the step.
    e1 = p["alpha"] * f["logN_row"]
    np.subtract(p["a"], e1, out=e1)
    np.exp(e1, out=e1)
    e2 = p["beta"] * f["logD_row"]
    np.subtract(p["b"], e2, out=e2)
    np.exp(e2, out=e2)
    big_e = np.exp(p["e"])
    y = e1 + e2
    y += big_e
    log_y = np.log(y)

    def vjp(v):
        # d log y / d(a, b, e, alpha, beta) = (E1, E2, E, -E1 log N, -E2 log D) / y
        vy = v / y
        u1, u2 = e1 * vy, e2 * vy
        return np.column_stack([u1.sum(1), u2.sum(1), big_e[:, 0] * vy.sum(1),
                                -(u1 @ f["logN"]), -(u2 @ f["logD"])])

    return log_y, vjp


def _natural_chinchilla(p: dict) -> dict:
    return {"A": np.exp(p["a"]), "B": np.exp(p["b"]), "E": np.exp(p["e"]), "alpha": p["alpha"], "beta": p["beta"]}


CHINCHILLA = register(Law(
    name="chinchilla",
    title="Hoffmann et al. (2022) parametric loss, Eq. 2",
    equation=r"L(N, D) = E + \frac{A}{N^{\alpha}} + \frac{B}{D^{\beta}}",
    params=("a", "b", "e", "alpha", "beta"),
    variables=("N", "D"),
    log_variables=("N", "D"),
    space="log",
    prepare=_prepare_nd,
    evaluate=_evaluate_chinchilla,
    # App. D.2: 6 x 6 x 5 x 5 x 5 = 4,500 starts.
    start_grid={"a": _arange(0, 25, 5), "b": _arange(0, 25, 5), "e": _arange(-1, 1, 0.5),
                "alpha": _arange(0, 2, 0.5), "beta": _arange(0, 2, 0.5)},
    natural=_natural_chinchilla,
))


# ---------------------------------------------------------------------------------------------
# A plain power law y = A x^b, fitted in log space: log y = log_A + b log x (with log residuals and
# the squared loss this is ordinary least squares in log-log coordinates).
# ---------------------------------------------------------------------------------------------
def _prepare_x(x: dict) -> dict:
    log_x = np.log(x["x"])
    return {"logx": log_x, "logx_row": log_x[None, :]}


def _evaluate_power_law(p: dict, f: dict):
    log_y = p["log_A"] + p["b"] * f["logx_row"]

    def vjp(v):
        return np.column_stack([v.sum(1), v @ f["logx"]])

    return log_y, vjp


POWER_LAW = register(Law(
    name="power_law",
    title="Power law y = A x^b",
    equation=r"y = A\,x^{b}",
    params=("log_A", "b"),
    variables=("x",),
    log_variables=("x",),
    space="log",
    prepare=_prepare_x,
    evaluate=_evaluate_power_law,
    start_grid={"log_A": (-5.0, 0.0, 5.0), "b": (-1.0, -0.3, 0.3, 1.0)},
    natural=lambda p: {"A": np.exp(p["log_A"]), "b": p["b"]},
))



# ---------------------------------------------------------------------------------------------
# Muennighoff et al. (2023): the Chinchilla form on effective data D' and effective parameters N',
#   D' = U + U R_D* (1 - exp(-R_D / R_D*)),  R_D = max(D/U - 1, 0)
#   N' = U_N + U_N R_N* (1 - exp(-R_N / R_N*)),  U_N = min(N, N_opt(U)),  R_N = max(N/U_N - 1, 0)
# where N_opt(U) is the Chinchilla-optimal size for the compute at which U tokens are optimal,
# N_opt(U) = G (U G)^(beta/alpha), G = (alpha A / (beta B))^(1/(alpha+beta)).
# The gradient covers e, rd_star and rn_star (the authors' step 2 fits only the two decay constants);
# a, b, alpha, beta also move N_opt(U) through a min(), so fits must hold them fixed.
# ---------------------------------------------------------------------------------------------
def _decayed(base, repeats, star):
    """base (1 + star (1 - exp(-repeats/star))) and d log(.)/d star, with the limit star -> 0 handled."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        x = np.where(repeats > 0, repeats / star, 0.0)
        decay = np.exp(-x)
        gain = star * (1.0 - decay)
        gain = np.where(np.isfinite(gain), gain, 0.0)
        factor = 1.0 + gain
        x_decay = np.where(x < 700, x * decay, 0.0)
        dlog = ((1.0 - decay) - x_decay) / factor
    return base * factor, np.where(np.isfinite(dlog), dlog, 0.0)


def _prepare_ndu(x: dict) -> dict:
    n, d, u = x["N"], x["D"], x["U"]
    return {"N": n[None, :], "U": u[None, :], "RD": np.maximum(d / u - 1.0, 0.0)[None, :]}


def _evaluate_data_constrained(p: dict, f: dict):
    alpha, beta = p["alpha"], p["beta"]
    log_g = (np.log(alpha) + p["a"] - np.log(beta) - p["b"]) / (alpha + beta)
    n_opt_u = np.exp(log_g + (beta / alpha) * (np.log(f["U"]) + log_g))
    u_n = np.minimum(f["N"], n_opt_u)
    r_n = np.maximum(f["N"] / u_n - 1.0, 0.0)
    d_eff, dlog_d = _decayed(f["U"], f["RD"], p["rd_star"])
    n_eff, dlog_n = _decayed(u_n, r_n, p["rn_star"])
    t1 = p["a"] - alpha * np.log(n_eff)
    t2 = p["b"] - beta * np.log(d_eff)
    top = np.maximum(np.maximum(t1, t2), p["e"])
    w1, w2, w3 = np.exp(t1 - top), np.exp(t2 - top), np.exp(p["e"] - top)
    total = w1 + w2 + w3
    log_y = top + np.log(total)
    w1, w2, w3 = w1 / total, w2 / total, w3 / total

    def vjp(v):
        zeros = np.zeros(v.shape[0])
        g_e = (w3 * v).sum(1)
        g_rd = -(beta * w2 * dlog_d * v).sum(1)
        g_rn = -(alpha * w1 * dlog_n * v).sum(1)
        # a, b, alpha, beta are held fixed (must_fix): their columns are never used.
        return np.column_stack([zeros, zeros, g_e, zeros, zeros, g_rd, g_rn])

    return log_y, vjp


DATA_CONSTRAINED = register(Law(
    name="data_constrained",
    title="Muennighoff et al. (2023) data-constrained scaling law",
    equation=r"L(N, D, U_D) = E + \frac{A}{N'^{\alpha}} + \frac{B}{D'^{\beta}}",
    params=("a", "b", "e", "alpha", "beta", "rd_star", "rn_star"),
    variables=("N", "D", "U"),
    log_variables=("N", "D", "U"),
    space="log",
    prepare=_prepare_ndu,
    evaluate=_evaluate_data_constrained,
    # The authors' step-2 grid is linspace(0, 20, 4) for both decay constants.
    start_grid={"rd_star": (0.0, 20 / 3, 40 / 3, 20.0), "rn_star": (0.0, 20 / 3, 40 / 3, 20.0)},
    bounds={"rd_star": (0.0, np.inf), "rn_star": (0.0, np.inf)},
    natural=lambda p: {"A": np.exp(p["a"]), "B": np.exp(p["b"]), "E": np.exp(p["e"]), "alpha": p["alpha"],
                       "beta": p["beta"], "R_D*": p["rd_star"], "R_N*": p["rn_star"]},
    must_fix=("a", "b", "alpha", "beta"),
))



# ---------------------------------------------------------------------------------------------
# Krajewski et al. (2024), Eq. 9: L(N, D, G) = c + (g / G^gamma + a) N^-alpha + b D^-beta, with N the total
# non-embedding parameters of a model with E = 64 experts (fixed), D tokens and G the granularity.
# ---------------------------------------------------------------------------------------------
def _prepare_ndg(x: dict) -> dict:
    return {f"log{k}": np.log(x[k])[None, :] for k in ("N", "D", "G")}


def _evaluate_krajewski(p: dict, f: dict):
    n_term = np.exp(-p["alpha"] * f["logN"])
    d_term = np.exp(-p["beta"] * f["logD"])
    g_term = np.exp(-p["gamma"] * f["logG"])
    coef = p["g"] * g_term + p["a"]
    y = p["c"] + coef * n_term + p["b"] * d_term

    def vjp(v):
        return np.column_stack([
            v.sum(1),                                              # c
            (n_term * v).sum(1),                                   # a
            -(coef * n_term * f["logN"] * v).sum(1),               # alpha
            (d_term * v).sum(1),                                   # b
            -(p["b"] * d_term * f["logD"] * v).sum(1),             # beta
            (g_term * n_term * v).sum(1),                          # g
            -(p["g"] * g_term * f["logG"] * n_term * v).sum(1),    # gamma
        ])

    return y, vjp


KRAJEWSKI_MOE = register(Law(
    name="krajewski_moe",
    title="Krajewski et al. (2024) fine-grained MoE law, Eq. 9",
    equation=r"L(N, D, G) = c + \left(\frac{g}{G^{\gamma}} + a\right) N^{-\alpha} + b D^{-\beta}",
    params=("c", "a", "alpha", "b", "beta", "g", "gamma"),
    variables=("N", "D", "G"),
    log_variables=("N", "D", "G"),
    space="linear",
    prepare=_prepare_ndg,
    evaluate=_evaluate_krajewski,
    start_grid={"c": (0.5, 1.5), "a": (5.0, 20.0), "alpha": (0.1, 0.3), "b": (10.0, 30.0), "beta": (0.1, 0.3),
                "g": (1.0, 3.0), "gamma": (0.3, 0.6)},
))


# ---------------------------------------------------------------------------------------------
# Kumar et al. (2024), Eq. 3: L = A [N (1 - e^(-P_w/gamma_w + n_w))]^-alpha + B D^-alpha + E, with the
# weight precision P_w in bits, alpha = beta tied and the Appendix K offset n_w added in the exponent
# (the convention the precision chapter shows reproduces the paper's claims). No public runs exist to
# fit it; the declaration makes a fit possible if they appear.
# ---------------------------------------------------------------------------------------------
def _prepare_ndp(x: dict) -> dict:
    return {"logN": np.log(x["N"])[None, :], "logD": np.log(x["D"])[None, :], "P": np.asarray(x["P"], float)[None, :]}


def _evaluate_kumar(p: dict, f: dict):
    decay = np.exp(-f["P"] / p["gamma_w"] + p["n_w"])
    share = 1.0 - decay
    with np.errstate(invalid="ignore", divide="ignore"):
        log_neff = f["logN"] + np.log(share)
    n_term = np.exp(-p["alpha"] * log_neff)
    d_term = np.exp(-p["alpha"] * f["logD"])
    y = p["A"] * n_term + p["B"] * d_term + p["E"]

    def vjp(v):
        dn = -p["alpha"] * p["A"] * n_term / share          # d y / d share
        return np.column_stack([
            (n_term * v).sum(1), (d_term * v).sum(1), v.sum(1),
            (-(p["A"] * n_term * log_neff + p["B"] * d_term * f["logD"]) * v).sum(1),
            (dn * (-decay * f["P"] / p["gamma_w"] ** 2) * v).sum(1),
            (dn * (-decay) * v).sum(1),
        ])

    return y, vjp


KUMAR_PRECISION = register(Law(
    name="kumar_precision",
    title="Kumar et al. (2024) precision-aware loss, Eq. 3",
    equation=r"L = A\,[N(1 - e^{-P_w/\gamma_w + n_w})]^{-\alpha} + B D^{-\alpha} + E",
    params=("A", "B", "E", "alpha", "gamma_w", "n_w"),
    variables=("N", "D", "P"),
    log_variables=("N", "D"),
    space="linear",
    prepare=_prepare_ndp,
    evaluate=_evaluate_kumar,
    start_grid={"A": (1e3, 1e4), "B": (1e3, 1e4), "E": (2.0, 3.0), "alpha": (0.3, 0.5), "gamma_w": (2.0, 3.0),
                "n_w": (0.0, 0.5)},
))


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
    if name in _REGISTRY:
        return _REGISTRY[name]
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
        prepare=_prepare_x, evaluate=_make_bnsl_evaluate(n_breaks), start_grid=grid, bounds=bounds,
        natural=lambda p: {**p, "b": np.exp(p["log_b"]), **{f"d{i}": np.exp(p[f"log_d{i}"]) for i in range(1, n_breaks + 1)}},
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
                  prepare=_prepare_x, evaluate=_evaluate_m2,
                  start_grid={"eps": (0.0,), "log_beta": (0.0,), "c": (-0.3,)}))
M3 = register(Law(name="m3", title="M3: y = beta (1/x + gamma)^c", equation=r"y = \beta (x^{-1} + \gamma)^{c}",
                  params=("log_beta", "gamma", "c"), variables=("x",), log_variables=("x",), space="linear",
                  prepare=_prepare_x, evaluate=_evaluate_m3,
                  start_grid={"log_beta": (0.0,), "gamma": (0.0,), "c": (0.3,)},
                  bounds={"gamma": (0.0, np.inf), "c": (0.0, np.inf)}))
M4 = register(Law(name="m4", title="M4: (y - eps_inf) / (eps_0 - y)^alpha = beta x^c",
                  equation=r"\frac{y - \varepsilon_\infty}{(\varepsilon_0 - y)^{\alpha}} = \beta x^{c}",
                  params=("eps_inf", "eps_0", "alpha", "log_beta", "c"), variables=("x",), log_variables=("x",),
                  space="linear", prepare=_prepare_x, evaluate=_evaluate_m4,
                  start_grid={"eps_inf": (0.0,), "eps_0": (1.0,), "alpha": (1.0,), "log_beta": (0.0,), "c": (-0.3,)},
                  bounds={"eps_inf": (0.0, np.inf), "alpha": (0.0, 50.0)}))


# ---------------------------------------------------------------------------------------------
# Kaplan et al. (2020), Eq. 1.5: L(N, D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D, written as
#   log L = alpha_D * LSE(r (log N_c - log N), log D_c - log D),  r = alpha_N / alpha_D.
# ---------------------------------------------------------------------------------------------
def _evaluate_kaplan_nd(p: dict, f: dict):
    r = p["alpha_N"] / p["alpha_D"]
    gap_n = p["log_Nc"] - f["logN_row"]
    s1 = r * gap_n
    s2 = p["log_Dc"] - f["logD_row"]
    top = np.maximum(s1, s2)
    w1, w2 = np.exp(s1 - top), np.exp(s2 - top)
    total = w1 + w2
    lse = top + np.log(total)
    w1, w2 = w1 / total, w2 / total
    log_y = p["alpha_D"] * lse

    def vjp(v):
        return np.column_stack([
            (p["alpha_D"] * w1 * r * v).sum(1),              # log_Nc
            (p["alpha_D"] * w2 * v).sum(1),                  # log_Dc
            (w1 * gap_n * v).sum(1),                         # alpha_N
            ((lse - w1 * r * gap_n) * v).sum(1),             # alpha_D
        ])

    return log_y, vjp


KAPLAN_ND = register(Law(
    name="kaplan_nd", title="Kaplan et al. (2020) joint L(N, D), Eq. 1.5",
    equation=r"L(N, D) = \left[\left(\frac{N_c}{N}\right)^{\alpha_N/\alpha_D} + \frac{D_c}{D}\right]^{\alpha_D}",
    params=("log_Nc", "log_Dc", "alpha_N", "alpha_D"), variables=("N", "D"), log_variables=("N", "D"), space="log",
    prepare=_prepare_nd, evaluate=_evaluate_kaplan_nd,
    start_grid={"log_Nc": (20.0, 25.0, 30.0, 35.0), "log_Dc": (20.0, 25.0, 30.0, 35.0), "alpha_N": (0.03, 0.08, 0.2),
                "alpha_D": (0.03, 0.1, 0.3)},
    bounds={"alpha_N": (1e-4, 5.0), "alpha_D": (1e-4, 5.0)},
    natural=lambda p: {"N_c": np.exp(p["log_Nc"]), "D_c": np.exp(p["log_Dc"]), "alpha_N": p["alpha_N"], "alpha_D": p["alpha_D"]},
))
