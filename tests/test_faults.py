"""Hostile input, one test per fault class: each gets the library's own error naming what is wrong, or a correct
result, never a silently wrong one. (Argument-name and file errors of the ordinary kind are in test_errors.py.)

The points are small illustrative sets from a known law, to exercise the checks; they are never shown as data.
"""
import json

import numpy as np
import pandas as pd
import pytest
import yaml

import scalinglib as sl
from scalinglib import frontier, passk, uncertainty
from scalinglib.errors import DataIntegrityError, FitFailed, InputError, UnknownNameError

from reprobook import published as published_mod


def small(n_points=8):
    n = np.geomspace(1e8, 1e10, n_points)
    d = np.geomspace(2e9, 2e11, n_points)[::-1]
    return {"N": n, "D": d}, 1.8 + 400 / n ** 0.34 + 2000 / d ** 0.36


# -- fits that did not work must not come back as results ----------------------------------------------------------
def test_a_fit_whose_every_start_is_non_finite_raises():
    x = {"N": np.full(8, 1e9) * np.arange(1, 9), "D": np.full(8, 2e10) * np.arange(1, 9), "P": np.full(8, -1.0)}
    with pytest.raises(FitFailed, match=r"no start of law 'kumar_precision' reached a finite objective"):
        sl.fit("kumar_precision", x, np.full(8, 3.0) + np.arange(8) * 0.01, residual_space="linear", loss="squared")


def test_least_squares_optimiser_does_not_report_non_finite_fits_as_converged():
    x = {"N": np.arange(1, 9) * 1e9, "D": np.arange(1, 9) * 2e10, "P": np.full(8, -1.0)}
    with pytest.raises(FitFailed, match="finite objective"):
        sl.fit("kumar_precision", x, 3.0 + np.arange(8) * 0.01, residual_space="linear", loss="squared",
               optimizer="scipy:least_squares")


def test_all_zero_weights_are_refused():
    x, y = small()
    with pytest.raises(InputError, match=r"argument 'weights' gives no point any weight"):
        sl.fit("chinchilla", x, y, weights=np.zeros(8))
    with pytest.raises(InputError, match=r"argument 'weights': row\(s\) \[1\] give no point any weight"):
        sl.fit("chinchilla", x, y, starts=np.tile([6.0, 7.0, 0.5, 0.3, 0.3], (2, 1)),
               weights=np.vstack([np.ones(8), np.zeros(8)]))


def test_fewer_distinct_points_than_free_parameters_is_not_identifiable():
    x, y = small()
    rows = {"N": np.repeat(x["N"][:2], 4), "D": np.repeat(x["D"][:2], 4)}
    with pytest.raises(InputError, match=r"only 2 distinct points.*5 free parameters"):
        sl.fit("chinchilla", rows, np.repeat(y[:2], 4))


@pytest.mark.parametrize("kwargs,pattern", [
    ({"starts": {"a": (0.0, np.nan), "b": (5.0,), "e": (0.0,), "alpha": (0.3,), "beta": (0.3,)}},
     r"argument 'starts' has NaN or infinite values"),
    ({"fixed": {"e": np.nan}}, r"argument 'fixed': parameter 'e' is nan"),
    ({"fixed": {"e": "0.5"}}, r"argument 'fixed': parameter 'e' must be a number, got str"),
    ({"fixed": {"e": None}}, r"argument 'fixed': parameter 'e' must be a number, got None"),
    ({"starts": np.empty((0, 5))}, r"argument 'starts' has no rows"),
    ({"starts": np.ones((2, 2, 5))}, r"argument 'starts' must be 2-dimensional"),
    ({"bounds": {"alpha": (0.0,)}}, r"argument 'bounds': parameter 'alpha' needs \(lower, upper\), got \(0.0,\)"),
    ({"bounds": {"alpha": 0.5}}, r"argument 'bounds': parameter 'alpha' needs \(lower, upper\), got 0.5"),
    ({"bounds": [(0, 1)]}, r"argument 'bounds' must map parameter names to \(lower, upper\)"),
    ({"delta": "0.1"}, r"argument 'delta' must be a positive number for the Huber loss, got '0.1'"),
    ({"delta": -1.0}, r"argument 'delta' must be a positive number for the Huber loss, got -1.0"),
    ({"options": {"max_iters": 10}}, r"unknown option\(s\) \['max_iters'\] for optimizer 'lbfgs-batched'"),
    ({"options": ["max_iter"]}, r"argument 'options' must be a dict"),
    ({"basin_rtol": -1.0}, r"argument 'basin_rtol' must be a non-negative number"),
    ({"loss": None}, r"argument 'loss' must be one of"),
])
def test_malformed_fit_arguments_get_the_library_error(kwargs, pattern):
    x, y = small()
    with pytest.raises(InputError, match=pattern):
        sl.fit("chinchilla", x, y, **kwargs)


def test_unknown_option_for_a_scipy_optimiser_is_named():
    x, y = small()
    with pytest.raises(InputError, match=r"optimizer 'scipy:L-BFGS-B' rejected argument 'options'"):
        sl.fit("chinchilla", x, y, starts=np.array([[6.0, 7.0, 0.5, 0.3, 0.3]]), optimizer="scipy:L-BFGS-B",
               options={"max_iters": 10})


# -- pandas inputs are aligned by index or refused -----------------------------------------------------------------
def test_series_in_another_order_are_aligned_by_index():
    x, y = small()
    idx = [f"run{i}" for i in range(8)]
    n, d, loss = pd.Series(x["N"], index=idx), pd.Series(x["D"], index=idx), pd.Series(y, index=idx)
    shuffled = loss.iloc[[3, 1, 7, 0, 2, 6, 5, 4]]
    a = sl.fit("chinchilla", {"N": n, "D": d}, loss, loss="squared")
    b = sl.fit("chinchilla", {"N": n, "D": d}, shuffled, loss="squared")
    assert b.objective == pytest.approx(a.objective, rel=1e-12)
    np.testing.assert_allclose(b.problem.y, a.problem.y)


def test_series_with_other_labels_are_refused():
    x, y = small()
    n = pd.Series(x["N"], index=range(8))
    with pytest.raises(InputError, match=r"y \(a pandas Series\) has index labels that x\['N'\] lacks: \[10"):
        sl.fit("chinchilla", {"N": n, "D": x["D"]}, pd.Series(y, index=range(10, 18)))


def test_dataframe_column_and_series_of_another_frame_are_refused():
    x, y = small()
    frame = pd.DataFrame({"n": x["N"], "d": x["D"]}, index=range(8))
    with pytest.raises(InputError, match="index labels"):
        sl.fit("chinchilla", {"N": "n", "D": "d"}, pd.Series(y, index=range(100, 108)), data=frame)


# -- evaluating a law ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("x,pattern", [
    ({"N": [1e9, -1.0], "D": [1e10, 1e10]}, r"argument x\['N'\] must be > 0 because law 'chinchilla' takes its log"),
    ({"N": [1e9, np.nan], "D": [1e10, 1e10]}, r"argument x\['N'\] has NaN or infinite values at positions \[1\]"),
    ({"N": [1e9]}, r"law 'chinchilla' takes variables \['N', 'D'\]; argument 'x' is missing \['D'\]"),
    ({"N": [1e9, 2e9], "D": [1e10]}, r"mismatched lengths"),
])
def test_predict_refuses_inputs_outside_the_law(x, pattern):
    law = sl.get_law("chinchilla")
    with pytest.raises(InputError, match=pattern):
        law.predict(law.example[0], x)


def test_predict_refuses_non_finite_parameters():
    law = sl.get_law("chinchilla")
    with pytest.raises(InputError, match=r"parameter 'alpha' of law 'chinchilla' is nan"):
        law.predict({**law.example[0], "alpha": np.nan}, law.example[1])


@pytest.mark.parametrize("call,pattern", [
    (lambda p: frontier.n_opt(p, [-1.0]), r"argument flops must be > 0"),
    (lambda p: frontier.n_opt(p, [np.nan]), r"argument flops has NaN"),
    (lambda p: frontier.tokens_for_size(p, [0.0]), r"argument n must be > 0"),
    (lambda p: frontier.loss_at(p, [1e9], [-1.0]), r"argument d must be > 0"),
    (lambda p: frontier.allocation({**p, "alpha": -0.3}), r"alpha and beta must be > 0"),
    (lambda p: frontier.allocation({k: v for k, v in p.items() if k != "B"}), r"needs the parameters \['B'\]"),
])
def test_frontier_helpers_refuse_what_has_no_frontier(call, pattern):
    p = {"A": 406.4, "B": 410.7, "E": 1.69, "alpha": 0.34, "beta": 0.28}
    with pytest.raises(InputError, match=pattern):
        call(p)


# -- uncertainty and pass@k ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs,pattern", [
    ({"n_resamples": 2.5}, r"argument 'n_resamples' must be a whole number >= 2, got 2.5"),
    ({"n_resamples": "100"}, r"argument 'n_resamples' must be a whole number >= 2, got '100'"),
    ({"seed": -1}, r"argument 'seed' must be a whole number >= 0"),
    ({"seed": 1.5}, r"argument 'seed' must be a whole number >= 0"),
])
def test_bootstrap_arguments(kwargs, pattern):
    x, y = small()
    result = sl.fit("chinchilla", x, y, starts=np.array([[6.0, 7.0, 0.5, 0.3, 0.3]]))
    with pytest.raises(InputError, match=pattern):
        uncertainty.bootstrap(result, **{"n_resamples": 10, **kwargs})


@pytest.mark.parametrize("n_samples,n_correct,ks,pattern", [
    (10, [3, 11], [1], r"n_correct.*more correct samples than the 10 drawn.*positions \[1\]"),
    (10, [3, 4], [11], r"ks.*k = 11 exceeds the 10 samples"),
    (10, [3, 4], [0], r"ks must be >= 1"),
    (2.5, [1], [1], r"argument n_samples must be a whole number >= 1"),
])
def test_pass_at_k_refuses_impossible_counts(n_samples, n_correct, ks, pattern):
    with pytest.raises(InputError, match=pattern):
        passk.pass_at_k(n_samples, n_correct, ks)


# -- published constants ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("item,pattern", [
    ({"id": "p/x", "value": "1.6.9", "paper": "p", "location": "Eq. 1"}, r"entry 'p/x': value '1.6.9' is not a number"),
    ({"id": "p/x", "value": ".nan", "paper": "p", "location": "Eq. 1"}, r"entry 'p/x': value nan is not finite"),
    ({"id": "p/x", "value": 1.0, "paper": "p", "location": "Eq. 1", "interval": [2.0, 1.0], "interval_kind": "CI"},
     r"entry 'p/x': interval \[2.0, 1.0\] is inverted"),
    ({"id": "p/x", "value": 1.0, "paper": "p", "location": "Eq. 1", "interval": [1.0], "interval_kind": "CI"},
     r"entry 'p/x': interval must be \[lower, upper\]"),
    ({"id": "p/x", "value": 1.0, "paper": "p", "location": "Eq. 1", "uncertain": "maybe"},
     r"entry 'p/x': 'uncertain' must be true or false"),
])
def test_malformed_published_constants_are_refused(tmp_path, item, pattern):
    path = tmp_path / "published.yaml"
    path.write_text(yaml.safe_dump({"quantities": [item]}).replace("'.nan'", ".nan"))
    with pytest.raises(DataIntegrityError, match=pattern):
        published_mod.all_published(tmp_path)


def test_malformed_published_yaml_names_the_file(tmp_path):
    (tmp_path / "published.yaml").write_text("quantities: [ {id: x\n")
    with pytest.raises(DataIntegrityError, match=r"published.yaml: not valid YAML"):
        published_mod.all_published(tmp_path)


def test_unknown_law_in_get_law_is_named():
    with pytest.raises(UnknownNameError, match="unknown law"):
        sl.get_law("chinchila")
    assert json.dumps(sl.known_laws())


# -- the book's machinery: parameters, results files, data registry, check rows ------------------------------------
def test_chapter_parameters_are_checked_before_anything_runs():
    from reprobook.chapter import check_parameters
    check_parameters({"n_resamples": 1000, "seed": 0}, {"n_resamples": 2}, injected={"seed"})
    with pytest.raises(InputError, match=r"argument 'n_resamples' must be a whole number >= 2, got 2.5"):
        check_parameters({"n_resamples": 2.5, "seed": 0}, {"n_resamples": 2}, injected=set())
    with pytest.raises(InputError, match=r"argument 'seed' must be a whole number >= 0, got 'zero'"):
        check_parameters({"n_resamples": 10, "seed": "zero"}, {"n_resamples": 2}, injected=set())
    with pytest.raises(InputError, match=r"parameter\(s\) \['n_resampels'\] passed to this chapter .* parameters are "
                                         r"\['n_resamples', 'seed'\]"):
        check_parameters({"n_resamples": 10, "seed": 0}, {"n_resamples": 2}, injected={"n_resampels"})


def test_a_chapter_run_outside_the_executor_writes_to_scratch(monkeypatch):
    from reprobook import paths
    monkeypatch.delenv("SCALINGLIB_RESULTS", raising=False)
    assert paths.results_dir() == paths.READER_RESULTS != paths.COMMITTED_RESULTS
    monkeypatch.setenv("SCALINGLIB_RESULTS", "/tmp/elsewhere")
    assert str(paths.results_dir()) == "/tmp/elsewhere"


def test_results_written_with_other_parameters_are_refused(tmp_path):
    from reprobook.errors import StaleResults
    from reprobook.paths import COMMITTED_RESULTS
    from reprobook.results import content_digest, load_results
    payload = json.loads((COMMITTED_RESULTS / "brown.json").read_text())
    payload["fingerprint"]["parameters"] = {"n_resamples": 10, "seed": 0}
    payload["content_sha256"] = content_digest(payload)
    (tmp_path / "brown.json").write_text(json.dumps(payload))
    with pytest.raises(StaleResults, match=r"written with parameters \{'n_resamples': 10, 'seed': 0\}, but the "
                                           r"chapter's defaults are \{'n_resamples': 1000, 'seed': 0\}"):
        load_results("brown", folder=tmp_path)


@pytest.mark.parametrize("text,pattern", [
    ("datasets: [ {x\n", r"manifest.yaml: not valid YAML"),
    ("- just a list\n", r"needs a mapping 'datasets:'"),
    ("datasets:\n  a: 3\n", r"dataset 'a' is not a mapping of fields"),
])
def test_malformed_manifest_names_the_file(tmp_path, text, pattern):
    from scalinglib.data import Registry
    (tmp_path / "manifest.yaml").write_text(text)
    with pytest.raises(DataIntegrityError, match=pattern):
        Registry(tmp_path).verify_all()


def test_a_data_file_no_entry_lists_is_refused(tmp_path):
    from scalinglib.data import Registry
    (tmp_path / "manifest.yaml").write_text("datasets: {}\n")
    (tmp_path / "orphan.csv").write_text("a\n1\n")
    with pytest.raises(DataIntegrityError, match=r"data files \['orphan.csv'\] .* no dataset entry lists them"):
        Registry(tmp_path).verify_all()


def test_an_emptied_csv_with_a_matching_checksum_is_named(tmp_path):
    from scalinglib.data import Registry, sha256_of
    (tmp_path / "t.csv").write_text("")
    entry = {"file": "t.csv", "title": "t", "paper": {}, "source": {}, "licence": "x", "extraction": "x", "rows": 0,
             "sha256": sha256_of(tmp_path / "t.csv"), "columns": {"a": {}}}
    (tmp_path / "manifest.yaml").write_text(yaml.safe_dump({"datasets": {"t": entry}}))
    with pytest.raises(DataIntegrityError, match=r"t.csv: not a readable CSV"):
        Registry(tmp_path).load("t")


def test_check_rows_refuse_inverted_intervals_and_unknown_verdicts():
    from reprobook import check
    from reprobook.published import Published
    table = check.CheckTable("t")
    with pytest.raises(InputError, match=r"interval \(2.0, 1.0\) is inverted"):
        table.add("q", Published("p/x", 1.0, "p", "Eq. 1"), 1.0, tolerance=check.rel(0.1), expect=(0, 2),
                  interval=(2.0, 1.0))
    with pytest.raises(InputError, match=r"verdict kind 'maybe' is not one of"):
        check.Verdict("maybe")
    with pytest.raises(InputError, match=r"a 'differs-known' verdict needs its reason"):
        check.Verdict("differs-known")


def test_not_determined_follows_its_rule():
    from reprobook import check
    from reprobook.published import Published
    pub = Published("p/x", 15.4, "p", "Eq. 1")
    table = check.CheckTable("t")
    wide = table.add("wide", pub, 47.0, tolerance=check.published_in_our_interval(), interval=(6.7, 3.0e7), expect=(0, 100))
    narrow = table.add("narrow", pub, 16.0, tolerance=check.published_in_our_interval(), interval=(9.0, 30.0), expect=(0, 100))
    zero = table.add("zero", pub, 16.0, tolerance=check.published_in_our_interval(), interval=(-1.0, 30.0), expect=(0, 100))
    assert wide.verdict.kind == "not-determined" and "6.7 decades" in wide.verdict.reason
    assert narrow.verdict.kind == "reproduced"
    assert zero.verdict.kind == "not-determined" and zero.verdict.reason == "interval holds 0"
    assert table.counts() == {"reproduced": 1, "differs": 0, "not determined": 2, "not checkable": 0}


def test_more_hostile_calls_get_named_errors():
    from reprobook import check
    from reprobook.published import published
    with pytest.raises(InputError, match=r"argument n_correct is empty"):
        passk.coverage(10, [], [1])
    with pytest.raises(InputError, match=r"'tolerance' must be a Tolerance"):
        check.CheckTable("t").add("q", published("hoffmann2022/table2/approach2/a"), 0.5, tolerance=0.1, expect=(0, 1))
    with pytest.raises(InputError, match=r"'published' must be a Published constant"):
        check.CheckTable("t").add("q", 0.49, 0.5, tolerance=check.rel(0.1), expect=(0, 1))
    with pytest.raises(UnknownNameError, match=r"published quantity ids are strings"):
        published(3)
    n = np.repeat([1e8, 1e9, 1e10], 3)
    with pytest.raises(InputError, match=r"argument 'n_resamples' must be a whole number >= 2, got 0.5"):
        frontier.isoflop_bootstrap(n, np.repeat([1e18, 1e19, 1e20], 3), np.linspace(3, 2, 9), [1e18, 1e19, 1e20],
                                   n_resamples=0.5)
    with pytest.raises(InputError, match=r"0 points cannot determine"):
        sl.fit("power_law", {"x": []}, [])
