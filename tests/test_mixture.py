"""RegMix's regression and search, and Ye et al.'s mixing law (scalinglib.mixture, scalinglib.laws.mixture): the
law recovers known constants on the simplex, ridge solves its stated problem, the search is seeded, LightGBM's
settings and stopping rules are the notebook's, and bad input is refused with the argument named."""
import sys

import numpy as np
import pytest

import scalinglib as sl
from scalinglib import mixture as mx
from scalinglib.errors import InputError
from scalinglib.laws.mixture import REGMIX_DOMAINS, mixing_law

DOMAINS = ("a", "b", "c", "d")
TRUE = {"log_c": np.log(2.0), "log_k": 0.2, "t_a": 0.0, "t_b": 0.8, "t_c": -0.6, "t_d": 1.5}


def mixtures(n=120, seed=1):
    """Random mixtures and the exact losses of the law at TRUE (a test fixture, not data)."""
    w = np.random.default_rng(seed).dirichlet(np.ones(len(DOMAINS)), n)
    law = mixing_law(DOMAINS)
    return w, law.predict(TRUE, dict(zip(DOMAINS, w.T)))


def test_the_mixing_law_recovers_its_constants_with_one_t_pinned():
    w, y = mixtures()
    f = mx.fit_mixing_law(w, y, DOMAINS, pinned="a", n_random=1, grid_every=(3, 4))
    for name, value in TRUE.items():
        assert f.result.params[name] == pytest.approx(value, abs=1e-3), name
    assert np.allclose(f.predict(w), y, atol=1e-6)


def test_the_law_is_unchanged_by_a_shift_of_every_t_on_the_simplex():
    w, y = mixtures(20)
    law = mixing_law(DOMAINS)
    shifted = {**TRUE, "log_k": TRUE["log_k"] - 0.7, **{f"t_{d}": TRUE[f"t_{d}"] + 0.7 for d in DOMAINS}}
    assert np.allclose(law.predict(shifted, dict(zip(DOMAINS, w.T))), y)


def test_a_mixing_law_is_registered_once_per_name_and_refuses_other_domains():
    assert mixing_law(DOMAINS) is mixing_law(DOMAINS)
    assert sl.get_law("ye_mixing_regmix17").variables == REGMIX_DOMAINS
    with pytest.raises(InputError, match="registered with domains"):
        mixing_law(("x", "y"), name="ye_mixing_regmix17")
    with pytest.raises(InputError, match="'domains'"):
        mixing_law(("a", "a"))


def test_weights_are_normalised_and_a_negative_row_is_named():
    assert np.allclose(mx.normalised([[0.2, 0.2], [1.0, 3.0]]).sum(axis=1), 1.0)
    with pytest.raises(InputError, match="row 1"):
        mx.normalised([[0.5, 0.5], [-0.1, 1.1]])
    with pytest.raises(InputError, match="row 0, column 1"):
        mx.normalised([[0.5, np.nan]])
    with pytest.raises(InputError, match="2-d"):
        mx.normalised([0.5, 0.5])


def test_ridge_solves_the_penalised_problem_with_a_free_intercept():
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(50, 3))
    y = 1.5 + x @ np.array([1.0, -2.0, 0.5]) + rng.normal(0, 0.01, 50)
    exact = mx.ridge(x, y, 0.0)
    assert exact.intercept == pytest.approx(1.5, abs=0.02) and np.allclose(exact.coef, [1.0, -2.0, 0.5], atol=0.03)
    lam = 2.0
    m = mx.ridge(x, y, lam)
    # the gradient of |y - b - x c|^2 + lam |c|^2 vanishes at the solution
    r = y - m.predict(x)
    assert abs(r.sum()) < 1e-9 and np.allclose(-2 * x.T @ r + 2 * lam * m.coef, 0, atol=1e-9)
    with pytest.raises(InputError, match="'penalty'"):
        mx.ridge(x, y, -1.0)
    with pytest.raises(InputError, match="'loss'"):
        mx.ridge(x, y[:10], 1.0)


def test_spearman_refuses_arrays_of_different_lengths():
    assert mx.spearman([1, 2, 3, 4], [10, 20, 30, 25]) == pytest.approx(0.8)
    with pytest.raises(InputError, match="one length"):
        mx.spearman([1, 2, 3], [1, 2, 3, 4])


def test_the_search_is_seeded_and_checks_its_arguments():
    prior = np.array([0.5, 0.3, 0.2])

    def predict(w):
        return w[:, 0]            # lower is better: the search moves weight away from the first domain

    one = mx.simulate_and_average(predict, prior, n_samples=1000, top_k=10, seed=3)
    assert np.array_equal(one, mx.simulate_and_average(predict, prior, n_samples=1000, top_k=10, seed=3))
    assert one[0] < prior[0] and one.sum() == pytest.approx(1.0)
    with pytest.raises(InputError, match="'top_k'"):
        mx.simulate_and_average(predict, prior, n_samples=10, top_k=11)
    with pytest.raises(InputError, match="'prior'"):
        mx.simulate_and_average(predict, [0.5, 0.0], n_samples=10, top_k=1)
    with pytest.raises(InputError, match="'predict'"):
        mx.simulate_and_average(lambda w: w, prior, n_samples=10, top_k=1)


def test_lightgbm_keeps_its_rounds_and_refuses_contradictory_options():
    pytest.importorskip("lightgbm")
    w, y = mixtures(200)
    fixed = mx.regmix_lightgbm(w, y, rounds=50)
    assert fixed.rounds == 50
    stopped = mx.regmix_lightgbm(w[:150], y[:150], validation=(w[150:], y[150:]))
    assert 1 <= stopped.rounds < 1000           # the notebook's 1000 rounds, ended by the validation set
    assert mx.spearman(stopped.predict(w[150:]), y[150:]) > 0.8
    with pytest.raises(InputError, match="not both"):
        mx.regmix_lightgbm(w, y, validation=(w, y), rounds=10)
    with pytest.raises(InputError, match="'metrics'"):
        mx.regmix_lightgbm(w, y, validation=(w, y), metrics=("rmse",))
    with pytest.raises(InputError, match=r"\(n, 4\)"):
        mx.regmix_lightgbm(w, y, validation=(w[:, :3], y))


def test_a_missing_lightgbm_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "lightgbm", None)      # import lightgbm now raises ImportError
    with pytest.raises(InputError, match="pip install 'lightgbm"):
        mx.regmix_lightgbm(*mixtures(20))
