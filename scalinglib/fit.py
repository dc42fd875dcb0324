"""The fitting engine: one law, one dataset, one objective, many starts.

The objective is the papers' own kind: sum (or mean) over points of rho(residual), where rho is a
Huber, squared or absolute loss and the residual is taken in log space (log prediction - log target)
or in linear space. All starts run together through `lbfgs_batched`; `optimizer="scipy:<method>"`
instead runs one scipy.optimize.minimize per start on the same objective (a reference, not the hot path).
"""
from __future__ import annotations

import inspect
import time
import warnings
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import pandas as pd
from scipy import optimize

from .errors import FitFailed, InputError, UnknownNameError
from .inputs import as_finite_array, require_number, require_positive, same_length
from .laws import Law, get_law
from .lbfgs import CONVERGED, STATUS_MESSAGES, BatchResult, lbfgs_batched
from .losses import Loss, get_loss
from .parallel import MIN_LOOP_STARTS_PER_PART, run_split


_BLOCK_ELEMENTS = 16_000  # rows x points per block: under glibc's 128 KiB mmap threshold (measured fastest)


# Where residuals can be taken: predictions and observations both pass through the transform
# (log1p, log(1 + y), is the BNSL reference code's space).
RESIDUAL_SPACES = {"log": np.log, "log1p": np.log1p, "linear": lambda v: v}


@dataclass(frozen=True)
class Problem:
    """A validated fitting problem: the law, its prepared features, the target and the objective."""
    law: Law
    x: dict                       # variable -> (n,) raw values
    y: np.ndarray                 # (n,) targets
    loss: Loss
    residual_space: str           # a key of RESIDUAL_SPACES
    reduction: str                # "sum" or "mean"
    fixed: Mapping[str, float]
    free: tuple[str, ...]
    feats: dict = field(repr=False, default_factory=dict)

    @property
    def n_points(self) -> int:
        return self.y.size

    def full_theta(self, free_theta: np.ndarray) -> np.ndarray:
        """Insert the fixed parameters into a (k, n_free) array, giving (k, P)."""
        out = np.empty((free_theta.shape[0], len(self.law.params)))
        for i, name in enumerate(self.law.params):
            out[:, i] = self.fixed[name] if name in self.fixed else free_theta[:, self.free.index(name)]
        return out

    def in_residual_space(self, values):
        """Predictions or observations mapped into the space where residuals are taken."""
        return RESIDUAL_SPACES[self.residual_space](values)

    def objective(self, weights: np.ndarray | None = None, targets: np.ndarray | None = None,
                  features: dict | None = None):
        """fg(free_theta (k, n_free), rows (k,)) -> (f, g) for lbfgs_batched.

        `weights` is None, (n,) for all starts, or (S, n) with one row per start (bootstrap counts);
        `targets` is None (use y) or (S, n), one target vector per start (e.g. resampled curves);
        `features` is None (the problem's own) or feature -> (S, n), one row per start (scalinglib.stacked: several
        datasets in one batch, for laws that declare `row_features`).
        """
        law, loss = self.law, self.loss
        base = self.y if targets is None else targets
        target = self.in_residual_space(base)
        per_start_target = targets is not None
        if self.residual_space == "log":
            value_and_vjp = law.log_value_and_vjp
        elif self.residual_space == "log1p":      # log(1 + y), the BNSL reference code's space
            def value_and_vjp(theta, feats):
                y, vjp = law.value_and_vjp(theta, feats)
                with np.errstate(invalid="ignore", divide="ignore"):
                    return np.log1p(y), (lambda v: vjp(v / (1.0 + y)))
        else:
            value_and_vjp = law.value_and_vjp
        free_cols = [law.params.index(p) for p in self.free]
        per_start = weights is not None and np.ndim(weights) == 2

        def fg_block(theta_free, rows):
            w = weights[rows] if per_start else weights
            feats = self.feats if features is None else {k: v[rows] for k, v in features.items()}
            with np.errstate(all="ignore"):  # overflow -> inf objective, rejected by the line search
                pred, vjp = value_and_vjp(self.full_theta(theta_free), feats)
                resid = pred - (target[rows] if per_start_target else target)
                terms = loss.rho(resid)
                dterms = loss.drho(resid)
                if w is not None:
                    terms *= w
                    dterms *= w
                f = terms.sum(axis=1)
                if self.reduction == "mean":
                    scale = np.sum(w, axis=-1) if w is not None else float(self.n_points)
                    f /= scale
                    dterms /= np.reshape(scale, (-1, 1))
                bad = ~np.isfinite(f)
                if bad.any():  # the line search must see +inf, never NaN
                    dterms[bad] = 0.0
                    f[bad] = np.inf
                grad = vjp(dterms)[:, free_cols]
            grad[bad] = 0.0
            return f, grad

        def fg(theta_free, rows):
            # Blocks of rows keep the (rows x points) intermediates in cache: about 2x faster.
            step = max(1, _BLOCK_ELEMENTS // max(self.n_points, 1))
            if theta_free.shape[0] <= step:
                return fg_block(theta_free, rows)
            parts = [fg_block(theta_free[i:i + step], rows[i:i + step]) for i in range(0, len(rows), step)]
            return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

        return fg


def _align_series(named: dict, reference: pd.Index | None, reference_name: str | None) -> dict:
    """Pandas Series among the arguments are put in the order of the reference index (the data's, or the first
    Series'): the same labels in another order are aligned; other labels are refused, never fitted misaligned."""
    out = dict(named)
    for arg, value in named.items():
        if not isinstance(value, pd.Series):
            continue
        if reference is None:
            reference, reference_name = value.index, arg
            continue
        if value.index.equals(reference):
            continue
        if not value.index.is_unique or not reference.is_unique:
            raise InputError(f"{arg} (a pandas Series) and {reference_name} have repeated index labels and another "
                             f"order, so they cannot be aligned; pass arrays in the same order")
        missing = reference.difference(value.index)
        extra = value.index.difference(reference)
        if len(missing) or len(extra):
            raise InputError(f"{arg} (a pandas Series) has index labels that {reference_name} lacks: "
                             f"{list(extra[:5])}; and lacks {list(missing[:5])}. Pass values for the same rows "
                             f"(or arrays, which are taken in order)")
        out[arg] = value.reindex(reference)
    return out


def _columns(data, x, y):
    """Resolve `x` (variable -> column name or array) and `y` against an optional DataFrame."""
    labels = None
    series = _align_series({**{f"x[{k!r}]": v for k, v in x.items()}, "y": y},
                           data.index if isinstance(data, pd.DataFrame) else None,
                           "the data" if isinstance(data, pd.DataFrame) else None)
    x = {k: series[f"x[{k!r}]"] for k in x}
    y = series["y"]
    if data is not None:
        if not isinstance(data, pd.DataFrame):
            raise InputError("argument 'data' must be a pandas DataFrame (or None with arrays in x and y)")
        labels = list(data.index)

        def column(arg, ref):
            if isinstance(ref, str):
                if ref not in data.columns:
                    raise InputError(f"argument {arg!r} names column {ref!r}, which the data does not have; "
                                     f"columns: {list(data.columns)}")
                return data[ref].to_numpy(), f"{arg} (column {ref!r})"
            return ref, arg
        xs = {k: column(f"x[{k!r}]", v) for k, v in x.items()}
        ys = column("y", y)
    else:
        xs = {k: (v, f"x[{k!r}]") for k, v in x.items()}
        ys = (y, "y")
    return xs, ys, labels


def make_problem(law: str | Law, x: Mapping, y, data: pd.DataFrame | None = None, *,
                 loss: str = "huber", delta: float | None = 1e-3, residual_space: str = "log",
                 reduction: str = "sum", fixed: Mapping[str, float] | None = None,
                 underdetermined: bool = False) -> Problem:
    law = get_law(law)
    if loss != "huber" and delta == 1e-3:
        delta = None  # the default delta belongs to the Huber loss only
    loss_fn = get_loss(loss, delta)
    if residual_space not in RESIDUAL_SPACES:
        raise InputError(f"argument 'residual_space' must be 'log', 'log1p' or 'linear', got {residual_space!r}")
    if reduction not in ("sum", "mean"):
        raise InputError(f"argument 'reduction' must be 'sum' or 'mean', got {reduction!r}")
    if fixed is not None and not isinstance(fixed, Mapping):
        raise InputError(f"argument 'fixed' must map parameter names to values, got {type(fixed).__name__}")
    fixed = dict(fixed or {})
    for name, value in fixed.items():
        if isinstance(value, (str, bytes)) or not np.ndim(value) == 0:
            raise InputError(f"argument 'fixed': parameter {name!r} must be a number, got {type(value).__name__}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InputError(f"argument 'fixed': parameter {name!r} must be a number, got {value!r}") from None
        if not np.isfinite(number):
            raise InputError(f"argument 'fixed': parameter {name!r} is {number}; fixed values must be finite")
    unknown = [p for p in fixed if p not in law.params]
    if unknown:
        raise UnknownNameError(f"argument 'fixed' names {unknown}, not parameters of law {law.name!r} "
                               f"(parameters: {list(law.params)})")
    unfixed = [p for p in law.must_fix if p not in fixed]
    if unfixed:
        raise InputError(f"law {law.name!r} has no gradient for {list(law.must_fix)}; hold {unfixed} fixed "
                         f"with the argument 'fixed'")
    law.require_variables(x)

    xs, (y_raw, y_name), labels = _columns(data, x, y)
    arrays = {name: as_finite_array(name, raw, labels) for raw, name in xs.values()}
    y_arr = as_finite_array(y_name, y_raw, labels)
    same_length({**arrays, y_name: y_arr})
    x_arr = {var: arrays[xs[var][1]] for var in law.variables}
    for var in law.log_variables:
        require_positive(xs[var][1], x_arr[var], f"law {law.name!r} takes its log", labels)
    if residual_space == "log":
        require_positive(y_name, y_arr, "residuals are taken in log space", labels)
    if residual_space == "log1p":
        require_positive(y_name, y_arr + 1.0, "residuals are taken as log(1 + y) (values must exceed -1)", labels)
    free = tuple(p for p in law.params if p not in fixed)
    # underdetermined=True: a published procedure that fits more parameters than its points pin (curve_fit's
    # trust-region method allows it) is re-run as it was; the caller flags such fits.
    if y_arr.size < len(free) and not underdetermined:
        raise InputError(f"{y_arr.size} points cannot determine {len(free)} free parameters {list(free)} "
                         f"of law {law.name!r}; need at least {len(free)}")
    distinct = len(np.unique(np.column_stack([x_arr[v] for v in law.variables]), axis=0))
    if distinct < len(free) and not underdetermined:
        raise InputError(f"only {distinct} distinct points (values of {list(law.variables)}) for {len(free)} free "
                         f"parameters {list(free)} of law {law.name!r}: the fit is not identifiable; repeated rows "
                         f"add weight, not information. Add points or hold parameters fixed")
    return Problem(law, x_arr, y_arr, loss_fn, residual_space, reduction, fixed, free, law.features(x_arr))


def default_starts(law: str | Law, fixed: Mapping[str, float] | None = None) -> np.ndarray:
    """The starts fit() uses when given none: the law's start grid over its free parameters (those not in `fixed`),
    as an (S, n_free) array in law.params order."""
    law = get_law(law)
    return law.start_points(names=tuple(p for p in law.params if p not in (fixed or {})))


def _start_array(problem: Problem, starts) -> np.ndarray:
    law, free = problem.law, problem.free
    if starts is None or isinstance(starts, Mapping):
        arr = law.start_points(starts, names=free)
    else:
        try:
            arr = np.asarray(starts, float)
        except (TypeError, ValueError) as exc:
            raise InputError(f"argument 'starts' is not numeric: {exc}") from None
        if arr.ndim == 1:
            arr = arr[None, :]
        if arr.ndim != 2:
            raise InputError(f"argument 'starts' must be 2-dimensional (starts, {len(free)}), got shape {arr.shape}")
        if arr.shape[1] != len(free):
            raise InputError(f"argument 'starts' must have {len(free)} columns {list(free)}, got {arr.shape[1]}")
    if arr.shape[0] == 0:
        raise InputError(f"argument 'starts' has no rows; give at least one start for {list(free)}")
    if not np.isfinite(arr).all():
        raise InputError("argument 'starts' has NaN or infinite values")
    return arr


def _bounds(problem: Problem, bounds, starts: np.ndarray):
    law = problem.law
    if bounds is not None and not isinstance(bounds, Mapping):
        raise InputError(f"argument 'bounds' must map parameter names to (lower, upper), got {type(bounds).__name__}")
    for name, pair in (bounds or {}).items():
        ok = isinstance(pair, (tuple, list, np.ndarray)) and len(pair) == 2
        if ok:
            try:
                pair = tuple(float(v) for v in pair)
            except (TypeError, ValueError):
                ok = False
        if not ok or any(np.isnan(pair)):
            raise InputError(f"argument 'bounds': parameter {name!r} needs (lower, upper), got {pair!r}")
    merged = {**law.bounds, **(bounds or {})}
    unknown = [p for p in merged if p not in law.params]
    if unknown:
        raise UnknownNameError(f"argument 'bounds' names {unknown}, not parameters of law {law.name!r}")
    lo = np.array([merged.get(p, (-np.inf, np.inf))[0] for p in problem.free], float)
    hi = np.array([merged.get(p, (-np.inf, np.inf))[1] for p in problem.free], float)
    for i, p in enumerate(problem.free):
        if not lo[i] <= hi[i]:
            raise InputError(f"bounds for parameter {p!r} are empty: lower {lo[i]} > upper {hi[i]}")
        outside = (starts[:, i] < lo[i]) | (starts[:, i] > hi[i])
        if outside.any():
            vals = sorted(set(starts[outside, i].tolist()))[:5]
            raise InputError(f"bounds ({lo[i]}, {hi[i]}) for parameter {p!r} exclude start values {vals}; "
                             f"widen the bounds or change the start grid")
    return lo, hi


@dataclass
class FitResult:
    """Everything a reader needs to judge a fit: the optimum, how it was found and how often."""
    problem: Problem
    starts: np.ndarray            # (S, n_free)
    finals: np.ndarray            # (S, n_free)
    objectives: np.ndarray        # (S,)
    status: np.ndarray            # (S,) see lbfgs.STATUS_MESSAGES
    n_iter: np.ndarray
    optimizer: str
    seconds: float
    basin_rtol: float
    settings: dict = field(default_factory=dict)   # the keyword arguments of fit(), for refits

    def refit(self, **changes) -> "FitResult":
        """The same fit with some arguments changed (e.g. starts, weights, loss)."""
        p = self.problem
        return fit(p.law, p.x, p.y, **{**self.settings, **changes})

    @property
    def law(self) -> Law:
        return self.problem.law

    @property
    def best_index(self) -> int:
        return int(np.argmin(np.where(np.isfinite(self.objectives), self.objectives, np.inf)))

    @property
    def objective(self) -> float:
        return float(self.objectives[self.best_index])

    @property
    def theta(self) -> np.ndarray:
        """Best parameters, fixed ones included, in law.params order."""
        return self.problem.full_theta(self.finals[self.best_index][None, :])[0]

    @property
    def params(self) -> dict:
        return dict(zip(self.law.params, self.theta.tolist()))

    @property
    def natural(self) -> dict:
        return {k: float(v) for k, v in self.law.natural_params(self.params).items()}

    @property
    def converged(self) -> np.ndarray:
        return np.isin(self.status, CONVERGED)

    @property
    def in_best_basin(self) -> np.ndarray:
        """Starts whose final objective is within basin_rtol (relative) of the best."""
        return self.objectives <= self.objective + self.basin_rtol * abs(self.objective)

    @property
    def n_best_basin(self) -> int:
        return int(self.in_best_basin.sum())

    def residuals(self) -> np.ndarray:
        p = self.problem
        pred = self.law.predict_unchecked(self.theta, p.x)
        return p.in_residual_space(pred) - p.in_residual_space(p.y)

    def predict(self, x: Mapping) -> np.ndarray:
        return self.law.predict(self.theta, x)

    def objective_text(self) -> str:
        """The objective in words: reduction, loss, residual space."""
        p = self.problem
        return f"{p.reduction} of {p.loss.describe()} on {p.residual_space} residuals"

    def optimizer_text(self) -> str:
        """How it was minimised: optimiser, number of starts, fixed parameters."""
        fixed = f"; fixed {dict(self.problem.fixed)}" if self.problem.fixed else ""
        return f"{self.optimizer}, {len(self.starts)} starts{fixed}"

    def method(self) -> str:
        return f"{self.objective_text()}, {self.optimizer_text()}"

    def summary(self) -> pd.Series:
        counts = pd.Series(self.status).value_counts()
        return pd.Series({
            "law": self.law.name, "points": self.problem.n_points, "starts": len(self.starts),
            "best objective": f"{self.objective:.8g}", "starts in best basin": self.n_best_basin,
            "converged starts": int(self.converged.sum()),
            "stop reasons": ", ".join(f"{k}: {v}" for k, v in counts.items()),
            "seconds": round(self.seconds, 2), "method": self.method(),
        })


# scipy.optimize.minimize methods that accept bounds; the others (e.g. BFGS) run unbounded, as they would anyway.
TAKES_BOUNDS = ("L-BFGS-B", "TNC", "SLSQP", "Powell", "Nelder-Mead", "trust-constr", "COBYLA", "COBYQA")


def _scipy_loop(fg, starts, lo, hi, method: str, options: dict | None) -> BatchResult:
    """One scipy.optimize.minimize per start, on the same objective and gradient."""
    n, p = starts.shape
    x, f, g = starts.copy(), np.empty(n), np.empty((n, p))
    status, n_iter, n_eval = np.empty(n, dtype=object), np.zeros(n, int), 0
    bounded = np.isfinite(lo).any() or np.isfinite(hi).any()
    takes_jac = method not in ("Nelder-Mead", "Powell", "COBYLA")
    for i in range(n):
        row = np.array([i])

        def fun(v, row=row):
            fv, gv = fg(v[None, :], row)
            return (fv[0], gv[0]) if takes_jac else fv[0]
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message="Unknown solver options", category=optimize.OptimizeWarning)
            try:
                res = optimize.minimize(fun, starts[i], jac=takes_jac, method=method, options=dict(options or {}),
                                        bounds=list(zip(lo, hi)) if bounded and method in TAKES_BOUNDS else None)
            except optimize.OptimizeWarning as exc:
                raise InputError(f"optimizer 'scipy:{method}' rejected argument 'options': {exc}") from None
            except ValueError as exc:
                if "Unknown solver" in str(exc):
                    raise UnknownNameError(f"unknown optimizer 'scipy:{method}': {exc}") from None
                raise
        x[i], f[i] = res.x, res.fun
        g[i] = fg(res.x[None, :], row)[1][0]
        status[i] = "gradient" if res.success else ("non-finite" if not np.isfinite(res.fun) else "max-iter")
        n_iter[i], n_eval = getattr(res, "nit", 0), n_eval + res.nfev
    return BatchResult(x=x, f=f, g=g, status=status.astype(str), n_iter=n_iter, n_eval=n_eval)


def _least_squares_loop(problem: Problem, fg, starts, lo, hi, options: dict | None) -> BatchResult:
    """One scipy.optimize.least_squares per start on the residual vector. Its 'huber' loss with f_scale = delta
    is twice our Huber, and 'linear' is squared loss, so the minimiser is the same; the reported objective
    is ours, evaluated at its solution."""
    if problem.loss.name not in ("squared", "huber"):
        raise InputError(f"optimizer 'scipy:least_squares' supports the squared and Huber losses, not {problem.loss.name!r}")
    target = problem.in_residual_space(problem.y)

    def residuals(v):
        with np.errstate(all="ignore"):
            r = problem.in_residual_space(problem.law.predict_unchecked(problem.full_theta(v[None, :])[0], problem.x)) - target
        return np.where(np.isfinite(r), r, 1e10)
    kwargs = {"loss": "linear"} if problem.loss.name == "squared" else {"loss": "huber", "f_scale": problem.loss.delta}
    # trust-region reflective unless `options` names another bounded method (curve_fit's fallback is 'dogbox')
    kwargs["method"] = "trf"
    kwargs.update(options or {})
    n, p = starts.shape
    x, f, g = starts.copy(), np.empty(n), np.empty((n, p))
    status, n_iter, n_eval = np.empty(n, dtype=object), np.zeros(n, int), 0
    for i in range(n):
        try:
            res = optimize.least_squares(residuals, np.clip(starts[i], lo, hi), bounds=(lo, hi), **kwargs)
        except (TypeError, ValueError) as exc:
            raise InputError(f"optimizer 'scipy:least_squares' rejected argument 'options': {exc}") from None
        x[i] = res.x
        fv, gv = fg(res.x[None, :], np.array([i]))
        f[i], g[i] = fv[0], gv[0]
        status[i] = ("non-finite" if not np.isfinite(f[i]) else
                     {1: "gradient", 2: "ftol", 3: "ftol", 4: "ftol"}.get(res.status, "max-iter"))
        n_iter[i], n_eval = res.nfev, n_eval + res.nfev
    return BatchResult(x=x, f=f, g=g, status=status.astype(str), n_iter=n_iter, n_eval=n_eval)


def check_lbfgs_options(options) -> None:
    """Refuse settings the batched L-BFGS does not take, naming the ones it does."""
    if options is not None and not isinstance(options, Mapping):
        raise InputError(f"argument 'options' must be a dict of optimizer settings, got {type(options).__name__}")
    known = [k for k in inspect.signature(lbfgs_batched).parameters if k not in ("fg", "x0", "lower", "upper")]
    unknown = sorted(set(options or {}) - set(known))
    if unknown:
        raise InputError(f"unknown option(s) {unknown} for optimizer 'lbfgs-batched'; it takes {known}")


def fit(law: str | Law, x: Mapping, y, data: pd.DataFrame | None = None, *, starts=None,
        loss: str = "huber", delta: float | None = 1e-3, residual_space: str = "log",
        reduction: str = "sum", fixed: Mapping[str, float] | None = None, bounds=None,
        optimizer: str = "lbfgs-batched", options: dict | None = None, basin_rtol: float = 1e-6,
        weights: np.ndarray | None = None, y_per_start: np.ndarray | None = None,
        underdetermined: bool = False) -> FitResult:
    """Fit `law` to y(x) from every start; see the module docstring for the objective.

    x: variable -> array or column name of `data`. starts: None (the law's grid), a dict grid over the
    free parameters, or a (S, n_free) array. fixed: parameters held at given values. bounds: parameter ->
    (lower, upper). weights: (n,) or (S, n) non-negative multiplicities per point. y_per_start: (S, n),
    a target vector per start (each start then fits its own data; `y` still sets the reported residuals).
    underdetermined: allow fewer (distinct) points than free parameters, to re-run a procedure that did so.
    """
    problem = make_problem(law, x, y, data, loss=loss, delta=delta, residual_space=residual_space,
                           reduction=reduction, fixed=fixed, underdetermined=underdetermined)
    start_arr = _start_array(problem, starts)
    lo, hi = _bounds(problem, bounds, start_arr)
    if weights is not None:
        weights = np.asarray(weights, float)
        if weights.shape[-1] != problem.n_points or (weights.ndim == 2 and weights.shape[0] != len(start_arr)):
            raise InputError(f"argument 'weights' has shape {weights.shape}; expected ({problem.n_points},) "
                             f"or ({len(start_arr)}, {problem.n_points})")
        if not np.isfinite(weights).all() or (weights < 0).any():
            raise InputError("argument 'weights' must be finite and non-negative")
        empty = np.flatnonzero(np.atleast_2d(weights).sum(axis=-1) == 0)
        if empty.size:
            raise InputError("argument 'weights' gives no point any weight" if weights.ndim == 1 else
                             f"argument 'weights': row(s) {empty[:5].tolist()} give no point any weight")
    if y_per_start is not None:
        y_per_start = np.asarray(y_per_start, float)
        if y_per_start.shape != (len(start_arr), problem.n_points):
            raise InputError(f"argument 'y_per_start' has shape {y_per_start.shape}; expected "
                             f"({len(start_arr)}, {problem.n_points}), one row per start")
        if not np.isfinite(y_per_start).all():
            raise InputError("argument 'y_per_start' has NaN or infinite values")
        if residual_space == "log" and (y_per_start <= 0).any():
            raise InputError("argument 'y_per_start' must be > 0 because residuals are taken in log space")
    basin_rtol = require_number("basin_rtol", basin_rtol, minimum=0)
    if not isinstance(optimizer, str):
        raise InputError(f"argument 'optimizer' must be a string such as 'lbfgs-batched' or 'scipy:L-BFGS-B', "
                         f"got {optimizer!r}")
    if options is not None and not isinstance(options, Mapping):
        raise InputError(f"argument 'options' must be a dict of optimizer settings, got {type(options).__name__}")
    if optimizer == "lbfgs-batched":
        check_lbfgs_options(options)
    fg = problem.objective(weights, y_per_start)
    t0 = time.perf_counter()
    if optimizer == "lbfgs-batched":
        def run(rows):
            return lbfgs_batched(lambda th, r: fg(th, rows[r]), start_arr[rows], lo, hi, **(options or {}))
        res = run_split(run, len(start_arr))
        name = "L-BFGS (batched, projected bounds, Armijo backtracking)"
    elif optimizer == "scipy:least_squares":
        if weights is not None or y_per_start is not None:
            raise InputError("optimizer 'scipy:least_squares' takes neither 'weights' nor 'y_per_start'")
        res = run_split(lambda rows: _least_squares_loop(problem, lambda th, r: fg(th, rows[r]), start_arr[rows], lo,
                                                         hi, options), len(start_arr), MIN_LOOP_STARTS_PER_PART)
        name = f"scipy.optimize.least_squares ({(options or {}).get('method', 'trf')}, 2-point Jacobian) per start"
    elif optimizer.startswith("scipy:"):
        method = optimizer.split(":", 1)[1]
        res = run_split(lambda rows: _scipy_loop(lambda th, r: fg(th, rows[r]), start_arr[rows], lo, hi, method,
                                                 options), len(start_arr), MIN_LOOP_STARTS_PER_PART)
        name = f"scipy.optimize.minimize({optimizer.split(':', 1)[1]}) per start"
    else:
        raise UnknownNameError(f"unknown optimizer {optimizer!r}; known: 'lbfgs-batched', 'scipy:<method>'")
    seconds = time.perf_counter() - t0
    if not np.isfinite(res.f).any():
        raise FitFailed(f"no start of law {problem.law.name!r} reached a finite objective ({len(start_arr)} starts, "
                        f"{name}): the law is undefined or overflows at every start for these data. Check the "
                        f"variables' domain (e.g. a log of a non-positive value inside the law) and the start grid")
    settings = dict(loss=loss, delta=delta, residual_space=residual_space, reduction=reduction,
                    fixed=fixed, bounds=bounds, optimizer=optimizer, options=options, basin_rtol=basin_rtol,
                    underdetermined=underdetermined)
    return FitResult(problem, start_arr, res.x, res.f, res.status, res.n_iter, name, seconds, basin_rtol,
                     settings)


__all__ = ["fit", "make_problem", "default_starts", "FitResult", "Problem", "STATUS_MESSAGES"]
