"""Kaplan et al. (2020), the joint law L(N, D) of Eq. 1.5."""
from __future__ import annotations

import numpy as np

from .core import Law, register


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
    evaluate=_evaluate_kaplan_nd,
    start_grid={"log_Nc": (20.0, 25.0, 30.0, 35.0), "log_Dc": (20.0, 25.0, 30.0, 35.0), "alpha_N": (0.03, 0.08, 0.2),
                "alpha_D": (0.03, 0.1, 0.3)},
    bounds={"alpha_N": (1e-4, 5.0), "alpha_D": (1e-4, 5.0)},
    natural=lambda p: {"N_c": np.exp(p["log_Nc"]), "D_c": np.exp(p["log_Dc"]), "alpha_N": p["alpha_N"], "alpha_D": p["alpha_D"]},
    example=({"log_Nc": 30.0, "log_Dc": 25.0, "alpha_N": 0.076, "alpha_D": 0.095},
             {"N": [1e7, 1e8, 1e9], "D": [1e9, 1e10, 1e11]}),
    source="Eq. 1.5",
))
