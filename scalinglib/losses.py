"""Per-residual loss functions rho(r) and their derivatives, vectorised over any array shape."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .errors import InputError, UnknownNameError


@dataclass(frozen=True)
class Loss:
    name: str
    delta: float | None
    rho: Callable[[np.ndarray], np.ndarray]
    drho: Callable[[np.ndarray], np.ndarray]

    def describe(self) -> str:
        return f"Huber (delta = {self.delta:g})" if self.name == "huber" else self.name


def _huber(delta: float) -> Loss:
    # Same definition as scipy.special.huber and Hoffmann et al. Eq. 3: quadratic inside |r| <= delta.
    def rho(r):
        # psi * (r - psi/2) with psi = clip(r, -delta, delta) is 0.5 r^2 inside, delta (|r| - delta/2) outside.
        psi = np.clip(r, -delta, delta)
        out = psi * -0.5
        out += r
        out *= psi
        return out

    def drho(r):
        return np.clip(r, -delta, delta)

    return Loss("huber", delta, rho, drho)


def _positive_number(value) -> bool:
    numeric = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))
    return numeric and bool(np.isfinite(value)) and value > 0


def get_loss(name: str, delta: float | None = None) -> Loss:
    """`huber` (needs delta > 0), `squared` (r**2) or `absolute` (|r|)."""
    if not isinstance(name, str):
        raise InputError(f"argument 'loss' must be one of 'huber', 'squared', 'absolute', got {name!r}")
    if name == "huber":
        if delta is None or not _positive_number(delta):
            raise InputError(f"argument 'delta' must be a positive number for the Huber loss, got {delta!r}")
        return _huber(float(delta))
    if delta is not None:
        raise InputError(f"argument 'delta' applies only to the Huber loss, not to {name!r}")
    if name == "squared":
        return Loss("squared", None, lambda r: r * r, lambda r: 2.0 * r)
    if name == "absolute":
        return Loss("absolute", None, np.abs, np.sign)
    raise UnknownNameError(f"unknown loss {name!r}; known: 'huber', 'squared', 'absolute'")
