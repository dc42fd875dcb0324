"""Data mixtures as regression, the way Liu et al. (2024, RegMix) do it in their notebook
(sail-sg/regmix, regression_fitting/regression.ipynb), and Ye et al.'s (2024) mixing law fitted with the engine:

- `regmix_lightgbm`: one gradient-boosted regressor of a domain's loss on the 17 mixture weights, with the
  notebook's settings; `validation` gives the set whose l1 or l2 stopping for 3 rounds ends the boosting (the
  notebook uses its 1M test set, the same set it then scores: the printed correlations are not out-of-sample);
- `ridge`: the paper's linear baseline, least squares with an L2 penalty on the weights and a free intercept;
- `fit_mixing_law`: Ye et al.'s law with their objective (Huber, delta = 0.05, summed over raw losses) from
  their start grid, one t held at 0 (only differences of the t are identified on the simplex);
- `simulate_and_average`: RegMix's search, Dirichlet draws around the token prior, the mean of the k mixtures
  predicted best;
- `spearman`, `normalised`: the score the paper prints (100 rho) and the training code's renormalisation.

LightGBM is needed only by `regmix_lightgbm` and is imported there: the rest of the library does not need it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import stats

from .errors import InputError
from .fit import FitResult, fit
from .inputs import as_finite_array, as_finite_matrix, require_number, require_whole
from .laws.mixture import mixing_law

# regression.ipynb, cell 13: every LightGBM setting the notebook states (the rest at LightGBM's defaults)
LIGHTGBM_PARAMS = {"task": "train", "boosting_type": "gbdt", "objective": "regression", "metric": ["l1", "l2"],
                   "num_iterations": 1000, "seed": 42, "learning_rate": 1e-2, "verbosity": -1}
EARLY_STOPPING_ROUNDS = 3
# Ye et al.'s objective and start grid (yegcjs/mixinglaws, law.py)
MIXING_DELTA = 0.05
MIXING_LOG_C = tuple(np.linspace(-2, 1.5, 10))
MIXING_LOG_K = tuple(np.linspace(-10, 1, 20))
MIXING_T_HIGH = 0.1        # each start's t_j ~ U(0, 0.1)


def _matrix(name: str, values, n_columns: int | None = None) -> np.ndarray:
    return as_finite_matrix(name, values, n_columns, what="mixture weights")


def _target(name: str, values, n_rows: int) -> np.ndarray:
    arr = as_finite_array(name, values)
    if arr.shape != (n_rows,):
        raise InputError(f"argument {name!r} must hold one loss per mixture ({n_rows}), got shape {arr.shape}")
    return arr


def normalised(weights) -> np.ndarray:
    """Rows scaled to sum to one, as RegMix's training code does before sampling (the released weights carry three
    decimals, so their sums are 0.996-1.003). Rows must be non-negative with a positive sum."""
    w = _matrix("weights", weights)
    sums = w.sum(axis=1)
    bad = np.flatnonzero((w < 0).any(axis=1) | (sums <= 0))
    if bad.size:
        raise InputError(f"argument 'weights': row {int(bad[0])} has a negative weight or sums to {sums[bad[0]]:g}; "
                         f"a mixture's weights must be >= 0 with a positive sum")
    return w / sums[:, None]


def spearman(predicted, measured) -> float:
    """Spearman's rank correlation of predicted and measured losses (the paper prints 100 times this)."""
    predicted, measured = as_finite_array("predicted", predicted), as_finite_array("measured", measured)
    if predicted.shape != measured.shape or predicted.ndim != 1 or len(predicted) < 3:
        raise InputError(f"arguments 'predicted' and 'measured' must be 1-d of one length >= 3, got "
                         f"{predicted.shape} and {measured.shape}")
    return float(stats.spearmanr(predicted, measured).statistic)


@dataclass(frozen=True)
class Booster:
    """A fitted LightGBM regressor and the rounds it kept (the best validation round, or every round)."""
    model: object
    rounds: int

    def predict(self, weights) -> np.ndarray:
        return self.model.predict(_matrix("weights", weights, self.model.num_feature()), num_iteration=self.rounds)


def _lightgbm():
    try:
        import lightgbm
    except ImportError as exc:  # the one optional dependency: say how to get it
        raise InputError("regmix_lightgbm needs the 'lightgbm' package: pip install 'lightgbm==4.7.0' "
                         "(the version the book pins in requirements.lock)") from exc
    return lightgbm


def regmix_lightgbm(weights, loss, validation: tuple | None = None, rounds: int | None = None,
                    metrics: tuple[str, ...] = ("l1", "l2")) -> Booster:
    """RegMix's regressor of `loss` on the mixture `weights` (n, domains), with the notebook's settings.

    validation: (weights, loss) of a set for early stopping, as the notebook's eval_set: boosting ends when l1 or
    l2 on it has not improved for 3 rounds, and the best round of that metric is kept. rounds: a fixed number of
    boosting rounds instead (no early stopping). Give at most one; neither means the notebook's 1000 rounds.
    metrics: the validation metrics early stopping watches (the notebook's l1 and l2; any one that stalls ends it)."""
    lgb = _lightgbm()
    x = _matrix("weights", weights)
    y = _target("loss", loss, len(x))
    if validation is not None and rounds is not None:
        raise InputError("give either 'validation' (early stopping) or 'rounds' (a fixed count), not both")
    if not metrics or not all(m in ("l1", "l2") for m in metrics):
        raise InputError(f"argument 'metrics' must name 'l1' and/or 'l2', got {metrics!r}")
    params = dict(LIGHTGBM_PARAMS, metric=list(metrics))
    if rounds is not None:
        params["num_iterations"] = require_whole("rounds", rounds, 1)
    train = lgb.Dataset(x, y)
    if validation is None:
        model = lgb.train(params, train)
        return Booster(model, model.current_iteration())
    if not (isinstance(validation, tuple) and len(validation) == 2):
        raise InputError("argument 'validation' must be a pair (weights, loss)")
    vx = _matrix("validation[0]", validation[0], x.shape[1])
    vy = _target("validation[1]", validation[1], len(vx))
    model = lgb.train(params, train, valid_sets=[lgb.Dataset(vx, vy, reference=train)],
                      callbacks=[lgb.early_stopping(EARLY_STOPPING_ROUNDS, verbose=False)])
    return Booster(model, model.best_iteration)


@dataclass(frozen=True)
class Ridge:
    """A linear model loss = intercept + weights . coef, fitted with penalty * |coef|^2 (intercept free)."""
    intercept: float
    coef: np.ndarray
    penalty: float

    def predict(self, weights) -> np.ndarray:
        return self.intercept + _matrix("weights", weights, len(self.coef)) @ self.coef


def ridge(weights, loss, penalty: float) -> Ridge:
    """Least squares of `loss` on `weights` with an L2 penalty on the coefficients, not on the intercept (as
    scikit-learn's Ridge). penalty = 0 is ordinary least squares; with weights summing to one the intercept and
    the coefficients are then not separately identified, and the minimum-norm solution is returned."""
    x = _matrix("weights", weights)
    y = _target("loss", loss, len(x))
    penalty = require_number("penalty", penalty, minimum=0)
    xm, ym = x.mean(axis=0), y.mean()
    xc, yc = x - xm, y - ym
    if penalty == 0:
        coef = np.linalg.lstsq(xc, yc, rcond=None)[0]
    else:
        coef = np.linalg.solve(xc.T @ xc + penalty * np.eye(x.shape[1]), xc.T @ yc)
    return Ridge(float(ym - xm @ coef), coef, float(penalty))


def ye_starts(domains, pinned: str, n_random: int = 30, seed: int = 0, grid_every: tuple[int, int] = (1, 1)) -> np.ndarray:
    """Ye et al.'s starts over the free parameters (log_c, log_k, t_<domain> except the pinned one): their 10 x 20
    grid of (log c, log k) times `n_random` t vectors drawn U(0, 0.1) (unseeded in their code; seeded here).
    grid_every = (i, j) keeps every i-th log c and every j-th log k of the grid (a coarser grid, fewer starts)."""
    domains = tuple(domains)
    if pinned not in domains:
        raise InputError(f"argument 'pinned' must be one of the domains {list(domains)}, got {pinned!r}")
    n_random = require_whole("n_random", n_random, 1)
    if len(grid_every) != 2:
        raise InputError(f"argument 'grid_every' must be two whole numbers >= 1, got {grid_every!r}")
    every_c, every_k = (require_whole("grid_every", g, 1) for g in grid_every)
    rng = np.random.default_rng(seed)
    t = rng.uniform(0.0, MIXING_T_HIGH, size=(n_random, len(domains) - 1))
    grid = np.array([(c, k) for c in MIXING_LOG_C[::every_c] for k in MIXING_LOG_K[::every_k]])
    return np.column_stack([np.repeat(grid, n_random, axis=0), np.tile(t, (len(grid), 1))])


@dataclass(frozen=True)
class MixingFit:
    """Ye et al.'s law fitted to one domain's losses: the engine's result and the domains (the law's variables)."""
    result: FitResult
    domains: tuple[str, ...]

    def predict(self, weights) -> np.ndarray:
        """Predicted loss of mixtures (rows of `weights` over the domains; normalised to sum to one first)."""
        w = normalised(_matrix("weights", weights, len(self.domains)))
        return self.result.predict(dict(zip(self.domains, w.T)))


def fit_mixing_law(weights, loss, domains, pinned: str, n_random: int = 30, seed: int = 0,
                   grid_every: tuple[int, int] = (1, 1)) -> MixingFit:
    """Ye et al.'s law fitted to losses of mixtures (rows of `weights` over `domains`, normalised to sum to one
    here), with their objective and starts (see ye_starts); t_<pinned> is held at 0, so every other t_j is the
    change of the log reducible loss when weight moves from the pinned domain to domain j."""
    domains = tuple(domains)
    w = normalised(_matrix("weights", weights, len(domains)))
    y = _target("loss", loss, len(w))
    starts = ye_starts(domains, pinned, n_random, seed, grid_every)
    result = fit(mixing_law(domains), dict(zip(domains, w.T)), y, starts=starts, loss="huber", delta=MIXING_DELTA,
                 residual_space="linear", fixed={f"t_{pinned}": 0.0})
    return MixingFit(result, domains)


def simulate_and_average(predict: Callable[[np.ndarray], np.ndarray], prior, n_samples: int = 100_000,
                         top_k: int = 128, seed: int = 42) -> np.ndarray:
    """RegMix's search (notebook cells 16-18): draw `n_samples` mixtures from Dirichlet(prior) with numpy's
    legacy generator seeded `seed` (np.random.seed), predict each, and average the `top_k` predicted lowest."""
    prior = as_finite_array("prior", prior)
    if prior.ndim != 1 or len(prior) < 2 or (prior <= 0).any():
        raise InputError("argument 'prior' must be a 1-d array of at least two positive Dirichlet parameters")
    n_samples = require_whole("n_samples", n_samples, 1)
    if require_whole("top_k", top_k, 1) > n_samples:
        raise InputError(f"argument 'top_k' must be at most n_samples = {n_samples}, got {top_k!r}")
    samples = np.random.RandomState(seed).dirichlet(prior, n_samples)
    predicted = np.asarray(predict(samples), float)
    if predicted.shape != (len(samples),):
        raise InputError(f"argument 'predict' must return one loss per sample ({len(samples)}), got shape "
                         f"{predicted.shape}")
    return samples[np.argsort(predicted)[:top_k]].mean(axis=0)
