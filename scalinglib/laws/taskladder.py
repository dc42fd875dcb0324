"""Bhagia et al. (2024), task scaling laws from a model ladder: step 1 predicts a task's loss from (N, D), step 2
maps the task loss to accuracy with a sigmoid; chaining them predicts the accuracy of a model not trained yet.
The fitting procedures and the ladder's bookkeeping live in scalinglib.taskladder (above the engine)."""
from __future__ import annotations

import numpy as np

from .core import Law, register


# Step 1 (Eq. 1 of the paper, Sect. 3.1) as the authors' code writes it (chinchilla_n_d_fit):
#   L(N, D) = exp(a - alpha log N) + exp(b - beta log D) + E,   so A = e^a and B = e^b.
def _task_loss(p: dict, f: dict):
    return np.exp(p["a"] - p["alpha"] * f["logN_row"]) + np.exp(p["b"] - p["beta"] * f["logD_row"]) + p["E"]


def _natural_task_loss(p: dict) -> dict:
    return {"A": np.exp(p["a"]), "B": np.exp(p["b"]), "alpha": p["alpha"], "beta": p["beta"], "E": p["E"]}


TASK_LOSS = register(Law(
    name="bhagia_task_loss",
    title="Bhagia et al. (2024) step 1: task loss in model size and tokens",
    equation=r"L(N, D) = \frac{A}{N^{\alpha}} + \frac{B}{D^{\beta}} + E",
    params=("a", "b", "alpha", "beta", "E"),
    variables=("N", "D"),
    log_variables=("N", "D"),
    space="linear",
    formula=_task_loss,
    # the authors' single start (step1.py) and their bounds: every parameter >= 0, so A = e^a >= 1 and B >= 1
    start_grid={"a": (3.0,), "b": (6.0,), "alpha": (0.1,), "beta": (0.2,), "E": (1.0,)},
    bounds={"a": (0.0, np.inf), "b": (0.0, np.inf), "alpha": (0.0, np.inf), "beta": (0.0, np.inf), "E": (0.0, np.inf)},
    natural=_natural_task_loss,
    example=({"a": 3.6, "b": 4.6, "alpha": 0.23, "beta": 0.24, "E": 0.45}, {"N": [1.9e8, 1.3e9, 7e9], "D": [4e9, 2.6e10, 4e12]}),
    source="Eq. 1 (Sect. 3.1); Table 5 (App. A) prints the fitted A, alpha, B, beta, E",
))


# Step 2 (Eq. 2, Sect. 3.2): Acc(L) = a / (1 + exp(-k (L - L0))) + b, with a < 0 (accuracy falls as loss rises).
def _task_accuracy(p: dict, f: dict):
    return p["a"] / (1.0 + np.exp(-p["k"] * (f["L"] - p["L0"]))) + p["b"]


TASK_ACCURACY = register(Law(
    name="bhagia_task_accuracy",
    title="Bhagia et al. (2024) step 2: task accuracy in task loss (a sigmoid)",
    equation=r"\mathrm{Acc}(L) = \frac{a}{1 + e^{-k (L - L_0)}} + b",
    params=("a", "L0", "k", "b"),
    variables=("L",),
    log_variables=(),
    space="linear",
    formula=_task_accuracy,
    # the authors' start for a four-choice task (step2.py: [task_minimum - 1, 0.9, 3, task_maximum]) and bounds
    start_grid={"a": (-0.75,), "L0": (0.9,), "k": (3.0,), "b": (1.0,)},
    bounds={"a": (-1.0, 0.0), "L0": (0.0, np.inf), "k": (0.0, np.inf), "b": (0.0, 1.0)},
    example=({"a": -0.74, "L0": 0.62, "k": 4.83, "b": 1.0}, {"L": [0.5, 0.8, 1.2]}),
    source="Eq. 2 (Sect. 3.2); Table 5 (App. A)",
))
