"""Lin et al.'s procedures (scalinglib.finetuning) and the fine-tuning laws (scalinglib.laws.finetuning): the code's
forms agree with the book's, the authors' fits recover a curve of their own form, AtS finds a planted phase
transition and keeps the code's quirks, the selection metrics follow the code's ranking and rounding, and bad input
is refused with the argument named."""
import numpy as np
import pytest

import scalinglib as sl
from scalinglib import finetuning as ft
from scalinglib.errors import InputError

D = np.array([200.0 * 2 ** i for i in range(14)])


def test_the_codes_rectified_form_is_the_books_law_without_alpha():
    A, B, beta, E = 4.0, -2.0, 0.6, 1.2
    # (A - E)/(1 + e^B D^beta) + E = B'/(D_l + D^beta) + E with D_l = e^-B and B' = (A - E) e^-B
    book = sl.get_law("lin_rectified").predict({"b": np.log(A - E) - B, "l": -B, "beta": beta, "e": np.log(E)}, {"D": D})
    assert np.allclose(np.exp(ft.rectified_code(np.log(D), A, B, beta, E)), book)


def test_the_codes_vanilla_form_is_the_books_law_with_b_inverted():
    alpha, B, beta, E = 1.3, 0.5, 0.4, 0.9
    book = sl.get_law("lin_vanilla").predict({"b": -np.log(B), "beta": beta, "e": np.log(E), "alpha": alpha}, {"D": D})
    assert np.allclose(np.exp(ft.vanilla_code(np.log(D), alpha, B, beta, E)), book)


def test_the_authors_rectified_fit_recovers_a_curve_of_its_form():
    truth = (4.0, -4.0, 0.5, 1.0)
    y = ft.rectified_code(np.log(D), *truth)
    params, mse = ft.fit_rectified_as_the_authors(np.log(D), y)
    assert params is not None and mse < 1e-8
    assert ft.rmsd(ft.rectified_code(np.log(D), *params), y) < 1e-4


def test_the_authors_vanilla_fit_is_seeded_and_repeatable():
    y = ft.vanilla_code(np.log(D), 1.0, 0.3, 0.3, 1.0)
    one = ft.fit_vanilla_as_the_authors(np.log(D), y, seed=1)
    assert one == ft.fit_vanilla_as_the_authors(np.log(D), y, seed=1)
    assert ft.rmsd(ft.vanilla_code(np.log(D), *one[0]), y) < 1e-2


def test_ats_finds_a_planted_transition_and_drops_the_smallest_point_when_none_fires():
    wiggle = 1 + 0.003 * np.where(np.arange(len(D)) % 2, 1, -1)      # a noise-like 0.3% (an exact line has std 0)
    power = 5.0 * D ** -0.1 * wiggle
    flat = power.copy()
    flat[:4] = power[4] * 1.15                        # a pre-power phase over the four smallest sizes
    assert ft.phase_transition(D, flat) == 4
    assert ft.ats_predict(D, flat, target=1e7) == pytest.approx(5.0 * 1e7 ** -0.1, rel=0.01)
    assert ft.phase_transition(D, power) == 1         # the test never fires: the code still drops D = 200
    assert ft.phase_transition(D[:3], power[:3]) == 0  # n <= k: every point kept


def test_ats_refuses_unsorted_or_non_positive_input():
    with pytest.raises(InputError, match="'D' must be strictly increasing"):
        ft.phase_transition(D[::-1], D)
    with pytest.raises(InputError, match="L must be > 0"):
        ft.phase_transition(D, -D)
    with pytest.raises(InputError, match="'k'"):
        ft.phase_transition(D, D, k=1)


def test_selection_metrics_rank_ties_first_and_round_as_the_code():
    target = np.array([1.0, 2.0, 3.0, 4.0])
    corr, rel = ft.selection_metrics([4.0, 1.0, 1.0, 3.0], target)
    assert rel == pytest.approx(round((4 - 2) / 3, 4))      # the tie at the top goes to the first of the two
    assert corr == round(corr, 4)
    # ModelSize: the score is log(size), the ranking the size (largest first)
    sizes = np.array([1e9, 1e8, 3e9, 2e8])
    _, rel = ft.selection_metrics(np.log(sizes), target, ranking=-sizes)
    assert rel == pytest.approx(round((4 - 3) / 3, 4))
    with pytest.raises(InputError, match="one length"):
        ft.selection_metrics([1.0, 2.0, 3.0], target)
    assert ft.printed_percent(0.9091) == "90.9"
