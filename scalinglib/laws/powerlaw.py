"""A plain power law, the simplest scaling law and the first baseline of every benchmark."""
from __future__ import annotations

import numpy as np

from .core import Law, register


# ---------------------------------------------------------------------------------------------
# A plain power law y = A x^b, fitted in log space: log y = log_A + b log x (with log residuals and
# the squared loss this is ordinary least squares in log-log coordinates).
# ---------------------------------------------------------------------------------------------
def _evaluate_power_law(p: dict, f: dict):
    log_y = p["log_A"] + p["b"] * f["logx_row"]

    def vjp(v):
        return np.column_stack([v.sum(1), v @ f["logx"]])

    return log_y, vjp


POWER_LAW = register(Law(
    name="power_law",
    title="Power law y = A x^b",
    equation=r"y = A\,x^{b}",
    params=("log_A", "b"),
    variables=("x",),
    log_variables=("x",),
    space="log",
    evaluate=_evaluate_power_law,
    start_grid={"log_A": (-5.0, 0.0, 5.0), "b": (-1.0, -0.3, 0.3, 1.0)},
    natural=lambda p: {"A": np.exp(p["log_A"]), "b": p["b"]},
    example=({"log_A": 1.0, "b": -0.3}, {"x": [1.0, 10.0, 100.0]}),
))



