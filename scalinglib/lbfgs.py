"""L-BFGS for many independent starts at once, as array operations.

Every start keeps its own curvature memory, step length and stopping state, but the objective and
its gradient are evaluated for all still-running starts in one call, so the cost of a 4,500-start
grid is a few hundred vectorised evaluations instead of 4,500 separate optimiser runs.

Bounds are handled by projection (clip the trial point, drop direction components that push out of
an active bound), which is enough for the box constraints the laws declare. The line search is a
backtracking Armijo search; curvature pairs that fail s.y > 0 are skipped, as in standard L-BFGS.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

# fg(x of shape (k, P), rows of shape (k,)) -> (f of shape (k,), g of shape (k, P)); `rows` says which
# starts of the batch the k points belong to (the objective may differ per start, e.g. bootstrap weights).
ObjectiveFn = Callable[[np.ndarray, np.ndarray], "tuple[np.ndarray, np.ndarray]"]

STATUS_MESSAGES = {
    "gradient": "projected gradient below gtol",
    "ftol": "relative decrease of the objective below ftol",
    "line-search": "no decrease found along the steepest-descent direction",
    "max-iter": "iteration limit reached",
    "non-finite": "objective not finite at the start",
}
CONVERGED = ("gradient", "ftol")


@dataclass
class BatchResult:
    x: np.ndarray          # (S, P) final points
    f: np.ndarray          # (S,) final objectives
    g: np.ndarray          # (S, P) final gradients
    status: np.ndarray     # (S,) keys of STATUS_MESSAGES
    n_iter: np.ndarray     # (S,)
    n_eval: int            # total point evaluations, summed over starts

    @property
    def converged(self) -> np.ndarray:
        return np.isin(self.status, CONVERGED)


def _projected_grad_norm(x, g, lo, hi):
    pg = g.copy()
    pg[(x <= lo) & (g > 0)] = 0.0
    pg[(x >= hi) & (g < 0)] = 0.0
    return np.abs(pg).max(axis=1)


def lbfgs_batched(fg: ObjectiveFn, x0: np.ndarray, lower: np.ndarray | None = None,
                  upper: np.ndarray | None = None, memory: int = 10, max_iter: int = 1000,
                  gtol: float = 1e-9, ftol: float = 1e-10, max_backtracks: int = 60,
                  c1: float = 1e-4) -> BatchResult:
    """Minimise fg from every row of x0 (S, P). Stops a start when its projected gradient is below
    gtol (absolute, max-norm) or one iteration lowers its objective by less than ftol (relative).
    `lower` and `upper` are (P,), the same box for every start, or (S, P), one box per start."""
    x_out = np.array(x0, dtype=float)
    n_starts, n_par = x_out.shape
    lo = np.full(n_par, -np.inf) if lower is None else np.asarray(lower, float)
    hi = np.full(n_par, np.inf) if upper is None else np.asarray(upper, float)
    per_row = lo.ndim == 2 or hi.ndim == 2     # one box per start: compacted with the working rows below
    if per_row:
        lo, hi = np.broadcast_to(lo, x_out.shape), np.broadcast_to(hi, x_out.shape)
    np.clip(x_out, lo, hi, out=x_out)
    f_out, g_out = fg(x_out, np.arange(n_starts))
    n_eval = n_starts
    status = np.full(n_starts, "", dtype=object)
    status[~np.isfinite(f_out)] = "non-finite"
    n_iter = np.zeros(n_starts, int)

    # Working arrays hold only the starts still running, compacted as starts finish, so every
    # operation below is on contiguous arrays (no fancy indexing into the full batch).
    rows = np.flatnonzero(status == "")
    x, f, g = x_out[rows], f_out[rows], g_out[rows]
    lo_w, hi_w = (lo[rows], hi[rows]) if per_row else (lo, hi)
    # Histories are slot-major, (memory, starts, P), so each slot is one contiguous (starts, P) block.
    s_hist = np.zeros((memory, rows.size, n_par))
    y_hist = np.zeros((memory, rows.size, n_par))
    rho = np.zeros((memory, rows.size))     # 1 / s.y, or 0 where the slot holds no valid pair
    gamma = np.ones(rows.size)
    finished = np.zeros(rows.size, dtype=object)   # 0 while running, else the stop reason
    alive = np.ones(rows.size, bool)

    for it in range(max_iter):
        if not alive.any():
            break
        # Two-loop recursion over the ring buffer, newest pair first.
        order = [(it - 1 - j) % memory for j in range(memory)]
        q = g.copy()
        alphas = []
        for j in order:
            a_j = rho[j] * np.einsum("kp,kp->k", s_hist[j], q)
            q -= a_j[:, None] * y_hist[j]
            alphas.append(a_j)
        d = gamma[:, None] * q
        for j, a_j in zip(reversed(order), reversed(alphas)):
            b_j = rho[j] * np.einsum("kp,kp->k", y_hist[j], d)
            d += s_hist[j] * (a_j - b_j)[:, None]
        np.negative(d, out=d)
        has_hist = (rho != 0).any(axis=0)
        # Where the L-BFGS direction is not a descent direction, use steepest descent and forget.
        bad = ~(np.einsum("kp,kp->k", g, d) < 0)
        if bad.any():
            d[bad] = -g[bad]
            rho[:, bad] = 0.0
            has_hist &= ~bad
        d[((x <= lo_w) & (d < 0)) | ((x >= hi_w) & (d > 0))] = 0.0

        step = np.where(has_hist, 1.0, np.minimum(1.0, 1.0 / np.maximum(np.linalg.norm(d, axis=1), 1e-300)))
        new_x, new_f, new_g = x.copy(), f.copy(), g.copy()
        pending = np.flatnonzero(alive)
        for _ in range(max_backtracks):
            trial = np.clip(x[pending] + step[pending, None] * d[pending], lo_w[pending] if per_row else lo,
                            hi_w[pending] if per_row else hi)
            ft, gt = fg(trial, rows[pending])
            n_eval += pending.size
            decrease = np.einsum("kp,kp->k", g[pending], trial - x[pending])
            ok = np.isfinite(ft) & (ft <= f[pending] + c1 * decrease)
            done = pending[ok]
            new_x[done], new_f[done], new_g[done] = trial[ok], ft[ok], gt[ok]
            # Shrink by safeguarded quadratic interpolation of f along d (minimiser of the parabola
            # through f(0), f'(0) and f(t)), kept within [0.1 t, 0.5 t]; plain halving where f is not finite.
            t_fail = step[pending[~ok]]
            rise = ft[~ok] - f[pending[~ok]] - decrease[~ok]
            slope0 = decrease[~ok] / np.where(t_fail > 0, t_fail, 1.0)
            with np.errstate(all="ignore"):
                t_quad = -slope0 * t_fail ** 2 / (2.0 * rise)
            t_new = np.where(np.isfinite(t_quad) & (rise > 0), np.clip(t_quad, 0.1 * t_fail, 0.5 * t_fail), 0.5 * t_fail)
            pending = pending[~ok]
            if pending.size == 0:
                break
            step[pending] = t_new
        # A failed search gets one more try as steepest descent; without memory to forget, it ends.
        failed = ~alive
        failed[pending] = True
        finished[failed & alive & ~has_hist] = "line-search"
        rho[:, failed] = 0.0

        s = new_x - x
        y = new_g - g
        with np.errstate(all="ignore"):
            sy = np.einsum("kp,kp->k", s, y)
            yy = np.einsum("kp,kp->k", y, y)
            # Keep a curvature pair only if s.y > 0 and both 1/(s.y) and s.y/y.y are finite numbers.
            good = ~failed & (sy > 1e-12 * np.linalg.norm(s, axis=1) * np.sqrt(yy))
            good &= np.isfinite(1.0 / sy) & np.isfinite(sy / yy) & (yy > 0)
        slot = it % memory
        s_hist[slot] = np.where(good[:, None], s, 0.0)
        y_hist[slot] = np.where(good[:, None], y, 0.0)
        rho[slot] = np.where(good, 1.0 / np.where(good, sy, 1.0), 0.0)
        gamma = np.where(good, sy / np.where(good, yy, 1.0), gamma)

        f_old = f
        x, f, g = new_x, new_f, new_g
        n_iter[rows[alive]] += 1
        moved = alive & ~failed
        stalled = moved & ((f_old - f) <= ftol * np.maximum(np.maximum(np.abs(f_old), np.abs(f)), 1e-300))
        finished[stalled & (finished == 0)] = "ftol"
        finished[moved & (_projected_grad_norm(x, g, lo_w, hi_w) <= gtol)] = "gradient"

        newly = alive & (finished != 0)
        if newly.any():
            out = rows[newly]
            x_out[out], f_out[out], g_out[out], status[out] = x[newly], f[newly], g[newly], finished[newly]
            alive &= ~newly
        # Compact the working arrays only when enough rows have finished: copying the curvature
        # history every iteration would cost more than carrying a few finished rows along.
        if (~alive).sum() * 8 > alive.size:
            keep = alive
            rows, x, f, g, alive = rows[keep], x[keep], f[keep], g[keep], alive[keep]
            s_hist, y_hist, rho = s_hist[:, keep], y_hist[:, keep], rho[:, keep]
            gamma, finished = gamma[keep], finished[keep]
            if per_row:
                lo_w, hi_w = lo_w[keep], hi_w[keep]

    rows, x, f, g = rows[alive], x[alive], f[alive], g[alive]
    x_out[rows], f_out[rows], g_out[rows], status[rows] = x, f, g, "max-iter"
    return BatchResult(x=x_out, f=f_out, g=g_out, status=status.astype(str), n_iter=n_iter, n_eval=n_eval)
