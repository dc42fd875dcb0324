"""The methods chapter's tools (least squares optimiser, variants, leave-largest-out) and fit records."""
import numpy as np
import pytest

import scalinglib as sl
from scalinglib import InputError
from reprobook.check import CheckTable
from reprobook.results import FitRecord, fit_record, save_results
from scalinglib.sensitivity import largest_mask, leave_largest_out, vary


@pytest.fixture
def power_points():
    x = np.geomspace(1, 1e4, 30)
    y = 3.0 * x ** -0.3 * np.exp(0.01 * np.sin(np.arange(30)))
    return x, y


def test_least_squares_reaches_the_same_minimum_as_lbfgs(power_points):
    x, y = power_points
    a = sl.fit("power_law", {"x": x}, y, loss="squared", delta=None)
    b = sl.fit("power_law", {"x": x}, y, loss="squared", delta=None, optimizer="scipy:least_squares")
    assert b.params["b"] == pytest.approx(a.params["b"], rel=1e-6)
    assert b.objective == pytest.approx(a.objective, rel=1e-8)
    h1 = sl.fit("power_law", {"x": x}, y, delta=1e-3)
    h2 = sl.fit("power_law", {"x": x}, y, delta=1e-3, optimizer="scipy:least_squares")
    assert h2.params["b"] == pytest.approx(h1.params["b"], rel=1e-5)


def test_least_squares_refuses_what_it_cannot_do(power_points):
    x, y = power_points
    with pytest.raises(InputError, match="absolute"):
        sl.fit("power_law", {"x": x}, y, loss="absolute", delta=None, optimizer="scipy:least_squares")
    with pytest.raises(InputError, match="weights"):
        sl.fit("power_law", {"x": x}, y, optimizer="scipy:least_squares", weights=np.ones(30))


def test_vary_changes_one_setting_per_row(power_points):
    x, y = power_points
    table = vary({"law": "power_law", "x": {"x": x}, "y": y}, {"baseline": {}, "squared": {"loss": "squared", "delta": None}},
                 lambda r: {"b": r.params["b"]})
    assert list(table.index) == ["baseline", "squared"]
    assert table.loc["baseline", "b"] == pytest.approx(-0.3, abs=0.01)
    with pytest.raises(InputError):
        vary({"law": "power_law", "x": {"x": x}, "y": y}, {}, lambda r: {})


def test_largest_mask_and_leave_largest_out(power_points):
    x, y = power_points
    assert largest_mask(x).sum() == 1
    assert largest_mask(x, 0.1).sum() == 3
    with pytest.raises(InputError, match="fraction"):
        largest_mask(x, 1.5)
    row = leave_largest_out("power_law", {"x": x}, y, largest_mask(x, 0.1), loss="squared", delta=None)
    assert row["points fitted"] == 27 and row["points held out"] == 3
    assert row["held-out mean |log error|"] < 0.05
    with pytest.raises(InputError, match="some, not all"):
        leave_largest_out("power_law", {"x": x}, y, np.ones(30, bool))


def test_fit_record_validates_ids_values_and_datasets(power_points):
    x, y = power_points
    r = sl.fit("power_law", {"x": x}, y, loss="squared", delta=None)
    rec = fit_record("brown/test/points", "brown", "brown2024", r, "brown_pythia_math", rows="all")
    assert rec.dataset_sha256 and rec.intervals == {} and rec.interval_method.startswith("none")
    with pytest.raises(InputError, match="ids are"):
        fit_record("test points", "brown", "brown2024", r, "brown_pythia_math", rows="all")
    with pytest.raises(InputError, match="nan"):
        FitRecord(id="brown/x/y", chapter="brown", paper="p", law="l", parameters={"a": float("nan")},
                  dataset="brown_pythia_math", rows="r", n_points=1, objective="o", method="m", interval_method="none")
    with pytest.raises(sl.UnknownNameError):
        FitRecord(id="brown/x/y", chapter="brown", paper="p", law="l", parameters={"a": 1.0},
                  dataset="no_such_dataset", rows="r", n_points=1, objective="o", method="m", interval_method="none")
    with pytest.raises(InputError, match="another chapter"):
        save_results("kumar", CheckTable("kumar"), [rec])
    with pytest.raises(InputError, match="belongs to chapter"):
        save_results("kumar", CheckTable("brown"), [])
