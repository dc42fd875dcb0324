"""Scores of a prediction against what was measured, shared by the procedures that re-run a paper's evaluation."""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .inputs import as_finite_array


def mean_relative_error(predicted, actual) -> float:
    """mean |actual - predicted| / actual, as a fraction: Bhagia et al.'s printed fitting error and Choshen et al.'s
    ARE. The two arrays must have one shape: a silent broadcast would score the wrong pairs."""
    predicted, actual = as_finite_array("predicted", predicted), as_finite_array("actual", actual)
    if predicted.shape != actual.shape or actual.size == 0:
        raise InputError(f"arguments 'predicted' and 'actual' must be non-empty and of one shape, got "
                         f"{predicted.shape} and {actual.shape}")
    return float(np.mean(np.abs(actual - predicted) / actual))
