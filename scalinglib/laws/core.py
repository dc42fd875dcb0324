"""A scaling law is one declaration: its formula, parameters, variables, bounds, start grid and LaTeX.

A law is data, not a class hierarchy. The engine needs two things from it: the prediction of shape (S, n)
for S parameter sets at once (each parameter a (S, 1) column, each feature a (1, n) row) and a
vector-jacobian product `vjp(v) -> (S, P)`. A declaration gives either

* `formula(p, f) -> y` alone: the engine derives the gradient by the complex step (exact to rounding,
  one complex evaluation per parameter), so the formula must use functions numpy extends to complex
  numbers (exp, log, powers, where; not logaddexp, abs or maximum of two parameters); or
* `evaluate(p, f) -> (y, vjp)`: a hand-written gradient, for the laws whose fits run thousands of starts
  (measured: the Chinchilla objective with its hand-written VJP evaluates in about a quarter of the time
  of sympy-generated numpy and a seventh of JAX on this CPU).

`prepare(x) -> features` runs once per fit; the default gives, for every variable V, the row `V` and,
for the variables in `log_variables`, `logV` (n,) and `logV_row` (1, n). `example` is one valid
(parameters, variables) pair: tests/test_laws.py checks every registered law's gradient there.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

from ..errors import InputError, UnknownNameError
from ..inputs import as_finite_array, require_positive, same_length

Evaluate = Callable[[dict, dict], "tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]"]
Formula = Callable[[dict, dict], np.ndarray]

COMPLEX_STEP = 1e-30      # far below rounding of any parameter: the real part is untouched


def default_features(log_variables: tuple[str, ...]) -> Callable[[dict], dict]:
    def prepare(x: dict) -> dict:
        feats = {name: np.asarray(values, float)[None, :] for name, values in x.items()}
        for name in log_variables:
            log_v = np.log(x[name])
            feats[f"log{name}"] = log_v
            feats[f"log{name}_row"] = log_v[None, :]
        return feats
    return prepare


def complex_step(formula: Formula, params: tuple[str, ...]) -> Evaluate:
    """evaluate() for a formula without a gradient: d y / d p_j = Im f(p + i h e_j) / h."""
    def evaluate(p: dict, f: dict):
        y = formula(p, f)

        def vjp(v):
            cols = []
            for name in params:
                shifted = dict(p)
                shifted[name] = p[name] + 1j * COMPLEX_STEP
                dy = np.imag(formula(shifted, f)) / COMPLEX_STEP
                cols.append((np.broadcast_to(dy, v.shape) * v).sum(1))
            return np.column_stack(cols)
        return y, vjp
    return evaluate


@dataclass(frozen=True, kw_only=True)
class Law:
    name: str
    title: str
    equation: str                       # LaTeX, as the paper writes the fitted form (shown in the book)
    params: tuple[str, ...]
    variables: tuple[str, ...]
    log_variables: tuple[str, ...]      # variables whose log is taken: they must be > 0
    space: str                          # "log" or "linear": what the formula returns (log y or y)
    start_grid: Mapping[str, tuple[float, ...]]
    formula: Formula | None = None      # the prediction alone: the gradient is derived (complex step)
    evaluate: Evaluate | None = None    # the prediction and a hand-written vector-jacobian product
    prepare: Callable[[dict], dict] | None = None   # raw variables (n,) -> features, once per fit
    bounds: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    natural: Callable[[dict], dict] | None = None   # fitted parameters -> the constants as printed
    must_fix: tuple[str, ...] = ()      # parameters the gradient does not cover: fits must hold them fixed
    example: tuple[Mapping, Mapping] | None = None  # (parameters, variables) where the law is defined
    source: str = ""                    # where the form is printed, e.g. "Eq. 2; App. D.2"
    # True when `evaluate` reads only the (1, n) row features, elementwise, and its vjp sums over axis 1: then
    # several datasets can run as rows of one batch (scalinglib.stacked), each row holding its own points.
    row_features: bool = False
    # The objective the paper fits with (fit() keywords: loss, delta, residual_space, reduction) and where it says
    # so; empty where the book has not established it (scalinglib.workbench then uses the engine's default).
    objective: Mapping = field(default_factory=dict)
    objective_source: str = ""

    def __post_init__(self):
        if (self.formula is None) == (self.evaluate is None):
            raise InputError(f"law {self.name!r}: declare exactly one of 'formula' (gradient derived) and "
                             f"'evaluate' (hand-written gradient)")
        if self.space not in ("log", "linear"):
            raise InputError(f"law {self.name!r}: 'space' must be 'log' or 'linear', got {self.space!r}")
        for group, names in (("log_variables", self.log_variables), ("must_fix", self.must_fix),
                             ("bounds", tuple(self.bounds))):
            known = self.variables if group == "log_variables" else self.params
            unknown = [n for n in names if n not in known]
            if unknown:
                raise InputError(f"law {self.name!r}: {group} names {unknown}, not among {list(known)}")
        if self.evaluate is None:
            object.__setattr__(self, "evaluate", complex_step(self.formula, self.params))
        if self.prepare is None:
            object.__setattr__(self, "prepare", default_features(self.log_variables))

    @property
    def gradient(self) -> str:
        """How the engine gets this law's gradient, in words."""
        return "complex step (derived)" if self.formula is not None else "hand-written"

    # -- evaluation in either space -------------------------------------------------------------
    def _columns(self, theta: np.ndarray) -> dict:
        return {name: theta[:, i:i + 1] for i, name in enumerate(self.params)}

    def log_value_and_vjp(self, theta: np.ndarray, feats: dict):
        value, vjp = self.evaluate(self._columns(theta), feats)
        if self.space == "log":
            return value, vjp
        with np.errstate(divide="ignore", invalid="ignore"):
            logy = np.where(value > 0, np.log(np.where(value > 0, value, 1.0)), np.nan)
        return logy, lambda v: vjp(v / value)

    def value_and_vjp(self, theta: np.ndarray, feats: dict):
        value, vjp = self.evaluate(self._columns(theta), feats)
        if self.space == "linear":
            return value, vjp
        y = np.exp(value)
        return y, lambda v: vjp(v * y)

    # -- convenience ----------------------------------------------------------------------------
    def theta(self, params: Mapping[str, float] | np.ndarray) -> np.ndarray:
        """Parameters as a (S, P) array, from a dict (values scalar or (S,)) or an array."""
        if isinstance(params, Mapping):
            missing = [p for p in self.params if p not in params]
            if missing:
                raise InputError(f"law {self.name!r} needs parameters {missing}")
            return np.column_stack([np.atleast_1d(np.asarray(params[p], float)) for p in self.params])
        arr = np.atleast_2d(np.asarray(params, float))
        if arr.shape[1] != len(self.params):
            raise InputError(f"law {self.name!r} takes {len(self.params)} parameters, got {arr.shape[1]}")
        return arr

    def features(self, x: Mapping[str, np.ndarray]) -> dict:
        return self.prepare({k: np.asarray(v, float) for k, v in x.items()})

    def predict(self, params, x: Mapping[str, np.ndarray]) -> np.ndarray:
        """y at the points `x`; shape (n,) for one parameter set, (S, n) for several. The variables must be the
        law's, finite, of one length, and > 0 where the law takes their log; the parameters finite."""
        theta = self.theta(params)
        bad = ~np.isfinite(theta).all(axis=0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            value = theta[~np.isfinite(theta[:, i]), i][0]
            raise InputError(f"parameter {self.params[i]!r} of law {self.name!r} is {value}; parameters must be finite")
        return self.predict_unchecked(theta, self.checked_variables(x))

    def predict_unchecked(self, theta: np.ndarray, x: Mapping[str, np.ndarray]) -> np.ndarray:
        """predict() without validation, for the engine's inner loops (inputs it has already checked)."""
        theta = np.atleast_2d(theta)
        y, _ = self.value_and_vjp(theta, self.features(x))
        return y[0] if theta.shape[0] == 1 else y

    def require_variables(self, x) -> None:
        """Refuse an `x` that does not name exactly this law's variables (fit() and predict() share this)."""
        if not isinstance(x, Mapping):
            raise InputError(f"argument 'x' must map the variables {list(self.variables)} to arrays or column names, "
                             f"got {type(x).__name__}")
        missing = [v for v in self.variables if v not in x]
        extra = [v for v in x if v not in self.variables]
        if missing or extra:
            raise InputError(f"law {self.name!r} takes variables {list(self.variables)}; "
                             f"argument 'x' is missing {missing} and has unexpected {extra}")

    def checked_variables(self, x) -> dict:
        """The variables as float arrays, refused with the library's error if they cannot be evaluated."""
        self.require_variables(x)
        arrays = {v: as_finite_array(f"x[{v!r}]", np.atleast_1d(x[v])) for v in self.variables}
        same_length(arrays)
        for v in self.log_variables:
            require_positive(f"x[{v!r}]", arrays[v], f"law {self.name!r} takes its log")
        return arrays

    def start_points(self, grid: Mapping[str, tuple[float, ...]] | None = None,
                     names: tuple[str, ...] | None = None) -> np.ndarray:
        """Cartesian product of the start grid over `names` (default: every parameter), as (K, len(names))."""
        grid = dict(self.start_grid if grid is None else grid)
        names = self.params if names is None else names
        missing = [p for p in names if p not in grid]
        if missing:
            raise InputError(f"start grid for law {self.name!r} has no values for {missing}")
        return np.array(list(itertools.product(*(grid[p] for p in names))), dtype=float)

    def natural_params(self, params: Mapping[str, np.ndarray]) -> dict:
        return dict(params) if self.natural is None else self.natural(params)


_REGISTRY: dict[str, Law] = {}


def register(law: Law) -> Law:
    if law.name in _REGISTRY:
        raise InputError(f"a law named {law.name!r} is already registered")
    _REGISTRY[law.name] = law
    return law


def get_law(law: str | Law) -> Law:
    if isinstance(law, Law):
        return law
    if not isinstance(law, str):
        raise InputError(f"argument 'law' must be a law name or a Law, got {type(law).__name__} {law!r}; "
                         f"known laws: {sorted(_REGISTRY)}")
    try:
        return _REGISTRY[law]
    except KeyError:
        raise UnknownNameError(f"unknown law {law!r}; known laws: {sorted(_REGISTRY)}") from None


def known_laws() -> list[str]:
    return sorted(_REGISTRY)


def arange(start: float, stop: float, step: float) -> tuple[float, ...]:
    """Inclusive grid start, start+step, ..., stop, without float drift."""
    n = int(round((stop - start) / step))
    return tuple(float(start + i * step) for i in range(n + 1))
