"""The unbiased pass@k estimator against exact small cases and brute force over subsets."""
import itertools
import math

import numpy as np
import pytest

from scalinglib import passk
from scalinglib.errors import InputError


@pytest.mark.parametrize("n,c,k", [(10, 0, 1), (10, 3, 1), (10, 3, 4), (10, 3, 8), (10, 10, 5), (20, 1, 19),
                                   (200, 7, 50), (10000, 1, 1), (10000, 1, 10000), (10000, 37, 250)])
def test_matches_exact_binomial_ratio(n, c, k):
    exact = 1.0 - math.comb(n - c, k) / math.comb(n, k) if n - c >= k else 1.0
    assert passk.pass_at_k(n, [c], [k])[0, 0] == pytest.approx(exact, rel=1e-12, abs=1e-15)


def test_matches_brute_force_average_over_all_subsets():
    n = 7
    for pattern in ([0, 1, 0, 0, 1, 0, 0], [1, 0, 0, 0, 0, 0, 0], [1, 1, 1, 0, 1, 0, 1]):
        c = sum(pattern)
        for k in range(1, n + 1):
            subsets = list(itertools.combinations(range(n), k))
            brute = np.mean([any(pattern[i] for i in s) for s in subsets])
            assert passk.pass_at_k(n, [c], [k])[0, 0] == pytest.approx(brute, abs=1e-12)


def test_pass_at_1_is_the_success_rate_and_coverage_is_a_mean():
    c = np.array([0, 5, 100, 10000])
    np.testing.assert_allclose(passk.pass_at_k(10000, c, [1])[:, 0], c / 10000)
    ks = [1, 10, 100]
    np.testing.assert_allclose(passk.coverage(10000, c, ks), passk.pass_at_k(10000, c, ks).mean(axis=0))


def test_monotone_in_k_and_stable_for_tiny_success_rates():
    values = passk.pass_at_k(10000, [1], np.arange(1, 10001))[0]
    assert np.all(np.diff(values) >= -1e-15)
    assert values[0] == pytest.approx(1e-4, rel=1e-12)          # no cancellation at the small end
    assert values[-1] == 1.0


@pytest.mark.parametrize("args,pattern", [
    ((10, [11], [1]), r"n_correct: more correct samples than the 10 drawn at positions \[0\]"),
    ((10, [-1], [1]), r"n_correct must hold non-negative whole numbers; positions \[0\]"),
    ((10, [1.5], [1]), r"n_correct must hold non-negative whole numbers"),
    ((10, [1], [0]), r"ks must be >= 1"),
    ((10, [1], [11]), r"ks: k = 11 exceeds the 10 samples"),
    ((10, [np.nan], [1]), r"n_correct must hold finite numbers"),
    ((0, [0], [1]), r"n_samples must be a whole number >= 1, got 0"),
])
def test_bad_inputs(args, pattern):
    with pytest.raises(InputError, match=pattern):
        passk.pass_at_k(*args)


def test_beta_coverage_for_uniform_success_rates_is_k_over_k_plus_1():
    ks = np.array([1, 2, 10, 1000])
    np.testing.assert_allclose(passk.beta_coverage(1.0, 1.0, ks), ks / (ks + 1.0), rtol=1e-12)


def test_beta_binomial_fit_recovers_known_shape():
    # Optimiser test on counts drawn from a known beta-binomial; never shown as data.
    from scipy import stats
    counts = stats.betabinom.rvs(10000, 0.3, 20.0, size=4000, random_state=np.random.default_rng(5))
    a, b = passk.fit_beta_binomial(10000, counts)
    assert a == pytest.approx(0.3, rel=0.08)
    assert b == pytest.approx(20.0, rel=0.2)
