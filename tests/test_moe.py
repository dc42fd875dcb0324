"""Parameter and FLOP counting and the compute-optimal search for fine-grained MoE."""
import numpy as np
import pytest
from scipy import optimize

from scalinglib.laws import moe
from scalinglib.errors import InputError

TABLE1 = {"c": 0.47, "a": 18.1, "alpha": 0.115, "b": 30.8, "beta": 0.147, "g": 2.1, "gamma": 0.58}


def test_counts_follow_appendix_e():
    d = 1024.0
    assert moe.n_blocks(d) == 16
    assert moe.active_params(d) == pytest.approx(12 * d ** 2 * 16)
    assert moe.total_params(d, 64) == pytest.approx(4 * d ** 2 * (2 * 64 + 1) * 16)   # the code's form
    assert moe.flops_per_token(d, 64, 8) == pytest.approx(16 * (72 * d ** 2 + 14 * d * 64 * 8))
    assert moe.active_params(moe.d_model_for_active(1e9)) == pytest.approx(1e9)


def test_optimal_config_is_the_minimum_over_a_brute_force_grid():
    flops = 1e20
    best = moe.optimal_config(TABLE1, flops)
    for g in (1, 4, 16, 64):
        ds = np.geomspace(128, 16384, 400)
        losses = moe.moe_loss(TABLE1, ds, 64, np.full(ds.size, g), flops / moe.flops_per_token(ds, 64, g))
        assert best["loss"] <= losses.min() + 1e-9
    assert best["G"] in [2 ** i for i in range(9)]
    assert best["tokens"] * moe.flops_per_token(best["d_model"], 64, best["G"]) == pytest.approx(flops)


def test_dense_optimum_and_flops_for_loss_invert_each_other():
    dense = {"c": 0.47, "a": 16.3, "alpha": 0.126, "b": 26.7, "beta": 0.127}
    opt = moe.dense_optimal(dense, 1e21)
    grid = optimize.minimize_scalar(lambda ln: dense["c"] + dense["a"] * np.exp(ln) ** -dense["alpha"]
                                    + dense["b"] * (1e21 / (6 * np.exp(ln))) ** -dense["beta"],
                                    bounds=(np.log(1e6), np.log(1e13)), method="bounded")
    assert opt["loss"] == pytest.approx(float(grid.fun), rel=1e-9)
    back = moe.flops_for_loss(lambda f: moe.dense_optimal(dense, f)["loss"], opt["loss"])
    assert back == pytest.approx(1e21, rel=1e-6)
    with pytest.raises(InputError, match="is not reached"):
        moe.flops_for_loss(lambda f: moe.dense_optimal(dense, f)["loss"], 0.1)
