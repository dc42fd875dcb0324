"""Every registered law: its declaration is complete and its gradient (hand-written or derived) is right.

The points are each declaration's own `example`; they test the arithmetic only and are never shown as data.
"""
import numpy as np
import pytest

import scalinglib as sl
from scalinglib.laws import Law, get_law, known_laws


def _gradient_check(law: Law, params: dict, x: dict, rng):
    theta = law.theta(params)
    theta = np.vstack([theta, theta * (1 + 0.01 * rng.standard_normal(theta.shape))])   # two nearby sets
    feats = law.features({k: np.asarray(v, float) for k, v in x.items()})
    y, vjp = law.value_and_vjp(theta, feats)
    v = rng.standard_normal(y.shape)
    grad = vjp(v)
    free = [i for i, p in enumerate(law.params) if p not in law.must_fix]
    for i in free:
        step = 1e-6 * max(1.0, abs(theta[0, i]))
        up, down = theta.copy(), theta.copy()
        up[:, i] += step
        down[:, i] -= step
        numeric = ((law.value_and_vjp(up, feats)[0] - law.value_and_vjp(down, feats)[0]) * v).sum(1) / (2 * step)
        np.testing.assert_allclose(grad[:, i], numeric, rtol=1e-5, atol=1e-8 * max(1.0, np.abs(numeric).max()),
                                   err_msg=f"{law.name}: d/d {law.params[i]}")


@pytest.mark.parametrize("name", known_laws())
def test_every_registered_law_declares_an_example_and_its_gradient_is_right(name, rng):
    law = get_law(name)
    assert law.example is not None, f"law {name!r} declares no example (parameters, variables) for this test"
    params, x = law.example
    y = law.predict(params, x)
    assert np.all(np.isfinite(y)), f"law {name!r} is not finite at its own example"
    _gradient_check(law, params, x, rng)


def _chinchilla_formula(p, f):
    # complex-safe: exp, log and sums only
    return np.log(np.exp(p["a"] - p["alpha"] * f["logN_row"]) + np.exp(p["b"] - p["beta"] * f["logD_row"])
                  + np.exp(p["e"]))


def test_a_formula_without_gradient_gets_the_complex_step_one(rng):
    hand = get_law("chinchilla")
    derived = Law(name="chinchilla_derived", title="t", equation="L", params=hand.params, variables=hand.variables,
                  log_variables=hand.log_variables, space="log", start_grid=hand.start_grid, formula=_chinchilla_formula)
    assert derived.gradient == "complex step (derived)" and hand.gradient == "hand-written"
    params, x = hand.example
    theta = hand.theta(params)
    feats = hand.features(x)
    v = rng.standard_normal((1, 3))
    y_hand, vjp_hand = hand.value_and_vjp(theta, feats)
    y_derived, vjp_derived = derived.value_and_vjp(theta, feats)
    np.testing.assert_allclose(y_derived, y_hand, rtol=1e-13)
    np.testing.assert_allclose(vjp_derived(v), vjp_hand(v), rtol=1e-10)
    _gradient_check(derived, params, x, rng)


def test_a_formula_law_fits_like_its_hand_written_twin(nd, loss):
    hand = get_law("chinchilla")
    derived = Law(name="chinchilla_derived_fit", title="t", equation="L", params=hand.params, variables=hand.variables,
                  log_variables=hand.log_variables, space="log", start_grid=hand.start_grid, formula=_chinchilla_formula)
    starts = hand.start_points()[::45]
    a = sl.fit(hand, nd, loss, starts=starts)
    b = sl.fit(derived, nd, loss, starts=starts)
    assert b.objective == pytest.approx(a.objective, rel=1e-9)
    for k in hand.params:
        assert b.params[k] == pytest.approx(a.params[k], rel=1e-6, abs=1e-8), k


@pytest.mark.parametrize("kwargs,match", [
    ({}, "exactly one of 'formula'"),
    ({"formula": _chinchilla_formula, "evaluate": lambda p, f: None}, "exactly one of 'formula'"),
    ({"formula": _chinchilla_formula, "space": "exp"}, "'space' must be 'log' or 'linear'"),
    ({"formula": _chinchilla_formula, "bounds": {"zeta": (0, 1)}}, r"bounds names \['zeta'\]"),
    ({"formula": _chinchilla_formula, "log_variables": ("N", "T")}, r"log_variables names \['T'\]"),
])
def test_an_incomplete_declaration_is_refused(kwargs, match):
    base = dict(name="x", title="t", equation="L", params=("a", "b", "e", "alpha", "beta"), variables=("N", "D"),
                log_variables=("N", "D"), space="log", start_grid={})
    with pytest.raises(sl.InputError, match=match):
        Law(**{**base, **kwargs})


def test_law_argument_of_the_wrong_type_names_itself():
    with pytest.raises(sl.InputError, match=r"argument 'law' must be a law name or a Law, got list"):
        sl.fit(["chinchilla"], {"N": [1.0], "D": [1.0]}, [1.0])


@pytest.mark.parametrize("name", [n for n in known_laws() if get_law(n).row_features])
def test_a_row_features_law_evaluates_rows_with_their_own_points(name):
    """row_features=True promises that (S, n) per-row features give each row its own dataset's values and gradient
    (scalinglib.stacked relies on it): two rows with different points equal two separate evaluations."""
    law = get_law(name)
    params, x = law.example
    theta = np.repeat(law.theta(params), 2, axis=0)
    x2 = {k: np.asarray(v, float) * 1.7 for k, v in x.items()}
    f1, f2 = law.features(x), law.features(x2)
    stacked = {k: np.concatenate([f1[k], f2[k]]) for k in f1 if np.ndim(f1[k]) == 2}
    y, vjp = law.value_and_vjp(theta, stacked)
    y1, vjp1 = law.value_and_vjp(theta[:1], f1)
    y2, vjp2 = law.value_and_vjp(theta[:1], f2)
    np.testing.assert_allclose(y, np.vstack([y1, y2]), rtol=1e-12)
    v = np.ones_like(y)
    np.testing.assert_allclose(vjp(v), np.vstack([vjp1(v[:1]), vjp2(v[:1])]), rtol=1e-10)
