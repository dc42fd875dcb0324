"""Clark et al. (2022), unified scaling laws for routed language models: Eq. 1 with the saturating expert count,
the effective parameter count (EPC) and the model size beyond which routing stops helping."""
from __future__ import annotations

import numpy as np

from .core import Law, register

LN10 = np.log(10.0)


# ---------------------------------------------------------------------------------------------
# Clark et al. (2022), Eq. 1, as the authors' example notebook writes it (base-10 logs):
#   log10 L = a log10 N + b log10 E^ + c log10 N log10 E^ + d,
#   1/E^ = 1/(E - 1 + (1/E_start - 1/E_max)^-1) + 1/E_max,
# so E^ = E_start at E = 1 (dense) and E^ -> E_max as E grows. Like the notebook, the fit works with
# e_start = log2 E_start and e_max = log2 E_max; the formula returns the natural log of L.
# ---------------------------------------------------------------------------------------------
def saturated_experts(e_start, e_max, experts):
    """E^ of Eq. 1 for expert counts `experts`, with E_start = 2**e_start and E_max = 2**e_max."""
    inv_start, inv_max = 2.0 ** -e_start, 2.0 ** -e_max
    return 1.0 / (1.0 / (experts - 1.0 + 1.0 / (inv_start - inv_max)) + inv_max)


def _routed_log_loss(p: dict, f: dict):
    log_n = f["logN_row"] / LN10
    log_e = np.log10(saturated_experts(p["e_start"], p["e_max"], f["E"]))
    return LN10 * (p["a"] * log_n + p["b"] * log_e + p["c"] * log_n * log_e + p["d"])


def _natural_routed(p: dict) -> dict:
    return {"a": p["a"], "b": p["b"], "c": p["c"], "d": p["d"],
            "E_start": 2.0 ** p["e_start"], "E_max": 2.0 ** p["e_max"]}


CLARK_ROUTED = register(Law(
    name="clark_routed",
    title="Clark et al. (2022) routed-LM loss in dense size and expert count, Eq. 1",
    equation=(r"\log_{10} L = a \log_{10} N + b \log_{10} \hat E + c \log_{10} N \log_{10} \hat E + d, \quad"
              r"\frac{1}{\hat E} = \frac{1}{E - 1 + \left(\frac{1}{E_{start}} - \frac{1}{E_{max}}\right)^{-1}}"
              r" + \frac{1}{E_{max}}"),
    params=("a", "b", "c", "d", "e_start", "e_max"),
    variables=("N", "E"),
    log_variables=("N",),
    space="log",
    formula=_routed_log_loss,
    # e_max > e_start keeps E^ increasing in E; the box spans 0.25 to 2^7 experts for E_start, 8 to 2^16 for E_max.
    bounds={"e_start": (-2.0, 7.0), "e_max": (3.0, 16.0)},
    start_grid={"a": (-0.15, -0.08, -0.02), "b": (-0.2, -0.1, 0.0), "c": (0.0, 0.01, 0.02),
                "d": (0.8, 1.1, 1.4), "e_start": (0.0, 1.0, 2.0), "e_max": (6.0, 8.0, 10.0)},
    natural=_natural_routed,
    example=({"a": -0.08, "b": -0.11, "c": 0.009, "d": 1.1, "e_start": 0.9, "e_max": 8.3},
             {"N": [1.6e7, 1.3e9, 1.3e8], "E": [1.0, 64.0, 512.0]}),
    source="Eq. 1; the saturating E^ and the log2 parametrisation as in the authors' example notebook",
))


def alpha_of(p: dict, experts_hat):
    """The slope d log10 L / d log10 N = a + c log10 E^ at a given E^ (negative: loss falls with N)."""
    return p["a"] + p["c"] * np.log10(experts_hat)


def effective_params(p: dict, n_params, experts):
    """Eq. 11's effective parameter count: the dense size with the same loss,
    N^(alpha(E^)/alpha(E_start)) (E^/E_start)^(b/alpha(E_start)), with natural constants (E_start, E_max)."""
    e_hat = saturated_experts(np.log2(p["E_start"]), np.log2(p["E_max"]), np.asarray(experts, float))
    a_start = alpha_of(p, p["E_start"])
    return (np.asarray(n_params, float) ** (alpha_of(p, e_hat) / a_start)
            * (e_hat / p["E_start"]) ** (p["b"] / a_start))


def n_cutoff(p: dict):
    """The dense size at which the expert slope b + c log10 N is zero: beyond it routing stops helping."""
    return 10.0 ** (-np.asarray(p["b"], float) / np.asarray(p["c"], float))
