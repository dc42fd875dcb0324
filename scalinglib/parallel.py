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
from threadpoolctl import threadpool_limits

from .lbfgs import BatchResult

MIN_STARTS_PER_PART = 500      # batched L-BFGS: below this a second process costs more than it saves
MIN_LOOP_STARTS_PER_PART = 2   # one scipy call per start: each start is slow enough to split from two on
PARTS = 2          # the machines this book targets have 2 cores

_job: Callable | None = None   # set in the parent just before forking; read by the children


def _run_part(indices: np.ndarray) -> BatchResult:
    # One BLAS thread per part: the parts already fill the cores, and a forked child that keeps the parent's BLAS
    # thread pool oversubscribes them (measured: 20 scipy fits ran 7x slower split over two parts than serially).
    with threadpool_limits(limits=1):
        return _job(indices)


def _fork_available() -> bool:
    # A forked part is a daemonic pool worker, which may not start processes of its own: work split inside it
    # (a big fit inside a map_split item) runs its parts one after the other, with the same numbers.
    return ("fork" in multiprocessing.get_all_start_methods() and os.environ.get("SCALINGLIB_NO_FORK") != "1"
            and not multiprocessing.current_process().daemon)


def run_split(run: Callable[[np.ndarray], BatchResult], n_starts: int,
              min_per_part: int | None = None) -> BatchResult:
    """run(indices) optimises the starts at those indices; results come back in the original order.

    Starts are dealt out round-robin (0, 2, 4, ... and 1, 3, 5, ...): grids are ordered, and a contiguous
    cut would hand one process all the slow starts.
    """
    parts = PARTS if n_starts >= PARTS * (min_per_part or MIN_STARTS_PER_PART) else 1
    if parts == 1:
        return run(np.arange(n_starts))
    spans = [np.arange(i, n_starts, parts) for i in range(parts)]
    global _job
    _job = run
    try:
        if _fork_available():
            with multiprocessing.get_context("fork").Pool(parts) as pool:
                results = pool.map(_run_part, spans)
        else:  # same parts, same numbers, one after the other
            results = [run(idx) for idx in spans]
    finally:
        _job = None
    order = np.argsort(np.concatenate(spans), kind="stable")

    def merged(field):
        return np.concatenate([getattr(r, field) for r in results])[order]
    return BatchResult(x=merged("x"), f=merged("f"), g=merged("g"), status=merged("status"),
                       n_iter=merged("n_iter"), n_eval=sum(r.n_eval for r in results))


def map_split(fn: Callable, items: list) -> list:
    """[fn(item) for item in items], dealt round-robin to PARTS forked processes (same results as serial)."""
    if len(items) < 2 * PARTS or not _fork_available():
        return [fn(item) for item in items]
    global _job
    _job = lambda idx: [fn(items[i]) for i in idx]
    spans = [np.arange(i, len(items), PARTS) for i in range(PARTS)]
    try:
        with multiprocessing.get_context("fork").Pool(PARTS) as pool:
            parts = pool.map(_run_part, spans)
    finally:
        _job = None
    out = [None] * len(items)
    for idx, results in zip(spans, parts):
        for i, r in zip(idx, results):
            out[i] = r
    return out
