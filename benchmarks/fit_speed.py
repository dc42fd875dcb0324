"""Speed of the batched engine against scipy loops, on the paper's full start grid.

Fits Hoffmann et al.'s Approach 3 (summed Huber, delta 1e-3, log residuals) to the 240 Chinchilla points
from all 4,500 starts of App. D.2, three ways, on the same objective (scalinglib's objective function):

1. scalinglib: all starts at once, batched L-BFGS with the analytic gradient, split over 2 processes;
2. the plain loop the issue names: one scipy.optimize.minimize(fun, x0, method="L-BFGS-B") per start,
   objective only, so scipy estimates the gradient by finite differences (as Besiroglu et al.'s notebook);
3. a stronger baseline: the same loop, given scalinglib's analytic gradient (jac=True).

Prints wall times, speed-ups and best objectives. Targets (issue 2): the same best objective to 1e-6
relative, and scalinglib at least 50x faster than the plain loop on 2 cores.
Run: make benchmark   (about 8 minutes: the scipy loops are the slow part; --quick skips the plain loop)
"""
from __future__ import annotations

import os
import platform
import sys
import time

import numpy as np
from scipy import optimize

import scalinglib as sl
from reprobook import data
from scalinglib.fit import make_problem


def plain_loop(problem, starts):
    """One scipy call per start, passing only the objective value (finite-difference gradient)."""
    fg = problem.objective()
    row = np.array([0])
    best = np.inf
    for x0 in starts:
        res = optimize.minimize(lambda v: fg(v[None, :], row)[0][0], x0, method="L-BFGS-B")
        best = min(best, res.fun)
    return best


def main(quick: bool) -> None:
    points = data.load("chinchilla_fig4")
    points = points[~points.epoch_excluded]
    x = {"N": points.N_params.to_numpy(), "D": points.D_tokens.to_numpy()}
    y = points.loss_nats.to_numpy()
    starts = sl.get_law("chinchilla").start_points()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, numpy {np.__version__}; "
          f"{len(starts)} starts, {len(y)} points")

    t0 = time.perf_counter()
    batched = sl.fit("chinchilla", x, y, starts=starts)
    t_batched = time.perf_counter() - t0
    print(f"1. scalinglib, batched L-BFGS            : {t_batched:8.2f} s  best objective {batched.objective:.12g}")

    rows = []
    if not quick:
        t0 = time.perf_counter()
        best_plain = plain_loop(make_problem("chinchilla", x, y), starts)
        rows.append(("2. plain scipy loop (objective only)", time.perf_counter() - t0, best_plain))
    t0 = time.perf_counter()
    looped = sl.fit("chinchilla", x, y, starts=starts, optimizer="scipy:L-BFGS-B")
    rows.append(("3. scipy loop with the analytic gradient", time.perf_counter() - t0, looped.objective))

    for label, seconds, best in rows:
        rel = abs(batched.objective - best) / abs(best)
        print(f"{label:41s}: {seconds:8.2f} s  best objective {best:.12g}  speed-up of 1: {seconds / t_batched:5.1f}x  "
              f"relative difference of best objectives {rel:.1e}")
    if not quick:
        ratio = rows[0][1] / t_batched
        rel = abs(batched.objective - rows[0][2]) / abs(rows[0][2])
        print(f"targets against the plain loop: speed-up >= 50x {'met' if ratio >= 50 else 'NOT met'} ({ratio:.1f}x); "
              f"best objective within 1e-6 {'met' if rel <= 1e-6 else 'NOT met'} ({rel:.1e})")
    print(f"scalinglib: {batched.n_best_basin} of {len(starts)} starts in the best basin; parameters "
          + ", ".join(f"{k} {v:.6g}" for k, v in batched.natural.items()))


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
