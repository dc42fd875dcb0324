"""The two-step task prediction of Bhagia et al. (2024), as the authors' code (allenai/OLMo-ladder) does it:
which point each ladder run gives to each step, the two fits, and the chained prediction.

Step 1 fits the task loss L(N, D) (law `bhagia_task_loss`) to one point per ladder run: the mean task loss of the
run's last `window` checkpoints at the last checkpoint's D. Step 2 fits the accuracy sigmoid (law
`bhagia_task_accuracy`) to every checkpoint of every run after a skip of the first 10% and a trailing moving
average, pooled, plus the ideal point (loss 0, accuracy 1). It sits above the engine (it calls fit).
"""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .fit import FitResult, fit
from .inputs import as_finite_array, require_whole
from .scores import mean_relative_error  # noqa: F401  (the fitting error the authors print)

WINDOW = 5            # --moving_avg 5: checkpoints averaged (step 1) and the moving-average window (step 2)
SKIP_FRACTION = 0.1   # --skip_perc 0.1: the first ceil(0.1 n) checkpoints of each run are left out of step 2
# The authors' weights of the four MMLU test subsets (WEIGHT_BY_KEY in src/scaling/utils.py).
MMLU_WEIGHTS = {"mmlu_stem": 0.215, "mmlu_humanities": 0.335, "mmlu_social_sciences": 0.219, "mmlu_other": 0.231}
# Chance accuracy, only the start of step 2's `a` (v2_minimums_rc; 0.25 for the other tasks).
TASK_MINIMUM = {"piqa": 0.5, "socialiqa": 1 / 3, "csqa": 0.2}
# scipy settings of the authors' two fits (get_coefficients_huber; curve_fit in get_coefficients)
STEP1_OPTIONS = {"ftol": 0.0, "gtol": 1e-10, "maxiter": 1_000_000}
STEP2_OPTIONS = {"max_nfev": 500_000}


def moving_average(values, window: int = WINDOW) -> np.ndarray:
    """Trailing mean over `window` values; the first window - 1 outputs are running means (the code's
    moving_average, so a series keeps its length)."""
    values = as_finite_array("values", values)
    window = require_whole("window", window, 1)
    total = np.cumsum(values)
    out = total / np.arange(1, len(values) + 1)
    if len(values) >= window:
        out[window - 1:] = (total[window - 1:] - np.concatenate([[0.0], total[:-window]])) / window
    return out


def final_point(loss, tokens, window: int = WINDOW) -> tuple[float, float]:
    """A run's step-1 point: (mean task loss of its last `window` checkpoints, D of its last checkpoint)."""
    loss, tokens = as_finite_array("loss", loss), as_finite_array("tokens", tokens)
    if len(loss) != len(tokens) or len(loss) == 0:
        raise InputError(f"arguments 'loss' and 'tokens' must be non-empty and of one length, got {len(loss)} and {len(tokens)}")
    return float(np.mean(loss[-window:])), float(tokens[-1])


def step2_series(loss, accuracy, skip_fraction: float = SKIP_FRACTION, window: int = WINDOW):
    """A ladder run's step-2 points: drop the first ceil(skip_fraction n) checkpoints, then smooth loss and accuracy
    separately with the moving average. Returns (loss, accuracy) arrays."""
    loss, accuracy = as_finite_array("loss", loss), as_finite_array("accuracy", accuracy)
    if len(loss) != len(accuracy):
        raise InputError(f"arguments 'loss' and 'accuracy' must be of one length, got {len(loss)} and {len(accuracy)}")
    if not 0.0 <= skip_fraction < 1.0:
        raise InputError(f"argument 'skip_fraction' must be in [0, 1), got {skip_fraction!r}")
    start = int(np.ceil(skip_fraction * len(loss)))
    return moving_average(loss[start:], window), moving_average(accuracy[start:], window)


def fit_step1(n_params, tokens, loss, starts=None) -> FitResult:
    """Step 1 as the authors fit it: summed Huber (delta 1e-3) on log residuals, scipy's L-BFGS-B with ftol 0 and
    gtol 1e-10 from their single start (or `starts`), every parameter >= 0."""
    return fit("bhagia_task_loss", {"N": n_params, "D": tokens}, loss, starts=starts, loss="huber", delta=1e-3,
               residual_space="log", reduction="sum", optimizer="scipy:L-BFGS-B", options=STEP1_OPTIONS)


def fit_step2(loss, accuracy, task_minimum: float = 0.25, ideal_point: bool = True) -> FitResult:
    """Step 2 as the authors fit it (curve_fit with bounds): least squares on accuracy, trust-region reflective,
    from (task_minimum - 1, 0.9, 3, 1), with the ideal point (loss 0, accuracy 1) appended unless told not to."""
    loss, accuracy = as_finite_array("loss", loss), as_finite_array("accuracy", accuracy)
    if ideal_point:
        loss, accuracy = np.append(loss, 0.0), np.append(accuracy, 1.0)
    if not 0.0 <= task_minimum < 1.0:
        raise InputError(f"argument 'task_minimum' must be a chance accuracy in [0, 1), got {task_minimum!r}")
    start = np.array([[task_minimum - 1.0, 0.9, 3.0, 1.0]])
    return fit("bhagia_task_accuracy", {"L": loss}, accuracy, starts=start, loss="squared", delta=None,
               residual_space="linear", optimizer="scipy:least_squares", options=STEP2_OPTIONS)


def chain(step1: FitResult, step2: FitResult, n_params, tokens) -> tuple[np.ndarray, np.ndarray]:
    """The chained prediction for models of n_params trained on `tokens`: (task loss from step 1, accuracy from
    step 2 at that loss)."""
    loss = step1.predict({"N": np.atleast_1d(n_params), "D": np.atleast_1d(tokens)})
    return loss, step2.predict({"L": loss})
