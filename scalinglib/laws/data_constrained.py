"""Muennighoff et al. (2023), the data-constrained scaling law (effective data and parameters)."""
from __future__ import annotations

import numpy as np

from .core import Law, register


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
    # The authors' README constants; the variables span no repetition, repetition in D, and excess parameters.
    example=({"a": 6.255, "b": 7.304, "e": 0.6008, "alpha": 0.3526, "beta": 0.3526, "rd_star": 15.4, "rn_star": 5.3},
             {"N": [1e8, 1e9, 9e9], "D": [1e9, 4e10, 4e10], "U": [1e9, 1e10, 1e10]}),
    source="Eqs. 5-6 (Sect. 3.1) and App. A",
    objective={"loss": "huber", "delta": 1e-3, "residual_space": "log", "reduction": "sum"},
    objective_source="Muennighoff et al. (2023), fitted as Hoffmann et al. (their notebook, cells 7 and 29): Huber, "
                     "delta 1e-3, on log residuals, summed",
))



