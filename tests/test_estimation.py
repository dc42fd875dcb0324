"""Choshen et al.'s estimation procedure (scalinglib.estimation): checkpoints are selected as their code selects them,
the fit recovers known constants (also with parameters borrowed), failures are blank cells, bad input is refused
with the argument named; and the check table's StartSpread rule."""
import numpy as np
import pandas as pd
import pytest

import scalinglib as sl
from scalinglib import estimation as est
from scalinglib.errors import InputError

from reprobook import check
from reprobook.published import Published

TRUE = {"a": 6.0, "b": 7.0, "e": 0.5, "alpha": 0.33, "beta": 0.3}


def curves(models=(("s", 1e8), ("m", 4e8), ("l", 1.6e9), ("t", 6.4e9))) -> pd.DataFrame:
    """Exact learning curves of the law with TRUE (a test fixture, not data): 40 checkpoints per model."""
    law = sl.get_law("chinchilla_linear")
    frames = []
    for name, n in models:
        d = np.geomspace(2e9, 20 * n + 3e10, 40)
        frames.append(pd.DataFrame({"model": name, "N": n, "D": d, "y": law.predict(TRUE, {"N": np.full(40, n), "D": d})}))
    return pd.concat(frames, ignore_index=True)


def test_the_mask_uses_one_threshold_a_strict_upper_bound_and_a_strict_token_cut():
    tokens = np.array([5e9, 1e10, 2e10, 5e10, 1e11])
    assert est.checkpoint_mask(tokens, max_fraction=1.0).tolist() == [True, True, True, True, False]   # strict "<"
    assert est.checkpoint_mask(tokens, min_tokens=1e10).tolist() == [False, False, True, True, True]   # D > cut
    assert est.checkpoint_mask(tokens, min_fraction=0.5).tolist() == [False, False, False, True, True]
    # the reference is the largest D before the cut, or the one given (one threshold over all chosen models)
    assert est.checkpoint_mask(tokens, max_fraction=0.5, reference=2e11).tolist() == [True, True, True, True, False]


@pytest.mark.parametrize("kwargs", [{"max_fraction": 0.0}, {"min_fraction": 1.5}])
def test_the_mask_refuses_a_share_outside_the_unit_interval(kwargs):
    with pytest.raises(InputError, match=list(kwargs)[0]):
        est.checkpoint_mask([1.0, 2.0], **kwargs)


def test_the_fit_recovers_exact_constants_and_the_two_evaluations_of_the_law_agree():
    c = curves()
    f = est.fit_as_the_authors(c.N, c.D, c.y)
    assert f.method == "trf"
    assert f.params["alpha"] == pytest.approx(TRUE["alpha"], rel=1e-3)
    assert f.params["beta"] == pytest.approx(TRUE["beta"], rel=1e-3)
    x = {"N": c.N.to_numpy(), "D": c.D.to_numpy()}
    assert sl.get_law("chinchilla").predict(TRUE, x) == pytest.approx(sl.get_law("chinchilla_linear").predict(TRUE, x), rel=1e-12)


def test_borrowed_parameters_stay_fixed_and_are_reported():
    one = curves()[lambda c: c.model == "t"]
    f = est.fit_as_the_authors(one.N, one.D, one.y, fixed={"a": TRUE["a"], "alpha": TRUE["alpha"]})
    assert f.params["a"] == TRUE["a"] and f.params["alpha"] == TRUE["alpha"]
    assert f.params["beta"] == pytest.approx(TRUE["beta"], rel=1e-3)


def test_fewer_checkpoints_than_parameters_are_fitted_as_curve_fit_allows_but_the_engine_refuses_by_default():
    one = curves()[lambda c: c.model == "t"].head(2)
    f = est.fit_as_the_authors(one.N, one.D, one.y, fixed=est.BORROWED)
    assert np.isfinite(f.result.objective)
    with pytest.raises(InputError, match="cannot determine"):
        sl.fit("chinchilla_linear", {"N": one.N, "D": one.D}, one.y, loss="squared", delta=None,
               residual_space="linear", fixed=est.BORROWED, optimizer="scipy:least_squares")


def test_a_trf_stop_at_its_evaluation_limit_is_retried_with_dogbox_and_a_second_stop_is_a_blank_cell(monkeypatch):
    calls = []
    real_fit = est.fit

    def limited(law, x, y, **kwargs):
        calls.append(kwargs.get("options"))
        result = real_fit(law, x, y, **kwargs)
        result.status[:] = "max-iter"        # as if every method had stopped at max_nfev
        return result
    monkeypatch.setattr(est, "fit", limited)
    c = curves()
    with pytest.raises(sl.FitFailed, match="dogbox"):
        est.fit_as_the_authors(c.N, c.D, c.y)
    assert calls[0] is None and calls[1]["method"] == "dogbox"


def test_bad_input_names_the_argument():
    with pytest.raises(InputError, match="one length"):
        est.fit_as_the_authors([1e9, 2e9], [1e10], [3.0, 2.9])
    with pytest.raises(InputError, match="'fixed'"):
        est.fit_as_the_authors([1e9] * 6, np.geomspace(1e10, 1e11, 6), np.linspace(3, 2.5, 6), fixed={"A": 1.0})
    with pytest.raises(InputError, match="'curves' lacks"):
        est.models_by_size(pd.DataFrame({"model": ["a"], "N": [1.0]}))
    with pytest.raises(InputError, match="more than one N"):
        est.models_by_size(pd.DataFrame({"model": ["a", "a"], "N": [1.0, 2.0], "D": [1.0, 2.0], "y": [1.0, 1.0]}))


def test_are_is_the_mean_absolute_relative_error():
    assert est.absolute_relative_error([1.1, 1.8], [1.0, 2.0]) == pytest.approx(0.1)
    with pytest.raises(InputError, match="one shape"):
        est.absolute_relative_error([1.0], [1.0, 2.0])


def test_sizes_are_counted_as_the_figures_label_their_rows():
    assert est.distinct_sizes([1.25e8] * 10 + [1.2501e8] * 10) == 1      # many points per size: rounded to 1e6
    assert est.distinct_sizes([1.25e8, 1.2501e8]) == 2                     # one point per size: exact
    assert est.distinct_sizes([]) == 0


def test_the_grids_score_a_known_law_without_error():
    c = curves()
    one = est.run_cells(est.one_model_cells(c, fractions=(0.5, 1.0), fixed={"a": TRUE["a"], "alpha": TRUE["alpha"]}))
    assert max(r["are_pct"] for r in one if np.isfinite(r["are_pct"])) < 1e-3
    many = est.run_cells(est.many_models_cells(c, fractions=(1.0,)))
    assert [r["m"] for r in many] == [2, 3] and all(r["are_pct"] < 1e-2 for r in many[1:])
    best = est.run_cells(est.many_models_cells(c, fractions=(1.0,), baseline=True))
    assert all(r["method"] == "best seen" and r["are_pct"] > 1 for r in best)


def test_least_squares_takes_another_method_and_refuses_an_unknown_one():
    c = curves()
    args = dict(loss="squared", delta=None, residual_space="linear", optimizer="scipy:least_squares",
                starts=np.array([[est.START[p] for p in est.PARAMS]]))
    r = sl.fit("chinchilla_linear", {"N": c.N, "D": c.D}, c.y, options={"method": "dogbox"}, **args)
    assert "dogbox" in r.optimizer
    with pytest.raises(InputError, match="options"):
        sl.fit("chinchilla_linear", {"N": c.N, "D": c.D}, c.y, options={"method": "simplex"}, **args)


def test_start_spread_makes_a_row_not_determined_only_when_every_differing_fit_moves_past_the_precision():
    pub = Published("x/cells", None, "choshen2024", "Fig. 6", claim="cells")
    table = check.CheckTable("t")
    wide = table.add_claim("wide", pub, 9, holds=(10, 10), criterion="all 10", expect=(0, 10),
                           determinacy=check.StartSpread(narrowest=0.5, precision=0.01))
    narrow = table.add_claim("narrow", pub, 9, holds=(10, 10), criterion="all 10", expect=(0, 10),
                             determinacy=check.StartSpread(narrowest=0.005, precision=0.01))
    agree = table.add_claim("agree", pub, 10, holds=(10, 10), criterion="all 10", expect=(0, 10),
                            determinacy=check.StartSpread(narrowest=0.0, precision=0.01))
    assert [r.verdict.kind for r in (wide, narrow, agree)] == ["not-determined", "differs-unexplained", "reproduced"]


def test_start_spread_takes_keywords_only_and_both_procedures_share_one_relative_error():
    with pytest.raises(TypeError):
        check.StartSpread(0.5, 0.01)            # positionally these would land in the base class's max_decades
    from scalinglib import taskladder
    assert taskladder.mean_relative_error is est.absolute_relative_error
    with pytest.raises(InputError, match="one shape"):
        taskladder.mean_relative_error([1.0], [1.0, 2.0])    # broadcasting would have scored the wrong pairs
