"""Unbiased pass@k and coverage (Chen et al. 2021; Brown et al. 2024, Eq. 1).

With n samples of which c are correct, the chance that k samples drawn without replacement contain a
correct one is pass@k = 1 - C(n-c, k) / C(n, k) = 1 - prod_{j=n-c+1}^{n} (1 - k/j), and 1 when n - c < k.
The product is taken in log space, log1p(-k/j) summed, so it is exact to rounding for n = 10,000 and any
k <= n; raw binomial coefficients would overflow. Coverage at k is the mean of pass@k over problems.
"""
from __future__ import annotations

import numpy as np
from scipy import optimize, special, stats

from .errors import InputError
from .fit import fit
from .uncertainty import resample_weights


def _counts(name: str, values) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise InputError(f"argument {name} must be one-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise InputError(f"argument {name} is empty")
    if not np.issubdtype(arr.dtype, np.number) or not np.all(np.isfinite(arr)):
        raise InputError(f"argument {name} must hold finite numbers")
    if np.any(arr != np.round(arr)) or np.any(arr < 0):
        bad = np.flatnonzero((arr != np.round(arr)) | (arr < 0))[:5].tolist()
        raise InputError(f"argument {name} must hold non-negative whole numbers; positions {bad} do not")
    return arr.astype(np.int64)


def pass_at_k(n_samples: int, n_correct, ks) -> np.ndarray:
    """Unbiased pass@k, shape (problems, len(ks)), for problems with n_correct[i] correct of n_samples."""
    if isinstance(n_samples, (bool, np.bool_)) or not isinstance(n_samples, (int, np.integer, float, np.floating)) \
            or not np.isfinite(n_samples) or n_samples != int(n_samples) or n_samples < 1:
        raise InputError(f"argument n_samples must be a whole number >= 1, got {n_samples!r}")
    n = int(n_samples)
    c = _counts("n_correct", n_correct)
    k = _counts("ks", np.atleast_1d(ks))
    if np.any(c > n):
        raise InputError(f"argument n_correct: more correct samples than the {n} drawn at positions "
                         f"{np.flatnonzero(c > n)[:5].tolist()}")
    if np.any(k < 1):
        raise InputError(f"argument ks must be >= 1; got {k[k < 1][:5].tolist()}")
    if np.any(k > n):
        raise InputError(f"argument ks: k = {int(k[k > n][0])} exceeds the {n} samples per problem; pass@k is "
                         f"estimated only for k <= n")
    j = np.arange(1, n + 1, dtype=float)
    # cum[q, m] = sum_{j <= m} log1p(-k_q / j) over j > k_q (terms with j <= k_q only occur when n - c < k).
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(j[None, :] > k[:, None], np.log1p(-k[:, None] / j[None, :]), 0.0)
    cum = np.concatenate([np.zeros((k.size, 1)), np.cumsum(terms, axis=1)], axis=1)   # cum[:, m], m = 0..n
    log_fail = cum[:, n][None, :] - cum[:, n - c].T                                    # sum over j = n-c+1..n
    out = 1.0 - np.exp(log_fail)
    out[(n - c)[:, None] < k[None, :]] = 1.0
    return out


def coverage(n_samples: int, n_correct, ks) -> np.ndarray:
    """Fraction of problems solved by at least one of k samples: the mean of pass@k over problems."""
    return pass_at_k(n_samples, n_correct, ks).mean(axis=0)


def fit_beta_binomial(n_samples: int, n_correct) -> tuple[float, float]:
    """Maximum-likelihood (alpha, beta) of a Beta distribution of per-problem success rates p, from
    counts c_i ~ Binomial(n, p_i) with p_i ~ Beta(alpha, beta). Unlike a Beta fitted to c/n, this keeps
    the problems never solved (c = 0) in the likelihood."""
    c = _counts("n_correct", n_correct)
    if c.size < 2:
        raise InputError("argument n_correct needs at least two problems to fit two parameters")

    def nll(log_ab):
        a, b = np.exp(log_ab)
        return -stats.betabinom.logpmf(c, n_samples, a, b).sum()

    res = optimize.minimize(nll, x0=np.log([0.5, 5.0]), method="Nelder-Mead",
                            options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000})
    if not res.success:
        raise InputError(f"beta-binomial fit did not converge: {res.message}")
    a, b = np.exp(res.x)
    return float(a), float(b)


def beta_coverage(alpha: float, beta: float, ks) -> np.ndarray:
    """Coverage implied by p ~ Beta(alpha, beta): 1 - E[(1-p)^k] = 1 - B(alpha, beta + k) / B(alpha, beta).
    For large k, 1 - coverage falls like Gamma(alpha + beta) / Gamma(beta) * k^-alpha: a power law in k."""
    k = np.asarray(ks, float)
    return 1.0 - np.exp(special.betaln(alpha, beta + k) - special.betaln(alpha, beta))


# ---------------------------------------------------------------------------------------------
# Brown et al.'s exponentiated power law, log c(k) = a k^b (a < 0, b < 0): a power law in -log c,
# -log c = A k^b with a = -A, fitted with scalinglib's `power_law` declaration (squared loss on log
# residuals, i.e. least squares of log(-log c) on log k, every k weighted equally).
# ---------------------------------------------------------------------------------------------
def _neg_log_coverage(name: str, coverage) -> np.ndarray:
    c = np.asarray(coverage, float)
    if not np.all(np.isfinite(c)) or np.any(c <= 0) or np.any(c >= 1):
        raise InputError(f"argument {name} must lie strictly between 0 and 1 (log c and log(-log c) are taken)")
    return -np.log(c)


def fit_exponentiated_power_law(ks, coverage, *, starts=None, curves=None):
    """The FitResult of log c(k) = a k^b on coverage at ks; `curves` (S, len(ks)) fits one curve per start."""
    y = _neg_log_coverage("coverage", coverage)
    per_start = None if curves is None else _neg_log_coverage("curves", curves)
    return fit("power_law", {"x": ks}, y, loss="squared", starts=starts, y_per_start=per_start)


def exponentiated_power_law_params(result) -> tuple[float, float]:
    """(a, b) of log c = a k^b from a fit of fit_exponentiated_power_law."""
    return -float(np.exp(result.params["log_A"])), float(result.params["b"])


def bootstrap_exponentiated_power_law(ks, per_problem, n_resamples: int, seed: int) -> dict:
    """Fit log c = a k^b to the mean of per_problem (problems, len(ks)) and to n_resamples resamples of the
    problems (with replacement, each starting from the full-data optimum, all in one batched fit).
    Returns the full fit, its (a, b), the resampled a and b, and how many resample fits did not converge."""
    per_problem = np.asarray(per_problem, float)
    if per_problem.ndim != 2 or per_problem.shape[1] != np.size(ks):
        raise InputError(f"argument per_problem must have shape (problems, {np.size(ks)}), got {per_problem.shape}")
    n_problems = per_problem.shape[0]
    full = fit_exponentiated_power_law(ks, per_problem.mean(axis=0))
    weights = resample_weights(n_problems, n_resamples, seed)
    curves = weights @ per_problem / n_problems
    boot = fit_exponentiated_power_law(ks, per_problem.mean(axis=0), curves=curves,
                                       starts=np.tile(full.finals[full.best_index], (n_resamples, 1)))
    a, b = exponentiated_power_law_params(full)
    return {"fit": full, "a": a, "b": b, "a_samples": -np.exp(boot.finals[:, 0]), "b_samples": boot.finals[:, 1],
            "n_not_converged": int((~boot.converged).sum())}
