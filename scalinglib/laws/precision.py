"""Scaling laws for precision (Kumar et al. 2024): effective parameters under low-precision training,
post-training-quantisation (PTQ) degradation, the cost model, and compute-optimal precision.

Appendix K says each exponential e^(x/gamma) in the fits carries an offset ("bias") n. Whether it enters as
e^(-P/gamma + n) ("add") or e^(-(P/gamma + n)) ("subtract") is not clear from the copy of the paper we read,
so every function takes the convention explicitly; the chapter shows which one reproduces the paper's claims.
"""
from __future__ import annotations

import numpy as np
from scipy import optimize

from ..errors import InputError
from .core import Law, register

CONVENTIONS = ("add", "subtract")
COST_FACTOR = 6.0 / 16.0        # Eq. 5: C = (6/16) N D P, P in bits


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
    example=({"A": 4.299e3, "B": 1.806e4, "E": 2.7648, "alpha": 0.4965, "gamma_w": 2.6745, "n_w": 0.3037},
             {"N": [3e7, 2.2e8, 1e9], "D": [1.5e9, 2.6e10, 1e11], "P": [4.0, 8.0, 16.0]}),
    source="Eq. 3 with the App. K offset",
))




def _exponent(p, gamma, offset, convention):
    if convention not in CONVENTIONS:
        raise InputError(f"argument convention must be one of {CONVENTIONS}, got {convention!r}")
    p = np.asarray(p, float)
    return -p / gamma + offset if convention == "add" else -(p / gamma + offset)


def precision_factor(p, gamma, offset, convention):
    """1 - e^(-P/gamma +- n): the share of parameters that a precision of P bits keeps (Eqs. 3-4).
    Where it is <= 0 the precision is below what the fit can describe; callers treat that as invalid."""
    return 1.0 - np.exp(_exponent(p, gamma, offset, convention))


def effective_params(n, precisions: dict, constants: dict, convention: str):
    """N_eff = N prod_x (1 - e^(-P_x/gamma_x +- n_x)) over x in precisions (keys 'w', 'a', 'kv'); NaN where
    any factor is <= 0."""
    out = np.asarray(n, float) * 1.0
    valid = np.ones(np.broadcast(out, *[np.asarray(p) for p in precisions.values()]).shape, bool)
    for x, p in precisions.items():
        factor = precision_factor(p, constants[f"gamma_{x}"], constants[f"n_{x}"], convention)
        valid &= factor > 0
        out = out * factor
    return np.where(valid, out, np.nan)


def base_loss(n_eff, d, c: dict):
    """L = A N_eff^-alpha + B D^-beta + E (Eq. 3 with alpha = beta tied, App. K)."""
    return c["A"] * np.asarray(n_eff, float) ** -c["alpha"] + c["B"] * np.asarray(d, float) ** -c["beta"] + c["E"]


def delta_ptq(n, d, p_post, c: dict, convention: str):
    """Eq. 2: C_T D^gamma_D / N^gamma_N e^(-P_post/gamma_post +- b)."""
    return (c["C_T"] * np.asarray(d, float) ** c["gamma_D"] / np.asarray(n, float) ** c["gamma_N"]
            * np.exp(_exponent(p_post, c["gamma_post"], c["b_post"], convention)))


def ptq_turning_point(n, p_post, c: dict, convention: str):
    """The D at which loss after PTQ, B D^-beta + delta_PTQ(D) (+ terms free of D), stops falling:
    beta B D^-beta = gamma_D delta_PTQ(D), solved in closed form."""
    k = c["C_T"] * np.asarray(n, float) ** -c["gamma_N"] * np.exp(_exponent(p_post, c["gamma_post"], c["b_post"], convention))
    return (c["beta"] * c["B"] / (c["gamma_D"] * k)) ** (1.0 / (c["gamma_D"] + c["beta"]))


def cost(n, d, p):
    return COST_FACTOR * np.asarray(n, float) * np.asarray(d, float) * np.asarray(p, float)


def optimal_precision_joint(c: dict, convention: str, parts=("w", "a", "kv"), bounds=(1.0, 32.0)):
    """P* when N, D and one training precision P (for all `parts`) are optimised together at fixed cost.
    With alpha = beta the optimum over N leaves L - E proportional to (P / f(P))^(alpha/2) C^(-alpha/2), so
    P* minimises P / f(P), with f the product of precision factors, whatever the budget."""
    if abs(c["alpha"] - c["beta"]) > 1e-12:
        raise InputError("optimal_precision_joint needs alpha = beta (the paper ties them)")
    def objective(p):
        f = np.prod([precision_factor(p, c[f"gamma_{x}"], c[f"n_{x}"], convention) for x in parts])
        ok = all(precision_factor(p, c[f"gamma_{x}"], c[f"n_{x}"], convention) > 0 for x in parts)
        return p / f if ok else np.inf
    grid = np.linspace(bounds[0], bounds[1], 3101)
    values = np.array([objective(p) for p in grid])
    i = int(np.argmin(values))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    res = optimize.minimize_scalar(objective, bounds=(lo, hi), method="bounded", options={"xatol": 1e-9})
    p_star = float(res.x)
    return {"P*": p_star, "at_bound": bool(np.isclose(p_star, bounds[0], atol=1e-3) or np.isclose(p_star, bounds[1], atol=1e-3))}


def optimal_config_at_budget(c: dict, budget: float, convention: str, parts=("w", "a", "kv")):
    """Numerical optimum of the loss over (log N, P) at a cost budget, D = C / ((6/16) N P): a check of the
    closed form above, and the route for alpha != beta."""
    def loss(v):
        n, p = np.exp(v[0]), v[1]
        n_eff = effective_params(n, {x: p for x in parts}, c, convention)
        if not np.isfinite(n_eff) or n_eff <= 0:
            return 1e6
        return float(base_loss(n_eff, budget / (COST_FACTOR * n * p), c))
    starts = [(np.log(n0), p0) for n0 in (1e8, 1e10, 1e12) for p0 in (6.0, 10.0, 16.0)]
    best = min((optimize.minimize(loss, s, method="Nelder-Mead", options={"xatol": 1e-9, "fatol": 1e-14,
                                                                         "maxiter": 20000}) for s in starts),
               key=lambda r: r.fun)
    n, p = float(np.exp(best.x[0])), float(best.x[1])
    return {"N": n, "P": p, "D": budget / (COST_FACTOR * n * p), "loss": float(best.fun)}


def optimal_precision_fixed_n(c: dict, n: float, budget: float, convention: str, parts=("w", "a", "kv"),
                              bounds=(1.0, 32.0)):
    """P* for a model of fixed size N at a cost budget (D = C / ((6/16) N P)): more budget means more data."""
    def loss(p):
        n_eff = effective_params(n, {x: p for x in parts}, c, convention)
        return float(base_loss(n_eff, budget / (COST_FACTOR * n * p), c)) if np.isfinite(n_eff) else np.inf
    grid = np.linspace(bounds[0], bounds[1], 3101)
    i = int(np.argmin([loss(p) for p in grid]))
    res = optimize.minimize_scalar(loss, bounds=(grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]),
                                   method="bounded", options={"xatol": 1e-9})
    p = float(res.x)
    return {"P*": p, "D": budget / (COST_FACTOR * n * p), "loss": float(res.fun)}
