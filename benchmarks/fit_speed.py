"""Speed of the batched engine against a plain scipy loop, on the paper's full start grid.

Fits Hoffmann et al.'s Approach 3 (summed Huber, delta 1e-3, log residuals) to the 240 Chinchilla points
from all 4,500 starts of App. D.2, twice: with scalinglib's batched L-BFGS, and with one
scipy.optimize.minimize(method="L-BFGS-B") per start on the same objective and analytic gradient
(scipy's default tolerances). Prints both wall times, their ratio and both best objectives.
Targets (issue 2): the same best objective to 1e-6 relative, and scalinglib at least 50x faster on 2 cores.
Run: make benchmark   (takes a few minutes: the scipy loop is the slow part)
"""
from __future__ import annotations

import os
import platform
import time

import numpy as np

import scalinglib as sl
from scalinglib import data


def main() -> None:
    points = data.load("chinchilla_fig4")
    points = points[~points.epoch_excluded]
    x = {"N": points.N_params.to_numpy(), "D": points.D_tokens.to_numpy()}
    y = points.loss_nats.to_numpy()
    starts = sl.get_law("chinchilla").start_points()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"numpy {np.__version__}; {len(starts)} starts, {len(y)} points")

    t0 = time.perf_counter()
    batched = sl.fit("chinchilla", x, y, starts=starts)
    t_batched = time.perf_counter() - t0
    print(f"scalinglib batched L-BFGS : {t_batched:8.2f} s   best objective {batched.objective:.12g}   "
          f"starts in best basin {batched.n_best_basin}")

    t0 = time.perf_counter()
    looped = sl.fit("chinchilla", x, y, starts=starts, optimizer="scipy:L-BFGS-B")
    t_loop = time.perf_counter() - t0
    print(f"scipy L-BFGS-B, one call per start: {t_loop:8.2f} s   best objective {looped.objective:.12g}   "
          f"starts in best basin {looped.n_best_basin}")

    rel = abs(batched.objective - looped.objective) / abs(looped.objective)
    ratio = t_loop / t_batched
    print(f"speed-up {ratio:.1f}x (target >= 50x: {'met' if ratio >= 50 else 'NOT met'}); "
          f"relative difference of best objectives {rel:.2e} (target <= 1e-6: {'met' if rel <= 1e-6 else 'NOT met'})")
    print("best parameters (batched | scipy loop): " + ", ".join(
        f"{k} {batched.natural[k]:.6g} | {looped.natural[k]:.6g}" for k in batched.natural))


if __name__ == "__main__":
    main()
