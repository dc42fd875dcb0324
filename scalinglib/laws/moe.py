"""Fine-grained mixture-of-experts: parameter and FLOP counts and compute-optimal configurations
(Krajewski et al. 2024, Sect. 5-6 and App. E).

A model has n_blocks = d_model / 64 blocks. With E experts and granularity G (each expert 1/G of a dense
FFN, G experts routed per token):
  total non-embedding parameters  N = d^2 (8E + 4) n_blocks
  active parameters               12 d^2 n_blocks
  training FLOPs per token        (12 d^2 c_f + d E G c_r) n_blocks, c_f = 6, c_r = 14 (Eq. 10, App. E)
The loss law is scalinglib's `krajewski_moe` declaration: L = c + (g / G^gamma + a) N^-alpha + b D^-beta (Eq. 9).
"""
from __future__ import annotations

import numpy as np
from scipy import optimize

from ..errors import InputError
from ..inputs import positive_values
from .core import Law, get_law, register

C_F, C_R = 6.0, 14.0


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
    example=({"c": 0.47, "a": 18.1, "alpha": 0.115, "b": 30.8, "beta": 0.147, "g": 2.1, "gamma": 0.58},
             {"N": [1e8, 1e9, 1e10], "D": [1e9, 1e10, 1e11], "G": [1.0, 4.0, 16.0]}),
    source="Eq. 9",
))




def n_blocks(d_model):
    return np.asarray(d_model, float) / 64.0


def total_params(d_model, experts: float):
    d = np.asarray(d_model, float)
    return d ** 2 * (8.0 * experts + 4.0) * n_blocks(d)


def active_params(d_model):
    d = np.asarray(d_model, float)
    return 12.0 * d ** 2 * n_blocks(d)


def d_model_for_active(active):
    """d_model whose active parameter count is `active` (12 d^3 / 64 = active)."""
    return (np.asarray(active, float) * 64.0 / 12.0) ** (1.0 / 3.0)


def flops_per_token(d_model, experts: float, granularity):
    d = np.asarray(d_model, float)
    return (12.0 * d ** 2 * C_F + d * experts * np.asarray(granularity, float) * C_R) * n_blocks(d)


def _variables(d_model, experts: float, granularity, tokens) -> dict:
    return {"N": np.atleast_1d(total_params(d_model, experts)), "D": np.atleast_1d(np.asarray(tokens, float)),
            "G": np.atleast_1d(np.asarray(granularity, float))}


def moe_loss(params: dict, d_model, experts: float, granularity, tokens):
    """Eq. 9's loss for models of width d_model with E experts and granularity G, trained on `tokens`."""
    return get_law("krajewski_moe").predict(params, _variables(d_model, experts, granularity, tokens))


def optimal_config(params: dict, flops: float, experts: float = 64, granularities=None,
                   d_range=(64.0, 65536.0)) -> dict:
    """The (d_model, G, D) minimising the loss at a training budget of `flops` FLOPs: for each G, Brent's
    method over log d_model with D = flops / flops_per_token; then the best G."""
    if not flops > 0:
        raise InputError(f"argument flops must be > 0, got {flops}")
    granularities = [2 ** i for i in range(9)] if granularities is None else list(granularities)
    law = get_law("krajewski_moe")
    positive_values("granularities", granularities)
    moe_loss(params, d_range[0], experts, granularities[0], flops / flops_per_token(d_range[0], experts, granularities[0]))
    theta = law.theta(params)      # checked once above; the search below only ever passes positive values
    best = None
    per_g = []
    for g in granularities:
        def loss_of(log_d, g=g):
            d = np.exp(log_d)
            x = _variables(d, experts, g, flops / flops_per_token(d, experts, g))
            return float(law.predict_unchecked(theta, x)[0])
        res = optimize.minimize_scalar(loss_of, bounds=np.log(d_range), method="bounded",
                                       options={"xatol": 1e-9})
        d = float(np.exp(res.x))
        row = {"G": g, "d_model": d, "loss": float(res.fun), "tokens": flops / float(flops_per_token(d, experts, g)),
               "active_params": float(active_params(d)), "total_params": float(total_params(d, experts)),
               "at_bound": bool(np.isclose(res.x, np.log(d_range)).any())}
        per_g.append(row)
        if best is None or row["loss"] < best["loss"]:
            best = row
    return {**best, "flops": flops, "experts": experts, "per_granularity": per_g}


def dense_optimal(params: dict, flops: float) -> dict:
    """Compute-optimal dense model for the dense law L = c + a N^-alpha + b D^-beta with C = 6 N D."""
    def loss_of(log_n):
        n = np.exp(log_n)
        return params["c"] + params["a"] * n ** -params["alpha"] + params["b"] * (flops / (6 * n)) ** -params["beta"]
    res = optimize.minimize_scalar(loss_of, bounds=(np.log(1e5), np.log(1e15)), method="bounded",
                                   options={"xatol": 1e-10})
    n = float(np.exp(res.x))
    return {"params": n, "tokens": flops / (6 * n), "loss": float(res.fun), "flops": flops}


def flops_for_loss(loss_at_flops, target: float, lo: float = 1e15, hi: float = 1e30) -> float:
    """Smallest budget at which a compute-optimal loss curve reaches `target` (bisection in log FLOPs)."""
    f_lo, f_hi = loss_at_flops(lo) - target, loss_at_flops(hi) - target
    if f_lo < 0 or f_hi > 0:
        raise InputError(f"loss {target} is not reached between {lo:g} and {hi:g} FLOPs")
    return float(np.exp(optimize.brentq(lambda lf: loss_at_flops(np.exp(lf)) - target, np.log(lo), np.log(hi),
                                        xtol=1e-10)))
