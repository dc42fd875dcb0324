"""Choshen, Zhang and Andreas (2024), "A Hitchhiker's Guide to Scaling Law Estimation": Chinchilla's form as their
code evaluates it (fitting_funcs.chinchilla_power_law_fit). The procedure around it is scalinglib.estimation."""
from __future__ import annotations

import numpy as np

from .chinchilla import _natural_chinchilla
from .core import Law, register


# ---------------------------------------------------------------------------------------------
# L = e^e + e^a / N^alpha + e^b / D^beta, evaluated in linear space. The same law as `chinchilla` (Eq. 2 in
# the log parametrisation), but that declaration evaluates log L by log-sum-exp: on the authors' ill-conditioned
# few-checkpoint fits the rounding of the two evaluations steers curve_fit's finite-difference steps apart
# (ARE cells differ by up to 1.5 points), so a re-run of their fits evaluates the law as they did.
# ---------------------------------------------------------------------------------------------
def _chinchilla_linear(p: dict, f: dict):
    with np.errstate(over="ignore"):     # a step to a huge exponent gives inf, which the optimiser rejects
        return np.exp(p["e"]) + np.exp(p["a"]) / f["N"] ** p["alpha"] + np.exp(p["b"]) / f["D"] ** p["beta"]


CHINCHILLA_LINEAR = register(Law(
    name="chinchilla_linear",
    title="Chinchilla's form as Choshen et al. (2024) evaluate it (linear space)",
    equation=r"L(N, D) = e^{e} + \frac{e^{a}}{N^{\alpha}} + \frac{e^{b}}{D^{\beta}}",
    params=("a", "b", "e", "alpha", "beta"),
    variables=("N", "D"),
    log_variables=("N", "D"),
    space="linear",
    formula=_chinchilla_linear,
    # the fits start from Muennighoff et al.'s constants (scalinglib.estimation.START); this grid is for others
    start_grid={"a": (4.0, 6.0, 8.0), "b": (5.0, 7.0, 9.0), "e": (0.0, 0.6), "alpha": (0.2, 0.35),
                "beta": (0.2, 0.35)},
    natural=_natural_chinchilla,
    example=({"a": 6.255414, "b": 7.3049974, "e": 0.6254804, "alpha": 0.3526596, "beta": 0.3526596},
             {"N": [1e8, 1e9, 1e10], "D": [2e9, 2e10, 2e11]}),
    source="Eq. 1 (Sect. 2); fitting_funcs.chinchilla_power_law_fit in IBM/ColPret",
))
