"""The book's standard figures, in one style. Each function draws on a given Axes and returns it."""
from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from scalinglib import frontier

STYLE = {
    "figure.dpi": 110, "savefig.dpi": 110, "figure.figsize": (6.4, 4.2),
    "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False,
    "font.size": 10, "legend.frameon": False,
    "svg.hashsalt": "scalinglib",       # deterministic output, so re-executed notebooks do not churn
}
LOSS_CMAP = "viridis_r"
# The book's text column shows a figure at about 670 px; at 110 dpi a figure this wide is shown at 70% of its size or
# more, so 10 pt text stays readable (tests/site/browser.py fails a figure shrunk further).
COLUMN_INCHES = 8.5


def use_style() -> None:
    mpl.rcParams.update(STYLE)


def two_over_one(height: float = 7.6):
    """Three panels sized for the text column: two side by side, the third below them at full width (for the
    panel with most to show). Returns the figure and the three Axes."""
    fig = plt.figure(figsize=(COLUMN_INCHES, height))
    grid = fig.add_gridspec(2, 2)
    return fig, [fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, :])]


def loss_landscape(ax, params: dict, n_params, flops, loss, lines: dict | None = None,
                   levels: int = 12, vmin: float | None = None, vmax: float | None = None):
    """Hoffmann et al. Figure 4 (left) redrawn: contours of the fitted L(N, D = C/6N) over (C, N), the
    runs coloured by their loss on the same scale, and compute-optimal lines N_opt(C)."""
    n_params, flops, loss = (np.asarray(v, float) for v in (n_params, flops, loss))
    vmin = loss.min() if vmin is None else vmin
    vmax = loss.max() if vmax is None else vmax
    c_grid = np.logspace(np.log10(flops.min()) - 0.3, np.log10(flops.max()) + 0.3, 200)
    n_grid = np.logspace(np.log10(n_params.min()) - 0.3, np.log10(n_params.max()) + 0.3, 200)
    cc, nn = np.meshgrid(c_grid, n_grid)
    surface = frontier.loss_at(params, nn, cc / (6 * nn))
    norm = mpl.colors.Normalize(vmin=vmin, vmax=vmax)
    ax.contour(cc, nn, surface, levels=np.linspace(vmin, vmax, levels), cmap=LOSS_CMAP, norm=norm,
               linewidths=0.8)
    points = ax.scatter(flops, n_params, c=loss, cmap=LOSS_CMAP, norm=norm, s=14, edgecolors="k",
                        linewidths=0.3, zorder=3)
    for label, (p, style) in (lines or {}).items():
        ax.plot(c_grid, frontier.n_opt(p, c_grid), style, label=label, lw=1.6)
    ax.set(xscale="log", yscale="log", xlabel="training FLOPs C", ylabel="parameters N",
           xlim=(c_grid[0], c_grid[-1]), ylim=(n_grid[0], n_grid[-1]))
    plt.colorbar(points, ax=ax, label="final loss (nats/token)")
    if lines:
        ax.legend(loc="upper left")
    return ax


def isoflop_curves(ax, iso: frontier.IsoflopResult, n_params, flops, loss):
    """Loss against N for each FLOP budget, with its fitted parabola in log10 N and its vertex."""
    n_params, flops, loss = (np.asarray(v, float) for v in (n_params, flops, loss))
    group = frontier.assign_budgets(flops, iso.budgets["budget_flop"], iso.tol_dex)
    colours = plt.get_cmap("plasma")(np.linspace(0.05, 0.85, len(iso.budgets)))
    for j, row in iso.budgets.iterrows():
        m = group == j
        if not m.any():
            continue
        ax.scatter(n_params[m], loss[m], s=12, color=colours[j], label=f"{row.budget_flop:.0e}")
        if row.status == "used":
            x = np.log10(n_params[m])
            coef = np.polyfit(x, loss[m], 2)
            xs = np.linspace(x.min(), x.max(), 100)
            ax.plot(10 ** xs, np.polyval(coef, xs), color=colours[j], lw=1)
            ax.plot(row.N_opt, np.polyval(coef, np.log10(row.N_opt)), "kx", ms=6)
    ax.set(xscale="log", xlabel="parameters N", ylabel="final loss (nats/token)")
    ax.legend(title="budget (FLOPs)", fontsize=7, ncol=2)
    return ax


def frontier_lines(ax, flops_range, lines: dict, iso: frontier.IsoflopResult | None = None, band=None):
    """N_opt(C) for several parameter sets; optional IsoFLOP optima and a (lower, upper) band."""
    c = np.logspace(np.log10(flops_range[0]), np.log10(flops_range[1]), 200)
    if band is not None:
        ax.fill_between(c, band[0](c), band[1](c), color="C0", alpha=0.15, lw=0, label="95% bootstrap band")
    for label, (p, style) in lines.items():
        ax.plot(c, frontier.n_opt(p, c), style, label=label, lw=1.6)
    if iso is not None:
        used = iso.budgets[iso.budgets.status == "used"]
        ax.plot(used.budget_flop, used.N_opt, "ko", ms=4, label="IsoFLOP optima (Approach 2)")
        ax.plot(c, iso.n_opt(c), "k:", lw=1, label=f"Approach 2 fit, a = {iso.exponent_a:.3f}")
    ax.set(xscale="log", yscale="log", xlabel="training FLOPs C", ylabel="compute-optimal parameters N_opt")
    ax.legend(fontsize=8)
    return ax


def residuals(ax, x, resid, xlabel: str, highlight=None, highlight_label: str = "excluded from the fit"):
    """Residuals log(prediction) - log(observed) against x, with the `highlight` points marked."""
    x, resid = np.asarray(x, float), np.asarray(resid, float)
    ax.axhline(0, color="k", lw=0.8)
    ax.scatter(x, resid, s=10, alpha=0.7)
    if highlight is not None:
        ax.scatter(x[highlight], resid[highlight], s=30, facecolors="none", edgecolors="r",
                   label=highlight_label)
        ax.legend()
    ax.set(xscale="log", xlabel=xlabel, ylabel="log L_fit - log L_observed")
    return ax
