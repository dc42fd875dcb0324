"""Several datasets in one batch (scalinglib.stacked): the same fits as one by one, each row with its own box."""
import numpy as np
import pytest

from scalinglib import InputError, fit
from scalinglib.extrapolation import fit_form, fit_form_to_curves
from scalinglib.stacked import fit_stacked


def curves(rng, n_curves=4):
    out = []
    for i in range(n_curves):
        x = np.geomspace(10, 1e4, 8 + 3 * i)               # datasets of different lengths: padding is exercised
        y = 0.5 + i * 0.1 + 3.0 * x ** -(0.3 + 0.05 * i)
        out.append((x, y * np.exp(rng.normal(0, 0.01, x.size))))
    return out


def test_stacked_fits_equal_the_fits_one_by_one(rng):
    data = curves(rng)
    starts = np.array([[0.0, 1.0, -0.2], [0.3, 0.5, -0.5]])
    stacked = fit_stacked("m2", [({"x": x}, y) for x, y in data], starts=starts, loss="squared")
    for (x, y), s in zip(data, stacked):
        alone = fit("m2", {"x": x}, y, starts=starts, loss="squared")
        assert s.problem.n_points == x.size
        np.testing.assert_allclose(s.objective, alone.objective, rtol=1e-9)
        np.testing.assert_allclose(s.theta, alone.theta, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(s.residuals(), alone.residuals(), atol=1e-7)   # both stop at ftol, not exactly


def test_each_dataset_keeps_its_own_bounds(rng):
    data = curves(rng, 2)
    starts = np.array([[0.0, 1.0, -0.2]])
    boxes = [{"eps": (0.0, 0.1)}, {"eps": (0.0, 10.0)}]
    first, second = fit_stacked("m2", [({"x": x}, y) for x, y in data], starts=starts, bounds=boxes, loss="squared")
    assert first.params["eps"] == pytest.approx(0.1)          # the optimum (about 0.5) lies outside the first box
    assert 0.4 < second.params["eps"] < 0.7


def test_benchmark_forms_stacked_match_curve_by_curve(rng):
    data = curves(rng, 3)
    for form in ("M1", "M2", "M3"):
        for s, (x, y) in zip(fit_form_to_curves(form, data), data):
            np.testing.assert_allclose(s.objective, fit_form(form, x, y).objective, rtol=1e-7)


def test_stacking_refuses_laws_without_row_features_and_bad_arguments(rng):
    data = curves(rng, 2)
    pairs = [({"x": x}, y) for x, y in data]
    with pytest.raises(InputError, match="row_features"):
        fit_stacked("power_law", pairs)
    with pytest.raises(InputError, match="'starts' has 3 entries for 2 datasets"):
        fit_stacked("m2", pairs, starts=[None, None, None])
    with pytest.raises(InputError, match="entry 1 must be an"):
        fit_stacked("m2", [pairs[0], "not a pair"])
    with pytest.raises(InputError, match="entry 1: .*x\\['x'\\]"):
        fit_stacked("m2", [pairs[0], ({"x": -data[1][0]}, data[1][1])])
    with pytest.raises(InputError, match="unknown option"):
        fit_stacked("m2", pairs, options={"max_iters": 3})
    with pytest.raises(InputError, match="non-empty list"):
        fit_stacked("m2", [])
