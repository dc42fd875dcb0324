"""Wall time of the BNSL chapter's extrapolation benchmark: each form fitted curve by curve (two forked parts, as
the chapter did before scalinglib.stacked) and as one stacked batch per form (what it does now).

Prints the seconds per form both ways, and how far the two ways land apart (relative objective, held-out RMSLE):
they minimise the same objectives and differ only in the order of floating-point sums, which moves fits that end
on a stall or the iteration limit. Target: the stacked run at least twice as fast on 2 cores.
Run: .venv/bin/python benchmarks/stacked_curves.py
"""
from __future__ import annotations

import time

import numpy as np

from reprobook import data
from scalinglib import extrapolation
from scalinglib.laws import bnsl
from scalinglib.parallel import map_split


def main() -> None:
    bench = data.load("bnsl_benchmark")
    groups = [g for _, g in bench.groupby(["domain", "task", "model"], sort=True)]
    fitting = [(g[g.used_for_fitting].seen_examples.to_numpy(), g[g.used_for_fitting].loss.to_numpy()) for g in groups]
    held = [(g[~g.used_for_fitting].seen_examples.to_numpy(), g[~g.used_for_fitting].loss.to_numpy()) for g in groups]
    print(f"{len(groups)} curves; seconds per form, curve by curve (2 parts) and stacked")
    totals = [0.0, 0.0]

    def scored(result, curve):          # what the chapter keeps of a fit (a FitResult does not cross processes)
        return result.objective, bnsl.rmsle(result.predict({"x": held[curve][0]}), held[curve][1])
    for form in extrapolation.FORMS:
        t0 = time.perf_counter()
        one_by_one = map_split(lambda i: scored(extrapolation.fit_form(form, *fitting[i]), i), list(range(len(groups))))
        t1 = time.perf_counter()
        stacked = [scored(r, i) for i, r in enumerate(extrapolation.fit_form_to_curves(form, fitting))]
        t2 = time.perf_counter()
        totals[0] += t1 - t0
        totals[1] += t2 - t1
        objective = max(abs(a[0] - b[0]) / abs(b[0]) for a, b in zip(stacked, one_by_one))
        rmsle = max(abs(a[1] - b[1]) for a, b in zip(stacked, one_by_one))
        print(f"  {form:5s} {t1 - t0:6.1f} s  {t2 - t1:6.1f} s   largest difference: objective {objective:.1e} "
              f"(relative), held-out RMSLE {rmsle:.1e}")
    print(f"  total {totals[0]:6.1f} s  {totals[1]:6.1f} s   ({totals[0] / totals[1]:.1f}x)")


if __name__ == "__main__":
    main()
