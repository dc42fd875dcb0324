"""Gadre et al. (2024), over-training and downstream error: the loss law in the token multiplier M = D/N (Eq. 4),
the error law in the loss (Eq. 5), the compute-optimal multiplier, and the authors' own fitting procedure."""
from __future__ import annotations

import itertools
import warnings

import numpy as np

from ..errors import FitFailed
from .core import Law, register


# ---------------------------------------------------------------------------------------------
# Eq. 4 as the authors' code writes it (`powlaw_ours` in scaling/laws.py):
#   L = A N^b + beta 6^(b/2) (M N)^b + E,
# which is Chinchilla's E + A N^-alpha + B D^-alpha with alpha = beta-exponent = -b; in the paper's notation
# L(C, M) = E + (a M^eta + b_paper M^-eta) C^-eta with eta = -b/2, a = A 6^eta and b_paper = beta.
# ---------------------------------------------------------------------------------------------
def _overtraining_loss(p: dict, f: dict):
    n, m = f["N"], f["M"]
    return p["A"] * n ** p["b"] + p["beta"] * 6.0 ** (p["b"] / 2) * (m * n) ** p["b"] + p["E"]


def _natural_overtraining(p: dict) -> dict:
    eta = -np.asarray(p["b"], float) / 2
    return {"E": p["E"], "a": p["A"] * 6.0 ** eta, "b": p["beta"], "eta": eta}


# The start grid of the authors' code (curve_fit_powlaw_ours): 4 x 4 x 2 x 4 = 128 starts.
AUTHORS_GRID = {"A": (1e2, 3e2, 1e3, 3e3), "beta": (1e2, 3e2, 1e3, 3e3), "b": (-0.1, -0.3), "E": (0.0, 1.0, 2.0, 10.0)}

GADRE_LOSS = register(Law(
    name="gadre_overtraining",
    title="Gadre et al. (2024) loss in model size and token multiplier, Eq. 4",
    equation=r"L(C, M) = E + \left(a M^{\eta} + b M^{-\eta}\right) C^{-\eta}, \quad C = 6ND,\ M = D/N",
    params=("A", "beta", "b", "E"),
    variables=("N", "M"),
    log_variables=(),
    space="linear",
    formula=_overtraining_loss,
    start_grid=AUTHORS_GRID,
    natural=_natural_overtraining,
    example=({"A": 300.0, "beta": 400.0, "b": -0.27, "E": 1.8}, {"N": [1e7, 1e8, 4e8], "M": [20.0, 320.0, 20.0]}),
    source="Eq. 4 (Sect. 2.2, App. B), in the parametrisation of the authors' code",
))


# Eq. 5: Err(L) = epsilon - k exp(-gamma L), the average top-1 error as a function of the loss.
def _error_law(p: dict, f: dict):
    return p["epsilon"] - p["k"] * np.exp(-p["gamma"] * f["L"])


GADRE_ERROR = register(Law(
    name="gadre_error",
    title="Gadre et al. (2024) downstream error in the loss, Eq. 5",
    equation=r"\mathrm{Err}(L) = \epsilon - k \exp(-\gamma L)",
    params=("epsilon", "k", "gamma"),
    variables=("L",),
    log_variables=(),
    space="linear",
    formula=_error_law,
    start_grid={"epsilon": (0.5, 1.0), "k": (1.0, 3.0), "gamma": (0.3, 1.0)},
    example=({"epsilon": 0.85, "k": 2.1, "gamma": 0.75}, {"L": [2.5, 3.0, 4.0]}),
    source="Eq. 5 (Sect. 2.3)",
))


def optimal_multiplier(natural: dict):
    """The compute-optimal token multiplier of Eq. 4, M* = (b / a)^(1 / (2 eta)) (App. F, Eqs. 9-10); NaN where the
    constants leave no interior optimum (b / a <= 0 or eta <= 0)."""
    a, b, eta = (np.asarray(natural[k], float) for k in ("a", "b", "eta"))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((b / a > 0) & (eta > 0), np.abs(b / a) ** (1 / (2 * eta)), np.nan)


def fit_as_the_authors(n_params, multiplier, loss) -> dict:
    """The authors' own fit of Eq. 4 (curve_fit_powlaw_ours): scipy curve_fit (Levenberg-Marquardt on raw-loss
    squared residuals, maxfev 10,000) from each of the 128 grid starts, keeping the smallest sqrt(SSR / (n - 2)).
    Returns the code's parameters (A, beta, b, E), the number of starts that converged and the best score."""
    from scipy.optimize import OptimizeWarning, curve_fit

    n_params, multiplier, loss = (np.asarray(v, float) for v in (n_params, multiplier, loss))

    def law(x, A, beta, b, E):      # curve_fit's calling convention around the registered formula
        return _overtraining_loss({"A": A, "beta": beta, "b": b, "E": E}, {"N": x[0], "M": x[1]})

    best, converged = None, 0
    for start in itertools.product(*AUTHORS_GRID.values()):
        try:
            with warnings.catch_warnings():   # the covariance it warns about is never used (nor by the authors)
                warnings.simplefilter("ignore", OptimizeWarning)
                p, _ = curve_fit(law, (n_params, multiplier), loss, p0=start, maxfev=10000)
        except RuntimeError:        # curve_fit gives up: as in the authors' loop, that start is skipped
            continue
        converged += 1
        score = float(np.sqrt(np.sum((law((n_params, multiplier), *p) - loss) ** 2) / (loss.size - 2)))
        if best is None or score < best[0]:
            best = (score, p)
    if best is None:
        raise FitFailed("fit_as_the_authors: curve_fit failed from every one of the 128 starts")
    return {"params": dict(zip(GADRE_LOSS.params, map(float, best[1]))), "score": best[0], "converged": converged}


def error_fit_as_the_authors(loss, error) -> dict:
    """The authors' fit of Eq. 5 (decay_ours): one curve_fit call from p0 = (1, 1, 1), maxfev 10,000."""
    from scipy.optimize import curve_fit

    def law(x, epsilon, k, gamma):  # curve_fit's calling convention around the registered formula
        return _error_law({"epsilon": epsilon, "k": k, "gamma": gamma}, {"L": x})

    p, _ = curve_fit(law, np.asarray(loss, float), np.asarray(error, float), p0=(1.0, 1.0, 1.0), maxfev=10000)
    return dict(zip(GADRE_ERROR.params, map(float, p)))
