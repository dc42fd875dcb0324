"""The precision-law helpers: conventions, the closed forms, and their numerical cross-checks."""
import numpy as np
import pytest
from scipy import optimize

from scalinglib.laws import precision
from scalinglib.errors import InputError

K = {"A": 4.299e3, "alpha": 0.4965, "B": 1.806e4, "beta": 0.4965, "E": 2.7648,
     "gamma_w": 2.6745, "n_w": 0.3037, "gamma_a": 2.2102, "n_a": 1.4072, "gamma_kv": 0.9578, "n_kv": 2.4185,
     "C_T": 0.0598, "gamma_D": 0.5068, "gamma_N": 0.3439, "gamma_post": 0.5907, "b_post": 1.1277}


def test_conventions_differ_only_in_the_sign_of_the_offset():
    add = precision.precision_factor(8.0, 2.0, 0.5, "add")
    sub = precision.precision_factor(8.0, 2.0, 0.5, "subtract")
    assert add == pytest.approx(1 - np.exp(-4.0 + 0.5))
    assert sub == pytest.approx(1 - np.exp(-4.5))
    with pytest.raises(InputError, match="convention must be one of"):
        precision.precision_factor(8.0, 2.0, 0.5, "plus")


def test_effective_params_are_nan_below_the_describable_precision():
    out = precision.effective_params(np.array([1e8, 1e8]), {"kv": np.array([1.0, 8.0])}, K, "add")
    assert np.isnan(out[0]) and out[1] > 0


def test_turning_point_is_where_the_loss_after_ptq_stops_falling():
    n, p_post = 1e8, 4.0
    d_star = precision.ptq_turning_point(n, p_post, K, "add")
    total = lambda log_d: float(precision.base_loss(n, np.exp(log_d), K) + precision.delta_ptq(n, np.exp(log_d), p_post, K, "add"))
    res = optimize.minimize_scalar(total, bounds=(np.log(1e6), np.log(1e16)), method="bounded", options={"xatol": 1e-10})
    assert np.exp(res.x) == pytest.approx(d_star, rel=1e-4)


def test_joint_optimum_closed_form_matches_a_direct_optimisation():
    closed = precision.optimal_precision_joint(K, "add")["P*"]
    for budget in (1e20, 1e24):
        assert precision.optimal_config_at_budget(K, budget, "add")["P"] == pytest.approx(closed, abs=1e-3)


def test_fixed_size_precision_optimum_is_a_minimum():
    opt = precision.optimal_precision_fixed_n(K, 1e9, 1e22, "add")
    def loss(p):
        return float(precision.base_loss(precision.effective_params(1e9, {"w": p, "a": p, "kv": p}, K, "add"),
                                         1e22 / (precision.COST_FACTOR * 1e9 * p), K))
    assert opt["loss"] <= min(loss(opt["P*"] - 0.05), loss(opt["P*"] + 0.05))
