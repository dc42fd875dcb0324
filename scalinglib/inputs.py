"""Validation of numeric inputs, shared by the fitting engine and the helpers.

Each check names the argument and the first offending positions, so a reader can find the bad row.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .errors import InputError

_MAX_LISTED = 5


def _positions(mask: np.ndarray, labels: Sequence | None) -> str:
    idx = np.flatnonzero(mask)
    shown = [labels[i] if labels is not None else int(i) for i in idx[:_MAX_LISTED]]
    more = f" and {idx.size - _MAX_LISTED} more" if idx.size > _MAX_LISTED else ""
    where = "rows" if labels is not None else "positions"
    return f"{where} {shown}{more}"


def as_finite_array(name: str, values, labels: Sequence | None = None) -> np.ndarray:
    """A 1-D float array with no NaN or infinity; `labels` (e.g. a DataFrame index) name the rows."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"argument {name} is not numeric: {exc}") from None
    if arr.ndim != 1:
        raise InputError(f"argument {name} must be one-dimensional, got shape {arr.shape}")
    bad = ~np.isfinite(arr)
    if bad.any():
        raise InputError(f"argument {name} has NaN or infinite values at {_positions(bad, labels)}")
    return arr


def as_finite_matrix(name: str, values, n_columns: int | None = None, what: str = "values") -> np.ndarray:
    """A non-empty 2-D float array (rows x columns, `n_columns` of them if given) with no NaN or infinity; a bad
    value is named by its row and column."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"argument {name!r} is not numeric: {exc}") from None
    if arr.ndim != 2 or arr.shape[0] == 0 or (n_columns is not None and arr.shape[1] != n_columns):
        want = f"(n, {n_columns})" if n_columns is not None else "(rows, columns)"
        raise InputError(f"argument {name!r} must be a non-empty 2-d array {want} of {what}, got shape {arr.shape}")
    bad = np.argwhere(~np.isfinite(arr))
    if bad.size:
        raise InputError(f"argument {name!r} has a NaN or infinite value at row {bad[0][0]}, column {bad[0][1]}")
    return arr


def require_positive(name: str, arr: np.ndarray, why: str, labels: Sequence | None = None) -> None:
    """Raise unless every value is > 0 (a log is taken of it)."""
    bad = arr <= 0
    if bad.any():
        raise InputError(
            f"argument {name} must be > 0 because {why}; non-positive values at {_positions(bad, labels)}"
        )


def same_length(arrays: Mapping[str, np.ndarray]) -> int:
    """The common length of named arrays, or an error listing every length."""
    lengths = {k: len(v) for k, v in arrays.items()}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{k}={n}" for k, n in lengths.items())
        raise InputError(f"arguments have mismatched lengths: {listed}")
    return next(iter(lengths.values()))


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def require_number(name: str, value, *, minimum: float | None = None, strict: bool = False) -> float:
    """A finite real number (not a string, not a bool), optionally >= (or >, with strict) minimum."""
    kind = "a positive number" if (minimum == 0 and strict) else (
        "a non-negative number" if minimum == 0 else f"a number > {minimum}" if strict and minimum is not None
        else f"a number >= {minimum}" if minimum is not None else "a finite number")
    if not _is_number(value) or not np.isfinite(value):
        raise InputError(f"argument {name!r} must be {kind}, got {value!r}")
    if minimum is not None and (value < minimum or (strict and value == minimum)):
        raise InputError(f"argument {name!r} must be {kind}, got {value!r}")
    return float(value)


def require_whole(name: str, value, minimum: int) -> int:
    """A whole number >= minimum (an int, or an integral float such as 1000.0; never a bool or a string)."""
    if not _is_number(value) or not np.isfinite(value) or value != int(value) or value < minimum:
        raise InputError(f"argument {name!r} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def positive_values(name: str, values) -> np.ndarray:
    """Any-shape float array with every value finite and > 0 (a log or a power of it is taken)."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"argument {name} is not numeric: {exc}") from None
    flat = arr.reshape(-1)
    bad = ~np.isfinite(flat)
    if bad.any():
        raise InputError(f"argument {name} has NaN or infinite values at {_positions(bad, None)}")
    if (flat <= 0).any():
        raise InputError(f"argument {name} must be > 0; non-positive values at {_positions(flat <= 0, None)}")
    return arr
