"""The fitting engine: recovery, gradients, agreement with scipy, bounds, weights, determinism.

Points generated from a law here test the optimiser only; they are never shown as data.
"""
import numpy as np
import pytest

import scalinglib as sl
from scalinglib.fit import make_problem
from scalinglib.laws import bnsl_law
from scalinglib.lbfgs import lbfgs_batched

TRUE = {"a": np.log(480.0), "b": np.log(2100.0), "e": np.log(1.8), "alpha": 0.35, "beta": 0.37}


def synthetic(rng, noise=0.002, n=80):
    n_params = 10 ** rng.uniform(7.5, 10.5, n)
    d_tokens = 10 ** rng.uniform(9, 11.5, n)
    law = sl.get_law("chinchilla")
    y = law.predict(TRUE, {"N": n_params, "D": d_tokens}) * np.exp(rng.normal(0, noise, n))
    return {"N": n_params, "D": d_tokens}, y


def test_recovers_known_parameters_from_noisy_points(rng):
    x, y = synthetic(rng)
    grid = {"a": (0.0, 5.0, 10.0), "b": (0.0, 5.0, 10.0), "e": (-1.0, 0.0, 1.0),
            "alpha": (0.0, 0.5, 1.0), "beta": (0.0, 0.5, 1.0)}
    result = sl.fit("chinchilla", x, y, starts=grid, loss="squared")
    for name, true in TRUE.items():
        assert result.params[name] == pytest.approx(true, rel=0.03, abs=0.03), name
    assert result.n_best_basin >= 1
    assert result.converged[result.best_index]


def _fd_gradient(fg, theta, eps=1e-6):
    grad = np.zeros_like(theta)
    for j in range(theta.shape[1]):
        step = np.zeros_like(theta)
        step[:, j] = eps
        grad[:, j] = (fg(theta + step, np.arange(len(theta)))[0] - fg(theta - step, np.arange(len(theta)))[0]) / (2 * eps)
    return grad


@pytest.mark.parametrize("loss,delta", [("huber", 0.05), ("huber", 1e-3), ("squared", None), ("absolute", None)])
@pytest.mark.parametrize("space", ["log", "linear"])
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_analytic_gradient_matches_finite_differences(nd, loss, delta, space, reduction, rng):
    problem = make_problem("chinchilla", nd, loss_values(nd), loss=loss, delta=delta, residual_space=space,
                           reduction=reduction)
    theta = np.column_stack([rng.uniform(4, 8, 6), rng.uniform(4, 9, 6), rng.uniform(0.3, 0.8, 6),
                             rng.uniform(0.2, 0.5, 6), rng.uniform(0.2, 0.5, 6)])
    fg = problem.objective()
    f, g = fg(theta, np.arange(6))
    assert np.all(np.isfinite(f))
    np.testing.assert_allclose(g, _fd_gradient(fg, theta), rtol=2e-4, atol=1e-7 * max(1.0, np.abs(g).max()))


def loss_values(nd):
    # Real losses are not needed for a gradient test; a smooth positive target keeps residuals generic.
    return 1.8 + 400 / nd["N"] ** 0.34 + 2000 / nd["D"] ** 0.36 + 0.01 * np.sin(np.arange(nd["N"].size))


def test_gradient_with_fixed_parameters(nd, rng):
    problem = make_problem("chinchilla", nd, loss_values(nd), fixed={"alpha": 0.34, "e": 0.5})
    theta = np.column_stack([rng.uniform(4, 8, 4), rng.uniform(4, 9, 4), rng.uniform(0.2, 0.5, 4)])
    fg = problem.objective()
    np.testing.assert_allclose(fg(theta, np.arange(4))[1], _fd_gradient(fg, theta), rtol=2e-4, atol=1e-9)


def test_batched_best_equals_best_scipy_loop_on_same_starts(nd, loss):
    law = sl.get_law("chinchilla")
    starts = law.start_points()[::113]          # 40 starts spread over the paper's grid
    batched = sl.fit(law, nd, loss, starts=starts)
    looped = sl.fit(law, nd, loss, starts=starts, optimizer="scipy:L-BFGS-B",
                    options={"ftol": 1e-14, "gtol": 1e-10, "maxiter": 15000})
    assert batched.objective == pytest.approx(looped.objective, rel=1e-6)
    for name in law.params:
        assert batched.params[name] == pytest.approx(looped.params[name], rel=1e-3), name


def test_bounds_are_respected_and_active_when_optimum_is_outside(nd, loss):
    result = sl.fit("chinchilla", nd, loss, starts=[[6.0, 7.0, 0.5, 0.25, 0.3]], bounds={"alpha": (0.2, 0.3)})
    assert 0.2 <= result.params["alpha"] <= 0.3
    assert result.params["alpha"] == pytest.approx(0.3)      # the free optimum is near 0.35


def test_integer_weights_equal_duplicated_rows(nd, loss):
    weights = np.ones(loss.size)
    weights[:30] = 2.0
    dup = {k: np.concatenate([v, v[:30]]) for k, v in nd.items()}
    start = [[6.0, 7.5, 0.6, 0.35, 0.37]]
    weighted = sl.fit("chinchilla", nd, loss, starts=start, weights=weights)
    duplicated = sl.fit("chinchilla", dup, np.concatenate([loss, loss[:30]]), starts=start)
    assert weighted.objective == pytest.approx(duplicated.objective, rel=1e-9)


def test_mean_objective_is_sum_over_n(nd, loss):
    theta = np.array([[6.0, 7.5, 0.6, 0.35, 0.37]])
    f_sum = make_problem("chinchilla", nd, loss, reduction="sum").objective()(theta, np.array([0]))[0]
    f_mean = make_problem("chinchilla", nd, loss, reduction="mean").objective()(theta, np.array([0]))[0]
    assert f_mean[0] == pytest.approx(f_sum[0] / loss.size)


def test_split_over_processes_gives_identical_numbers(nd, loss, monkeypatch):
    starts = np.tile(sl.get_law("chinchilla").start_points()[::9], (2, 1))   # 1,000 starts: split in two
    forked = sl.fit("chinchilla", nd, loss, starts=starts)
    monkeypatch.setenv("SCALINGLIB_NO_FORK", "1")
    serial = sl.fit("chinchilla", nd, loss, starts=starts)
    np.testing.assert_array_equal(forked.finals, serial.finals)
    np.testing.assert_array_equal(forked.status, serial.status)


def test_lbfgs_batched_minimises_independent_quadratics():
    centres = np.array([[1.0, -2.0], [3.0, 0.5], [-4.0, 4.0]])
    scales = np.array([[1.0, 100.0], [10.0, 1.0], [1.0, 1.0]])

    def fg(x, rows):
        diff = x - centres[rows]
        return (scales[rows] * diff ** 2).sum(1), 2 * scales[rows] * diff

    res = lbfgs_batched(fg, np.zeros((3, 2)))
    np.testing.assert_allclose(res.x, centres, atol=1e-6)
    assert res.converged.all()


def test_result_reports_basin_and_status(nd, loss):
    result = sl.fit("chinchilla", nd, loss, starts=sl.get_law("chinchilla").start_points()[::45])
    assert 1 <= result.n_best_basin <= len(result.starts)
    assert set(result.status) <= {"gradient", "ftol", "line-search", "max-iter", "non-finite"}
    summary = result.summary()
    assert summary["starts"] == len(result.starts)
    assert "Huber" in summary["method"]


def test_power_law_fit_in_log_space_is_least_squares_in_log_log(rng):
    x = np.logspace(0, 4, 40)
    y = 3.0 * x ** -0.37 * np.exp(rng.normal(0, 0.05, x.size))
    result = sl.fit("power_law", {"x": x}, y, loss="squared")
    slope, intercept = np.polyfit(np.log(x), np.log(y), 1)
    assert result.params["b"] == pytest.approx(slope, rel=1e-7)
    assert result.params["log_A"] == pytest.approx(intercept, rel=1e-7)


def test_per_start_targets_fit_each_start_to_its_own_curve(rng):
    x = np.logspace(0, 4, 30)
    truths = [(2.0, -0.3), (5.0, -0.5), (0.5, -0.1)]
    targets = np.array([a * x ** b for a, b in truths])
    result = sl.fit("power_law", {"x": x}, targets[0], loss="squared", starts=np.zeros((3, 2)), y_per_start=targets)
    for row, (a, b) in enumerate(truths):
        assert result.finals[row][1] == pytest.approx(b, abs=1e-6)
        assert np.exp(result.finals[row][0]) == pytest.approx(a, rel=1e-6)
    with pytest.raises(sl.InputError, match=r"'y_per_start' has shape \(2, 30\); expected \(3, 30\)"):
        sl.fit("power_law", {"x": x}, targets[0], starts=np.zeros((3, 2)), y_per_start=targets[:2])


MUENNIGHOFF = {"a": 6.255414, "b": 7.3049974, "e": 0.6254804, "alpha": 0.3526596, "beta": 0.3526596}


def test_data_constrained_law_matches_the_readme_examples():
    law = sl.get_law("data_constrained")
    p = {**MUENNIGHOFF, "rd_star": 15.387756, "rn_star": 5.309743}
    y = law.predict(p, {"N": np.array([6.34e9, 8.67e9]), "D": np.array([242e9, 178e9]), "U": np.array([25e9, 25e9])})
    np.testing.assert_allclose(y, [2.2256440889984477, 2.2269634075087867], rtol=1e-12)


def test_data_constrained_gradient_matches_finite_differences(rng):
    n = 10 ** rng.uniform(7, 10, 50)
    u = 10 ** rng.uniform(8, 10.5, 50)
    d = u * rng.choice([1, 2, 4, 10, 40, 200], 50)
    x = {"N": n, "D": d, "U": u}
    y = 2.0 + rng.uniform(0, 1.5, 50)
    problem = make_problem("data_constrained", x, y, fixed={k: v for k, v in MUENNIGHOFF.items() if k != "e"})
    theta = np.column_stack([rng.uniform(0.4, 0.8, 5), rng.uniform(1, 40, 5), rng.uniform(0.5, 20, 5)])
    fg = problem.objective()
    np.testing.assert_allclose(fg(theta, np.arange(5))[1], _fd_gradient(fg, theta, eps=1e-6), rtol=1e-4, atol=1e-9)


def test_data_constrained_law_requires_its_fixed_parameters():
    x = {"N": np.full(8, 1e9), "D": np.full(8, 4e10), "U": np.full(8, 1e10)}
    with pytest.raises(sl.InputError, match=r"no gradient for \['a', 'b', 'alpha', 'beta'\]; hold \['a', 'alpha'\] fixed"):
        sl.fit("data_constrained", x, np.full(8, 3.0), fixed={"b": 7.3, "beta": 0.35})


def test_krajewski_gradient_matches_finite_differences(rng):
    x = {"N": 10 ** rng.uniform(8, 11, 40), "D": 10 ** rng.uniform(9, 12, 40), "G": 2.0 ** rng.integers(0, 6, 40)}
    y = 2.0 + rng.uniform(0, 1, 40)
    problem = make_problem("krajewski_moe", x, y, loss="huber", delta=0.1, residual_space="linear")
    theta = np.column_stack([rng.uniform(0.3, 0.6, 4), rng.uniform(10, 20, 4), rng.uniform(0.1, 0.2, 4),
                             rng.uniform(20, 40, 4), rng.uniform(0.1, 0.2, 4), rng.uniform(1, 3, 4), rng.uniform(0.4, 0.7, 4)])
    fg = problem.objective()
    np.testing.assert_allclose(fg(theta, np.arange(4))[1], _fd_gradient(fg, theta, eps=1e-7), rtol=1e-4, atol=1e-9)


def test_kumar_precision_gradient_matches_finite_differences(rng):
    x = {"N": 10 ** rng.uniform(7.5, 9, 40), "D": 10 ** rng.uniform(9, 10.5, 40), "P": rng.choice([3.0, 4.0, 6.0, 8.0, 16.0], 40)}
    y = 3.0 + rng.uniform(0, 1, 40)
    problem = make_problem("kumar_precision", x, y, loss="squared", residual_space="linear")
    theta = np.column_stack([rng.uniform(3e3, 5e3, 3), rng.uniform(1e4, 2e4, 3), rng.uniform(2.5, 3, 3),
                             rng.uniform(0.4, 0.5, 3), rng.uniform(2.4, 2.9, 3), rng.uniform(0.2, 0.4, 3)])
    fg = problem.objective()
    np.testing.assert_allclose(fg(theta, np.arange(3))[1], _fd_gradient(fg, theta, eps=1e-5), rtol=2e-4, atol=1e-7)


def test_kumar_precision_law_matches_the_precision_helpers():
    from scalinglib.laws import precision
    c = {"A": 4.299e3, "B": 1.806e4, "E": 2.7648, "alpha": 0.4965, "beta": 0.4965, "gamma_w": 2.6745, "n_w": 0.3037}
    x = {"N": np.array([3e7, 2.2e8]), "D": np.array([1.5e9, 2.6e10]), "P": np.array([4.0, 8.0])}
    law_y = sl.get_law("kumar_precision").predict({k: c[k] for k in ("A", "B", "E", "alpha", "gamma_w", "n_w")}, x)
    helper_y = precision.base_loss(precision.effective_params(x["N"], {"w": x["P"]}, c, "add"), x["D"], c)
    np.testing.assert_allclose(law_y, helper_y, rtol=1e-12)


@pytest.mark.parametrize("n_breaks", [1, 2])
@pytest.mark.parametrize("space", ["log1p", "log", "linear"])
def test_bnsl_gradient_matches_finite_differences(n_breaks, space, rng):
    law = bnsl_law(n_breaks)
    x = {"x": np.logspace(1, 4, 30)}
    y = 0.5 + rng.uniform(0, 1.5, 30)
    problem = make_problem(law, x, y, loss="squared", residual_space=space)
    cols = [rng.uniform(0.1, 0.4, 3), rng.uniform(0.0, 1.0, 3), rng.uniform(0.01, 0.2, 3)]
    for _ in range(n_breaks):
        cols += [rng.uniform(0.5, 3.0, 3), rng.uniform(4.0, 7.0, 3), rng.uniform(0.1, 1.0, 3)]
    theta = np.column_stack(cols)
    fg = problem.objective()
    np.testing.assert_allclose(fg(theta, np.arange(3))[1], _fd_gradient(fg, theta, eps=1e-6), rtol=2e-4, atol=1e-8)


def test_bnsl_matches_the_direct_formula_including_sharp_breaks():
    law = bnsl_law(1)
    x = np.arange(1.0, 4096.0)
    gt = dict(a=0.41388453071629455, b=2.2772722897737556, c0=0.055077348404973955, c1=5.662903816010331,
              d1=612.5836172918001, f1=0.059193036393742314)
    direct = gt["a"] + gt["b"] * x ** -gt["c0"] * (1 + (x / gt["d1"]) ** (1 / gt["f1"])) ** (-gt["c1"] * gt["f1"])
    ours = law.predict({"a": gt["a"], "log_b": np.log(gt["b"]), "c0": gt["c0"], "c1": gt["c1"],
                        "log_d1": np.log(gt["d1"]), "f1": gt["f1"]}, {"x": x})
    np.testing.assert_allclose(ours, direct, rtol=1e-10)


@pytest.mark.parametrize("name,theta", [
    ("m2", [[0.2, 1.0, -0.3], [0.05, 2.0, -0.1]]),
    ("m3", [[0.5, 0.01, 0.3], [1.0, 0.1, 0.8]]),
    ("m4", [[0.1, 1.2, 0.8, 2.0, -0.4], [0.05, 1.5, 1.5, 1.0, -0.2]]),
])
def test_benchmark_forms_gradients_match_finite_differences(name, theta):
    x = {"x": np.logspace(0.5, 3, 25)}
    y = np.linspace(0.9, 0.3, 25)
    problem = make_problem(name, x, y, loss="squared", residual_space="log")
    theta = np.array(theta)
    fg = problem.objective()
    np.testing.assert_allclose(fg(theta, np.arange(len(theta)))[1], _fd_gradient(fg, theta, eps=1e-6), rtol=3e-4, atol=1e-7)


def test_m4_solves_its_implicit_equation():
    law = sl.get_law("m4")
    p = {"eps_inf": 0.1, "eps_0": 1.2, "alpha": 0.8, "log_beta": 2.0, "c": -0.4}
    x = np.logspace(0, 4, 20)
    y = law.predict(p, {"x": x})
    np.testing.assert_allclose((y - 0.1) / (1.2 - y) ** 0.8, np.exp(2.0) * x ** -0.4, rtol=1e-9)


def test_map_split_gives_the_serial_results_in_order(monkeypatch):
    from scalinglib.parallel import map_split
    items = list(range(11))
    assert map_split(lambda v: v * v, items) == [v * v for v in items]
    monkeypatch.setenv("SCALINGLIB_NO_FORK", "1")
    assert map_split(lambda v: v * v, items) == [v * v for v in items]


def test_split_work_inside_a_forked_part_runs_serially_with_the_same_numbers():
    """A map_split item that itself splits (a big fit, or another map_split) cannot fork from a pool worker; it
    runs its parts one after the other and returns what it returns in the parent."""
    from scalinglib.parallel import map_split
    inner = [list(range(k, k + 5)) for k in range(6)]
    assert map_split(lambda items: map_split(lambda v: v + 1, items), inner) == [[v + 1 for v in i] for i in inner]


def test_kaplan_nd_matches_eq_1_5_and_its_gradient(nd, rng):
    law = sl.get_law("kaplan_nd")
    p = {"log_Nc": np.log(6.4e13), "log_Dc": np.log(1.8e13), "alpha_N": 0.076, "alpha_D": 0.103}
    direct = ((6.4e13 / nd["N"]) ** (0.076 / 0.103) + 1.8e13 / nd["D"]) ** 0.103
    np.testing.assert_allclose(law.predict(p, nd), direct, rtol=1e-12)
    problem = make_problem("kaplan_nd", nd, loss_values(nd))
    theta = np.column_stack([rng.uniform(28, 33, 3), rng.uniform(28, 32, 3), rng.uniform(0.05, 0.1, 3), rng.uniform(0.08, 0.12, 3)])
    fg = problem.objective()
    np.testing.assert_allclose(fg(theta, np.arange(3))[1], _fd_gradient(fg, theta, eps=1e-7), rtol=3e-4, atol=1e-8)


def test_isoflop_akima_and_parabola_agree_on_exact_parabolas():
    from scalinglib import frontier
    budgets = [1e19, 1e20, 1e21]
    n, c, loss = [], [], []
    for b in budgets:
        centre = np.log10(0.1 * b ** 0.5)
        for dx in np.linspace(-0.6, 0.6, 9):
            n.append(10 ** (centre + dx)); c.append(b); loss.append(2.0 + 0.3 * dx ** 2)
    a_par = frontier.isoflop(n, c, loss, budgets, tol_dex=0.01).exponent_a
    a_aki = frontier.isoflop(n, c, loss, budgets, tol_dex=0.01, method="akima").exponent_a
    assert a_par == pytest.approx(0.5, abs=1e-9)
    assert a_aki == pytest.approx(0.5, abs=2e-3)


@pytest.mark.parametrize("name", sl.known_laws())
def test_law_equation_is_single_backslash_latex(name):
    """`equation` is LaTeX as the paper prints it; a doubled backslash in a raw string would be a line break."""
    equation = sl.get_law(name).equation
    assert "\\\\" not in equation, f"{name}: {equation}"
    assert equation.count("{") == equation.count("}"), f"{name}: unbalanced braces in {equation}"


@pytest.mark.parametrize("optimizer", ["scipy:L-BFGS-B", "scipy:least_squares"])
def test_per_start_scipy_loops_split_over_processes_with_the_same_numbers(nd, loss, optimizer, monkeypatch):
    starts = sl.get_law("chinchilla").start_points()[::900]                      # 5 starts: split 3 + 2
    forked = sl.fit("chinchilla", nd, loss, starts=starts, optimizer=optimizer)
    alone = [sl.fit("chinchilla", nd, loss, starts=s[None, :], optimizer=optimizer) for s in starts]
    np.testing.assert_array_equal(forked.finals, np.vstack([a.finals for a in alone]))
    np.testing.assert_array_equal(forked.objectives, np.concatenate([a.objectives for a in alone]))
    monkeypatch.setenv("SCALINGLIB_NO_FORK", "1")
    serial = sl.fit("chinchilla", nd, loss, starts=starts, optimizer=optimizer)
    np.testing.assert_array_equal(forked.finals, serial.finals)


def test_a_forked_part_runs_its_blas_on_one_thread():
    """Two parts on two cores already fill the machine; a part that kept the parent's BLAS thread pool ran the
    chapter's bootstrap 7x slower (benchmarks/split_scipy_fits.py)."""
    from threadpoolctl import threadpool_info
    import scalinglib.parallel as parallel
    parallel._job = lambda idx: [pool["num_threads"] for pool in threadpool_info()]
    try:
        inside = parallel._run_part(np.arange(2))
    finally:
        parallel._job = None
    assert inside and all(n == 1 for n in inside)
