"""Wall time of independent fits run serially and split over the two forked parts of scalinglib.parallel.

The Bhagia chapter's bootstrap: both steps of the MMLU task law refitted on 40 resamples of the 16 ladder runs
(scipy's L-BFGS-B and least squares, one start each), three ways: serially, split over 2 parts with map_split, and
split with the parts keeping the parent's BLAS thread pool (as before the parts were limited to one BLAS thread).
Prints the wall times; the target is the split run about twice as fast as the serial one on 2 cores, with the same
results. Run: .venv/bin/python benchmarks/split_scipy_fits.py
"""
from __future__ import annotations

import contextlib
import os
import time

import numpy as np

import scalinglib.parallel as parallel
from reprobook import data
from scalinglib import taskladder as tl

N_RESAMPLES = 40


def mmlu(frame, kind):
    w = tl.MMLU_WEIGHTS
    return sum(v * frame[f"{k}_{kind}"].to_numpy() for k, v in w.items()) / sum(w.values())


def main() -> None:
    ck = data.load("ladder_checkpoints")
    runs = {r: g for r, g in ck[ck.role == "ladder"].groupby("run", sort=False)}
    points = {r: (g.N_params.iloc[0], *tl.final_point(mmlu(g, "bpb"), g.D_tokens),
                  tl.step2_series(mmlu(g, "bpb"), mmlu(g, "acc"))) for r, g in runs.items()}
    rng = np.random.default_rng(0)
    resamples = [list(rng.choice(list(runs), len(runs), replace=True)) for _ in range(N_RESAMPLES)]

    def refit(sample):
        pts = [points[r] for r in sample]
        s1 = tl.fit_step1([p[0] for p in pts], [p[2] for p in pts], [p[1] for p in pts])
        s2 = tl.fit_step2(np.concatenate([p[3][0] for p in pts]), np.concatenate([p[3][1] for p in pts]))
        return float(tl.chain(s1, s2, 6.9e9, 3.9e12)[1][0])

    timings = {}
    t0 = time.perf_counter()
    serial = [refit(s) for s in resamples]
    timings["serial"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    split = parallel.map_split(refit, resamples)
    timings["split, one BLAS thread per part"] = time.perf_counter() - t0
    limits = parallel.threadpool_limits
    parallel.threadpool_limits = lambda limits: contextlib.nullcontext()
    try:
        t0 = time.perf_counter()
        unlimited = parallel.map_split(refit, resamples)
        timings["split, parts keep the BLAS pool"] = time.perf_counter() - t0
    finally:
        parallel.threadpool_limits = limits
    print(f"{N_RESAMPLES} two-step refits (MMLU), {os.cpu_count()} cores")
    for label, seconds in timings.items():
        print(f"  {label:34s} {seconds:7.2f} s   ({timings['serial'] / seconds:.1f}x serial)")
    same = np.array_equal(serial, split) and np.array_equal(serial, unlimited)
    print(f"  identical predictions in all three: {same}")


if __name__ == "__main__":
    main()
