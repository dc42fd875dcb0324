"""Split a batch of independent starts over worker processes.

Starts are independent, so the batch can be cut into parts that run in forked processes (the
objective closure is inherited through fork, never pickled). The cut depends only on the batch size,
never on the machine's core count, so every machine computes exactly the same numbers.
"""
from __future__ import annotations

import multiprocessing
import os
from typing import Callable

import numpy as np

from .lbfgs import BatchResult

MIN_STARTS_PER_PART = 500
PARTS = 2          # the machines this book targets have 2 cores

_job: Callable | None = None   # set in the parent just before forking; read by the children


def _run_part(bounds: tuple[int, int]) -> BatchResult:
    return _job(*bounds)


def _fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and os.environ.get("SCALINGLIB_NO_FORK") != "1"


def run_split(run: Callable[[int, int], BatchResult], n_starts: int) -> BatchResult:
    """run(lo, hi) optimises starts lo..hi-1; the parts are concatenated in order."""
    parts = PARTS if n_starts >= PARTS * MIN_STARTS_PER_PART else 1
    edges = np.linspace(0, n_starts, parts + 1).astype(int)
    spans = list(zip(edges[:-1].tolist(), edges[1:].tolist()))
    if parts == 1:
        return run(0, n_starts)
    global _job
    _job = run
    try:
        if _fork_available():
            with multiprocessing.get_context("fork").Pool(parts) as pool:
                results = pool.map(_run_part, spans)
        else:  # same parts, same numbers, one after the other
            results = [run(lo, hi) for lo, hi in spans]
    finally:
        _job = None
    return BatchResult(
        x=np.concatenate([r.x for r in results]), f=np.concatenate([r.f for r in results]),
        g=np.concatenate([r.g for r in results]), status=np.concatenate([r.status for r in results]),
        n_iter=np.concatenate([r.n_iter for r in results]), n_eval=sum(r.n_eval for r in results))
