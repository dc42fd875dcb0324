"""Clark et al.'s routed law: the saturation, the effective parameter count and the cut-off behave as the paper
defines them, whatever the constants."""
import numpy as np
import pytest

import scalinglib as sl
from scalinglib.laws import routing

P = {"a": -0.083, "b": -0.118, "c": 0.0099, "d": 1.114, "E_start": 2.07, "E_max": 239.0}
FIT = {"a": P["a"], "b": P["b"], "c": P["c"], "d": P["d"], "e_start": np.log2(P["E_start"]), "e_max": np.log2(P["E_max"])}


def test_saturation_starts_at_e_start_and_ends_at_e_max():
    e_hat = routing.saturated_experts(FIT["e_start"], FIT["e_max"], np.array([1.0, 1e9]))
    assert e_hat[0] == pytest.approx(P["E_start"], rel=1e-12)
    assert e_hat[1] == pytest.approx(P["E_max"], rel=1e-6)
    assert np.all(np.diff(routing.saturated_experts(FIT["e_start"], FIT["e_max"], np.arange(1.0, 600.0))) > 0)


def test_effective_parameters_give_the_dense_model_with_the_same_loss():
    law = sl.get_law("clark_routed")
    n, e = 1e8, 64.0
    n_bar = routing.effective_params(P, n, e)
    routed = law.predict(FIT, {"N": [n], "E": [e]})[0]
    dense = law.predict(FIT, {"N": [n_bar], "E": [1.0]})[0]
    assert routed == pytest.approx(dense, rel=1e-10)
    assert routing.effective_params(P, n, 1.0) == pytest.approx(n, rel=1e-12)
    assert n_bar > n


def test_experts_stop_helping_at_the_cutoff():
    law = sl.get_law("clark_routed")
    cut = float(routing.n_cutoff(P))
    losses = law.predict(FIT, {"N": [cut] * 3, "E": [1.0, 16.0, 512.0]})
    assert np.ptp(losses) / losses.mean() < 1e-10
    below = law.predict(FIT, {"N": [cut / 100] * 2, "E": [1.0, 64.0]})
    assert below[1] < below[0]
