"""Gadre et al.'s loss law: the code's and the paper's parametrisations agree, and M* minimises loss at fixed
compute."""
import numpy as np
import pytest
from scipy.optimize import minimize_scalar

import scalinglib as sl
from scalinglib.laws import overtraining

CODE = {"A": 166.2, "beta": 366.7, "b": -0.2729, "E": 1.837}


def test_the_code_form_is_the_papers_form():
    law = sl.get_law("gadre_overtraining")
    nat = law.natural_params(CODE)
    n, m = 1.4e9, 640.0
    c = 6 * n * (m * n)
    paper = nat["E"] + (nat["a"] * m ** nat["eta"] + nat["b"] * m ** -nat["eta"]) * c ** -nat["eta"]
    assert law.predict(CODE, {"N": [n], "M": [m]})[0] == pytest.approx(paper, rel=1e-12)


def test_optimal_multiplier_minimises_loss_at_fixed_compute():
    law = sl.get_law("gadre_overtraining")
    c = 1e21
    loss_at = lambda log_m: law.predict(CODE, {"N": [np.sqrt(c / (6 * np.exp(log_m)))], "M": [np.exp(log_m)]})[0]
    best = minimize_scalar(loss_at, bounds=(np.log(0.1), np.log(1e4)), method="bounded", options={"xatol": 1e-10})
    assert np.exp(best.x) == pytest.approx(overtraining.optimal_multiplier(law.natural_params(CODE)), rel=1e-5)


def test_the_authors_fit_recovers_constants_from_exact_points():
    law = sl.get_law("gadre_overtraining")
    n = np.array([1.06e7, 7.9e7, 1.54e8, 4.12e8, 1.06e7])
    m = np.array([20.0, 20.0, 20.0, 20.0, 320.0])
    y = law.predict(CODE, {"N": n, "M": m})
    found = overtraining.fit_as_the_authors(n, m, y)
    assert found["params"]["b"] == pytest.approx(CODE["b"], rel=1e-4)
    assert found["converged"] > 0


def test_no_interior_optimum_gives_nan_not_a_number_that_looks_fine():
    assert np.isnan(overtraining.optimal_multiplier({"a": -5.0, "b": 190.0, "eta": 0.12}))
    assert np.isnan(overtraining.optimal_multiplier({"a": 140.0, "b": 190.0, "eta": -0.1}))
