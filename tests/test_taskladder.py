"""Bhagia et al.'s two-step procedure: each ladder run's points are formed as the authors' code forms them, the two
fits recover known constants, and bad input is refused with the argument named."""
import numpy as np
import pytest

import scalinglib as sl
from scalinglib import taskladder as tl
from scalinglib.errors import InputError

STEP1 = {"a": np.log(38.07), "b": np.log(100.09), "alpha": 0.23, "beta": 0.24, "E": 0.45}   # Table 5, MMLU
STEP2 = {"a": -0.74, "L0": 0.62, "k": 4.83, "b": 1.0}


def test_moving_average_keeps_the_length_and_starts_with_running_means():
    out = tl.moving_average([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], window=5)
    assert out.tolist() == pytest.approx([1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0])
    assert tl.moving_average([2.0, 4.0], window=5).tolist() == pytest.approx([2.0, 3.0])


def test_final_point_is_the_mean_of_the_last_checkpoints_at_the_last_tokens():
    loss, tokens = [9.0, 1.0, 2.0, 3.0, 4.0, 5.0], [10, 20, 30, 40, 50, 60]
    assert tl.final_point(loss, tokens, window=5) == (3.0, 60.0)


def test_step2_series_skips_the_first_tenth_rounded_up_then_smooths():
    loss = np.arange(11.0)                      # ceil(0.1 * 11) = 2 checkpoints skipped
    kept, acc = tl.step2_series(loss, loss / 10, skip_fraction=0.1, window=1)
    assert kept.tolist() == loss[2:].tolist() and acc.tolist() == pytest.approx((loss[2:] / 10).tolist())


def test_the_two_fits_recover_constants_from_exact_points():
    law1, law2 = sl.get_law("bhagia_task_loss"), sl.get_law("bhagia_task_accuracy")
    n = np.repeat([1.9e8, 3.7e8, 7.6e8, 1.28e9], 4)
    d = n * np.tile([20.0, 40.0, 100.0, 200.0], 4)
    step1 = tl.fit_step1(n, d, law1.predict(STEP1, {"N": n, "D": d}))
    assert step1.natural["alpha"] == pytest.approx(0.23, rel=1e-3)
    assert step1.natural["E"] == pytest.approx(0.45, rel=1e-3)
    loss = np.linspace(0.7, 1.6, 200)
    step2 = tl.fit_step2(loss, law2.predict(STEP2, {"L": loss}), ideal_point=False)   # exact curve only
    assert step2.params["k"] == pytest.approx(4.83, rel=1e-4)
    predicted_loss, predicted_acc = tl.chain(step1, step2, 7e9, 4e12)
    assert predicted_acc[0] == pytest.approx(law2.predict(STEP2, {"L": predicted_loss})[0], rel=1e-4)


def test_the_ideal_point_is_part_of_step_2():
    loss = np.linspace(0.7, 1.6, 50)
    acc = sl.get_law("bhagia_task_accuracy").predict(STEP2, {"L": loss})
    assert tl.fit_step2(loss, acc).problem.n_points == 51
    assert tl.fit_step2(loss, acc, ideal_point=False).problem.n_points == 50


@pytest.mark.parametrize("call, names", [
    (lambda: tl.moving_average([1.0, 2.0], window=0), "window"),
    (lambda: tl.final_point([1.0, 2.0], [1.0]), "loss"),
    (lambda: tl.step2_series([1.0, np.nan], [0.5, 0.5]), "loss"),
    (lambda: tl.step2_series([1.0, 2.0], [0.5, 0.5], skip_fraction=1.0), "skip_fraction"),
    (lambda: tl.fit_step2([1.0, 2.0], [0.5, 0.5], task_minimum=1.5), "task_minimum"),
    (lambda: tl.mean_relative_error([1.0], ["x"]), "actual"),
])
def test_bad_input_names_the_argument(call, names):
    with pytest.raises(InputError, match=names):
        call()
