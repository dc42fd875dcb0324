"""Hoffmann et al. (2022), the Chinchilla parametric loss (Eq. 2, fitted as in App. D.2)."""
from __future__ import annotations

import numpy as np

from .core import Law, arange, register


# ---------------------------------------------------------------------------------------------
# Hoffmann et al. (2022), Eq. 2 in the log-sum-exp parametrisation of App. D.2, Eq. 11:
#   log L = LSE(a - alpha log N, b - beta log D, e),  A, B, E = exp(a), exp(b), exp(e).
# ---------------------------------------------------------------------------------------------
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
    evaluate=_evaluate_chinchilla,
    # App. D.2: 6 x 6 x 5 x 5 x 5 = 4,500 starts.
    start_grid={"a": arange(0, 25, 5), "b": arange(0, 25, 5), "e": arange(-1, 1, 0.5),
                "alpha": arange(0, 2, 0.5), "beta": arange(0, 2, 0.5)},
    natural=_natural_chinchilla,
    example=({"a": 6.0, "b": 6.0, "e": 0.5, "alpha": 0.34, "beta": 0.28},
             {"N": [1e8, 1e9, 1e10], "D": [2e9, 2e10, 2e11]}),
    source="Eq. 2; fitted as in App. D.2 (Eq. 11)",
    objective={"loss": "huber", "delta": 1e-3, "residual_space": "log", "reduction": "sum"},
    objective_source="Hoffmann et al. (2022), Eq. 3 (Sect. 3.3) and App. D.2: Huber, delta 1e-3, on log residuals, "
                     "summed",
))


