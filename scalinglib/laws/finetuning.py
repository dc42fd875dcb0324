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


# Hand-written gradients: the chapter fits each law to 90 curves from 81 starts at once, several times, and the
# derived (complex-step) gradient cost about three times as much (measured: 18.5 s against 6.4 s for the vanilla
# law's 7,290 rows on 2 cores). All three read only the row features, so they can also be stacked.
def _rectified_parts(p, f):
    """B / (D_l + D^beta) + E and what its gradient needs."""
    big_b, d_l, power = np.exp(p["b"]), np.exp(p["l"]), np.exp(p["beta"] * f["logD_row"])
    total = d_l + power
    term = big_b / total
    big_e = np.exp(p["e"])
    return term + big_e, (term, total, d_l, power, big_e)


def _rectified_columns(v, parts, log_d):
    """d/d(b, l, beta, e) of the rectified law, contracted with v (the rows' sums)."""
    term, total, d_l, power, big_e = parts
    tv = term * v
    share = tv / total
    return [tv.sum(1), -(share * d_l).sum(1), -(share * power * log_d).sum(1), big_e[:, 0] * v.sum(1)]


def _evaluate_rectified(p, f):
    y, parts = _rectified_parts(p, f)
    return y, lambda v: np.column_stack(_rectified_columns(v, parts, f["logD_row"]))


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
    evaluate=_evaluate_rectified,
    row_features=True,
    start_grid={"b": (0.0, 3.0, 6.0), "l": (0.0, 3.0, 6.0), "beta": (0.2, 0.5, 1.0), "e": (-1.0, 0.0, 0.5)},
    bounds={"beta": BOUNDS["beta"], "b": (-20.0, 40.0), "l": (-20.0, 40.0), "e": (-10.0, 3.0)},
    natural=_natural_rectified,
    example=({"b": 2.0, "l": 1.5, "beta": 0.4, "e": 0.3}, {"D": [200.0, 3200.0, 1.6e6]}),
    source="survey Eq. 9; Lin et al. 2024, Eq. 7 as the code (src/fit_law.py) writes it",
))


def _evaluate_rectified_alpha(p, f):
    r, parts = _rectified_parts(p, f)
    y = r ** p["alpha"]
    scale = p["alpha"] * y / r                    # d y / d r
    log_r = np.log(r)

    def vjp(v):
        return np.column_stack([*_rectified_columns(scale * v, parts, f["logD_row"]), (y * log_r * v).sum(1)])
    return y, vjp


RECTIFIED_ALPHA = register(Law(
    name="lin_rectified_alpha",
    title="Lin et al. (2024) rectified law with the exponent alpha the project page shows",
    equation=r"L(D) = \left(\frac{B}{D_l + D^{\beta}} + E\right)^{\alpha}",
    params=("b", "l", "beta", "e", "alpha"),
    variables=("D",),
    log_variables=("D",),
    space="linear",
    evaluate=_evaluate_rectified_alpha,
    row_features=True,
    start_grid={**RECTIFIED.start_grid, "alpha": (0.5, 1.0, 2.0)},
    bounds={**RECTIFIED.bounds, "alpha": BOUNDS["alpha"]},
    natural=lambda p: {**_natural_rectified(p), "alpha": p["alpha"]},
    example=({"b": 2.0, "l": 1.5, "beta": 0.4, "e": 0.3, "alpha": 1.2}, {"D": [200.0, 3200.0, 1.6e6]}),
    source="Lin et al. 2024, Eq. 7 as the project page shows it (rectified-scaling-law.github.io)",
))


def _evaluate_vanilla(p, f):
    power, big_e = np.exp(p["b"] - p["beta"] * f["logD_row"]), np.exp(p["e"])
    base = power + big_e
    y = base ** p["alpha"]
    scale = p["alpha"] * y / base                 # d y / d base
    log_base = np.log(base)

    def vjp(v):
        sv = scale * v
        su = sv * power
        return np.column_stack([su.sum(1), -(su * f["logD_row"]).sum(1), big_e[:, 0] * sv.sum(1),
                                (y * log_base * v).sum(1)])
    return y, vjp


VANILLA = register(Law(
    name="lin_vanilla",
    title="Lin et al. (2024) vanilla fine-tuning law (their Eq. 5)",
    equation=r"L(D) = \left(\frac{B}{D^{\beta}} + E\right)^{\alpha}",
    params=("b", "beta", "e", "alpha"),
    variables=("D",),
    log_variables=("D",),
    space="linear",
    evaluate=_evaluate_vanilla,
    row_features=True,
    start_grid={"b": (0.0, 2.0, 5.0), "beta": (0.2, 0.5, 1.0), "e": (-1.0, 0.0, 0.5), "alpha": (0.5, 1.0, 2.0)},
    bounds={"beta": BOUNDS["beta"], "alpha": BOUNDS["alpha"], "b": (-20.0, 40.0), "e": (-10.0, 3.0)},
    natural=lambda p: {"B": np.exp(p["b"]), "beta": p["beta"], "E": np.exp(p["e"]), "alpha": p["alpha"]},
    example=({"b": 1.0, "beta": 0.3, "e": 0.2, "alpha": 1.1}, {"D": [200.0, 3200.0, 1.6e6]}),
    source="Lin et al. 2024, Eq. 5 (project page); src/fit_law.py vanilla_law_transform with B_page = 1/B_code",
))
