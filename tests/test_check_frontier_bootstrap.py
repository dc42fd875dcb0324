"""Check-table verdicts, the compute-optimal frontier, the IsoFLOP helper and the bootstrap."""
import numpy as np
import pytest
from scipy import optimize

import scalinglib as sl
from scalinglib import frontier, uncertainty

from reprobook import check
from reprobook.published import Published, published

PUB = Published("p/x", 0.34, "p", "Eq. 10", interval=(0.30, 0.36), interval_kind="10th-90th percentile")


@pytest.mark.parametrize("tol,value,interval,verdict", [
    (check.rel(0.05), 0.35, None, "reproduced"),
    (check.rel(0.01), 0.35, None, "differs (known: K 2024)"),
    (check.abs_(0.02), 0.355, None, "reproduced"),
    (check.printed(2), 0.3449, None, "reproduced"),
    (check.printed(2), 0.3451, None, "differs (known: K 2024)"),
    (check.within_published_interval(), 0.359, None, "reproduced"),
    (check.within_published_interval(), 0.37, None, "differs (known: K 2024)"),
    (check.published_in_our_interval(), 0.5, (0.33, 0.6), "reproduced"),
    (check.published_in_our_interval(), 0.5, (0.35, 0.6), "differs (known: K 2024)"),
])
def test_verdicts(tol, value, interval, verdict):
    table = check.CheckTable("t")
    row = table.add("q", PUB, value, tolerance=tol, interval=interval, expect=(0, 1), known="K 2024")
    assert row.verdict.text == verdict


def test_unexplained_difference_and_not_checkable_rows_are_counted():
    table = check.CheckTable("t")
    table.add("q1", PUB, 0.9, tolerance=check.rel(0.01), expect=(0, 1))
    table.add("q2", PUB, not_checkable="data not public")
    assert [r.verdict.text for r in table.rows] == ["differs (unexplained)", "not checkable (data not public)"]
    assert table.counts() == {"reproduced": 0, "differs": 1, "not determined": 0, "not checkable": 1}
    assert "Eq. 10" in table.render()


def test_uncertain_values_keep_their_mark():
    q = published("kumar2024/appK/gamma_a")      # printed as gamma_i, read as gamma_a: marked uncertain
    assert q.uncertain and q.where.endswith("(uncertain)")
    table = check.CheckTable("t")
    table.add("gamma_a", q, 2.2, tolerance=check.rel(0.05), expect=(0, 10))
    assert "(uncertain)" in table.render()


def test_allocation_matches_numerical_minimisation_at_fixed_compute():
    p = {"E": 1.8, "A": 480.0, "B": 2100.0, "alpha": 0.35, "beta": 0.37}
    for flops in (1e20, 1e23):
        res = optimize.minimize_scalar(lambda log_n: frontier.loss_at(p, np.exp(log_n), flops / (6 * np.exp(log_n))),
                                       bounds=(np.log(1e6), np.log(1e13)), method="bounded",
                                       options={"xatol": 1e-10})
        assert np.exp(res.x) == pytest.approx(frontier.n_opt(p, flops), rel=1e-4)
        assert frontier.n_opt(p, flops) * frontier.d_opt(p, flops) * 6 == pytest.approx(flops)


def test_tokens_for_size_inverts_n_opt():
    p = {"E": 1.8, "A": 480.0, "B": 2100.0, "alpha": 0.35, "beta": 0.37}
    flops = 3e21
    n = frontier.n_opt(p, flops)
    assert frontier.tokens_for_size(p, n) == pytest.approx(frontier.d_opt(p, flops), rel=1e-10)


def test_paper_constants_reproduce_table2_approach3_exponent():
    tex = {"A": np.exp(published("hoffmann2022/tex/log_A").value), "B": np.exp(published("hoffmann2022/tex/log_B").value),
           "alpha": published("hoffmann2022/tex/alpha").value, "beta": published("hoffmann2022/tex/beta").value}
    assert round(float(frontier.allocation(tex)["a"]), 2) == published("hoffmann2022/table2/approach3/a").value


def test_isoflop_recovers_a_known_exponent_from_exact_parabolas():
    budgets = [1e19, 1e20, 1e21, 1e22]
    n, c, loss = [], [], []
    for b in budgets:
        centre = np.log10(0.08 * b ** 0.5)
        for dx in np.linspace(-0.6, 0.6, 7):
            n.append(10 ** (centre + dx))
            c.append(b * 10 ** (0.01 * dx))              # digitisation-like scatter in C, inside the window
            loss.append(2.0 + 0.3 * dx ** 2)
    iso = frontier.isoflop(n, c, loss, budgets, tol_dex=0.05)
    assert iso.exponent_a == pytest.approx(0.5, abs=1e-9)
    assert iso.coefficient == pytest.approx(0.08, rel=1e-6)
    assert list(iso.budgets.status) == ["used"] * 4
    boot = frontier.isoflop_bootstrap(n, c, loss, budgets, tol_dex=0.05, n_resamples=50, seed=1)
    assert np.nanmax(np.abs(boot - 0.5)) < 1e-6


def test_isoflop_reports_budgets_without_an_interior_minimum():
    n = [1e8, 2e8, 4e8, 1e9, 2e9, 4e9, 1e8, 3e8, 1e9]
    c = [1e19] * 3 + [1e20] * 3 + [1e21] * 3
    loss = [3.0, 2.9, 2.95, 2.5, 2.4, 2.45, 2.0, 2.1, 2.3]      # the 1e21 budget is monotone: no minimum inside
    iso = frontier.isoflop(n, c, loss, [1e19, 1e20, 1e21])
    assert iso.budgets.status.tolist()[:2] == ["used", "used"]
    assert iso.budgets.status.tolist()[2] in ("minimum outside sampled N", "no minimum (concave)")


def test_resample_weights_are_seeded_counts():
    w1 = uncertainty.resample_weights(50, 20, seed=3)
    w2 = uncertainty.resample_weights(50, 20, seed=3)
    np.testing.assert_array_equal(w1, w2)
    assert (w1.sum(axis=1) == 50).all()
    assert not np.array_equal(w1, uncertainty.resample_weights(50, 20, seed=4))


def test_bootstrap_resample_equals_fit_on_the_explicitly_resampled_points(nd, loss):
    start = [[6.17, 7.67, 0.597, 0.347, 0.367]]
    result = sl.fit("chinchilla", nd, loss, starts=start)
    boot = uncertainty.bootstrap(result, n_resamples=5, seed=7, derived=frontier.allocation)
    counts = uncertainty.resample_weights(loss.size, 5, seed=7)[2].astype(int)
    rows = np.repeat(np.arange(loss.size), counts)
    explicit = sl.fit("chinchilla", {k: v[rows] for k, v in nd.items()}, loss[rows],
                      starts=result.finals[result.best_index][None, :])
    assert boot.samples["alpha"][2] == pytest.approx(explicit.params["alpha"], rel=1e-6)
    assert boot.samples["a"][2] == pytest.approx(frontier.allocation(explicit.natural)["a"], rel=1e-6)
    lo, hi = boot.interval("alpha")
    assert lo <= hi


def test_claim_rows_use_their_stated_criterion():
    claim = Published("p/claim", None, "p", "Sect. 3", claim="coverage follows an exponentiated power law")
    table = check.CheckTable("t")
    ok = table.add_claim("fit error", claim, 0.02, holds=(0, 0.05), criterion="max error <= 0.05", expect=(0, 0.1))
    bad = table.add_claim("fit error 2", claim, 0.08, holds=(0, 0.05), criterion="max error <= 0.05", expect=(0, 0.1))
    assert (ok.verdict.text, bad.verdict.text) == ("reproduced", "differs (unexplained)")
    assert "claim" in table.render() and "max error <= 0.05" in table.render()
    with pytest.raises(Exception, match="claim without a value"):
        check.rel(0.1).contains(claim, 1.0)
