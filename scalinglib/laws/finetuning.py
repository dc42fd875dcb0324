"""Lin et al. (2024), fine-tuning loss against the number of fine-tuning examples D, the two forms the paper compares
(survey Eq. 9 and the "vanilla" law of its Eq. 5), in log parameters so the engine's bounds keep them positive:

- rectified: L(D) = B / (D_l + D^beta) + E, with a "pre-learned data size" D_l (in units of D^beta), as the
  authors' code fits it (no exponent; the project page writes the form raised to alpha: `lin_rectified_alpha`);
- vanilla: L(D) = (B / D^beta + E)^alpha.

The authors' own procedures (different objectives and starts for the two laws) are in scalinglib.finetuning.
"""
from __future__ import annotations

import numpy as np

from .core import Law, register


def _rectified(p, f):
    return np.exp(p["b"]) / (np.exp(p["l"]) + np.exp(p["beta"] * f["logD_row"])) + np.exp(p["e"])


def _natural_rectified(p):
    return {"B": np.exp(p["b"]), "D_l": np.exp(p["l"]), "beta": p["beta"], "E": np.exp(p["e"]),
            "D_l in examples": np.exp(p["l"] / p["beta"])}


BOUNDS = {"beta": (1e-3, 5.0), "alpha": (1e-3, 20.0)}

RECTIFIED = register(Law(
    name="lin_rectified",
    title="Lin et al. (2024) rectified fine-tuning law (as the authors' code fits it)",
    equation=r"L(D) = \frac{B}{D_l + D^{\beta}} + E",
    params=("b", "l", "beta", "e"),
    variables=("D",),
    log_variables=("D",),
    space="linear",
    formula=_rectified,
    start_grid={"b": (0.0, 3.0, 6.0), "l": (0.0, 3.0, 6.0), "beta": (0.2, 0.5, 1.0), "e": (-1.0, 0.0, 0.5)},
    bounds={"beta": BOUNDS["beta"], "b": (-20.0, 40.0), "l": (-20.0, 40.0), "e": (-10.0, 3.0)},
    natural=_natural_rectified,
    example=({"b": 2.0, "l": 1.5, "beta": 0.4, "e": 0.3}, {"D": [200.0, 3200.0, 1.6e6]}),
    source="survey Eq. 9; Lin et al. 2024, Eq. 7 as the code (src/fit_law.py) writes it",
))


def _rectified_alpha(p, f):
    return _rectified(p, f) ** p["alpha"]


RECTIFIED_ALPHA = register(Law(
    name="lin_rectified_alpha",
    title="Lin et al. (2024) rectified law with the exponent alpha the project page shows",
    equation=r"L(D) = \left(\frac{B}{D_l + D^{\beta}} + E\right)^{\alpha}",
    params=("b", "l", "beta", "e", "alpha"),
    variables=("D",),
    log_variables=("D",),
    space="linear",
    formula=_rectified_alpha,
    start_grid={**RECTIFIED.start_grid, "alpha": (0.5, 1.0, 2.0)},
    bounds={**RECTIFIED.bounds, "alpha": BOUNDS["alpha"]},
    natural=lambda p: {**_natural_rectified(p), "alpha": p["alpha"]},
    example=({"b": 2.0, "l": 1.5, "beta": 0.4, "e": 0.3, "alpha": 1.2}, {"D": [200.0, 3200.0, 1.6e6]}),
    source="Lin et al. 2024, Eq. 7 as the project page shows it (rectified-scaling-law.github.io)",
))


def _vanilla(p, f):
    return (np.exp(p["b"] - p["beta"] * f["logD_row"]) + np.exp(p["e"])) ** p["alpha"]


VANILLA = register(Law(
    name="lin_vanilla",
    title="Lin et al. (2024) vanilla fine-tuning law (their Eq. 5)",
    equation=r"L(D) = \left(\frac{B}{D^{\beta}} + E\right)^{\alpha}",
    params=("b", "beta", "e", "alpha"),
    variables=("D",),
    log_variables=("D",),
    space="linear",
    formula=_vanilla,
    start_grid={"b": (0.0, 2.0, 5.0), "beta": (0.2, 0.5, 1.0), "e": (-1.0, 0.0, 0.5), "alpha": (0.5, 1.0, 2.0)},
    bounds={"beta": BOUNDS["beta"], "alpha": BOUNDS["alpha"], "b": (-20.0, 40.0), "e": (-10.0, 3.0)},
    natural=lambda p: {"B": np.exp(p["b"]), "beta": p["beta"], "E": np.exp(p["e"]), "alpha": p["alpha"]},
    example=({"b": 1.0, "beta": 0.3, "e": 0.2, "alpha": 1.1}, {"D": [200.0, 3200.0, 1.6e6]}),
    source="Lin et al. 2024, Eq. 5 (project page); src/fit_law.py vanilla_law_transform with B_page = 1/B_code",
))
