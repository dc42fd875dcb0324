"""Every bad input gets a clear error that names the argument, file, column or row."""
import shutil

import numpy as np
import pandas as pd
import pytest

import scalinglib as sl
from scalinglib import frontier, uncertainty
from reprobook import check, data
from scalinglib.data import Registry, sha256_of
from scalinglib.errors import DataIntegrityError, InputError, UnknownNameError
from reprobook.errors import CheckFailed
from reprobook.published import Published, published


def small():
    n = np.array([1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9, 6.4e9])
    d = np.array([2e9, 4e9, 8e9, 1.6e10, 3.2e10, 6.4e10, 1.28e11])
    return {"N": n, "D": d}, 1.8 + 400 / n ** 0.34 + 2000 / d ** 0.36


def test_unknown_law_name_lists_known_laws():
    x, y = small()
    with pytest.raises(UnknownNameError, match=r"unknown law 'kaplan_typo'.*chinchilla"):
        sl.fit("kaplan_typo", x, y)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_variable_names_argument_and_position(bad):
    x, y = small()
    x["N"] = x["N"].copy()
    x["N"][3] = bad
    with pytest.raises(InputError, match=r"argument x\['N'\] has NaN or infinite values at positions \[3\]"):
        sl.fit("chinchilla", x, y)


def test_non_finite_target_in_dataframe_names_row_label():
    x, y = small()
    frame = pd.DataFrame({"n": x["N"], "d": x["D"], "loss": y}, index=[f"run{i}" for i in range(7)])
    frame.loc["run5", "loss"] = np.nan
    with pytest.raises(InputError, match=r"column 'loss'.*rows \['run5'\]"):
        sl.fit("chinchilla", {"N": "n", "D": "d"}, "loss", frame)


def test_non_positive_value_under_a_log_names_argument_and_row():
    x, y = small()
    x["D"] = x["D"].copy()
    x["D"][[1, 4]] = [0.0, -5.0]
    with pytest.raises(InputError, match=r"argument x\['D'\] must be > 0 because law 'chinchilla' takes its log.*\[1, 4\]"):
        sl.fit("chinchilla", x, y)


def test_non_positive_target_in_log_space():
    x, y = small()
    y = y.copy()
    y[0] = 0.0
    with pytest.raises(InputError, match=r"argument y must be > 0 because residuals are taken in log space.*\[0\]"):
        sl.fit("chinchilla", x, y)


def test_mismatched_lengths_list_every_length():
    x, y = small()
    with pytest.raises(InputError, match=r"mismatched lengths: x\['N'\]=7, x\['D'\]=7, y=6"):
        sl.fit("chinchilla", x, y[:6])


def test_fewer_points_than_free_parameters():
    x, y = small()
    x = {k: v[:4] for k, v in x.items()}
    with pytest.raises(InputError, match=r"4 points cannot determine 5 free parameters"):
        sl.fit("chinchilla", x, y[:4])
    # with two parameters fixed, 4 points are enough for 3 free ones
    sl.fit("chinchilla", x, y[:4], fixed={"alpha": 0.34, "beta": 0.36}, starts=[[6.0, 7.6, 0.6]])


def test_bounds_that_exclude_the_start_grid():
    x, y = small()
    with pytest.raises(InputError, match=r"bounds \(0.1, 0.4\) for parameter 'alpha' exclude start values \[0.0, 0.5, 1.0, 1.5, 2.0\]"):
        sl.fit("chinchilla", x, y, bounds={"alpha": (0.1, 0.4)})


def test_empty_bounds():
    x, y = small()
    with pytest.raises(InputError, match=r"bounds for parameter 'beta' are empty"):
        sl.fit("chinchilla", x, y, starts=[[6, 7, 0.5, 0.3, 0.3]], bounds={"beta": (1.0, 0.0)})


@pytest.mark.parametrize("kwargs,pattern", [
    ({"fixed": {"gamma": 1.0}}, r"'fixed' names \['gamma'\]"),
    ({"bounds": {"gamma": (0, 1)}}, r"'bounds' names \['gamma'\]"),
    ({"loss": "cauchy"}, r"unknown loss 'cauchy'"),
    ({"optimizer": "adam"}, r"unknown optimizer 'adam'"),
])
def test_unknown_names_in_arguments(kwargs, pattern):
    x, y = small()
    with pytest.raises(UnknownNameError, match=pattern):
        sl.fit("chinchilla", x, y, starts=[[6, 7, 0.5, 0.3, 0.3]], **kwargs)


@pytest.mark.parametrize("kwargs,pattern", [
    ({"loss": "huber", "delta": 0.0}, r"'delta' must be a positive number"),
    ({"loss": "squared", "delta": 0.1}, r"'delta' applies only to the Huber loss"),
    ({"residual_space": "sqrt"}, r"'residual_space' must be 'log', 'log1p' or 'linear'"),
    ({"reduction": "median"}, r"'reduction' must be 'sum' or 'mean'"),
    ({"starts": [[1.0, 2.0]]}, r"'starts' must have 5 columns"),
    ({"starts": [[1.0, 2.0, np.nan, 0.1, 0.1]]}, r"'starts' has NaN"),
    ({"weights": np.ones(3)}, r"'weights' has shape \(3,\)"),
    ({"weights": -np.ones(7)}, r"'weights' must be finite and non-negative"),
])
def test_invalid_fit_arguments(kwargs, pattern):
    x, y = small()
    kwargs.setdefault("starts", [[6, 7, 0.5, 0.3, 0.3]])
    with pytest.raises(InputError, match=pattern):
        sl.fit("chinchilla", x, y, **kwargs)


def test_missing_and_unexpected_variables():
    x, y = small()
    with pytest.raises(InputError, match=r"missing \['D'\] and has unexpected \['C'\]"):
        sl.fit("chinchilla", {"N": x["N"], "C": x["D"]}, y)


def test_missing_dataframe_column_is_named():
    x, y = small()
    frame = pd.DataFrame({"n": x["N"], "d": x["D"], "loss": y})
    with pytest.raises(InputError, match=r"names column 'tokens', which the data does not have"):
        sl.fit("chinchilla", {"N": "n", "D": "tokens"}, "loss", frame)


def test_unknown_dataset_and_published_quantity():
    with pytest.raises(UnknownNameError, match=r"unknown dataset 'chinchila'.*chinchilla_fig4"):
        data.load("chinchila")
    with pytest.raises(UnknownNameError, match=r"unknown published quantity 'hoffmann2022/eq10/F'"):
        published("hoffmann2022/eq10/F")


@pytest.fixture
def data_copy(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(data.BOOK_DATA.root, root)
    return root


def test_edited_data_file_fails_its_checksum_naming_the_file(data_copy):
    path = data_copy / "chinchilla" / "hoffmann2022_fig4_points.csv"
    text = path.read_text().replace("5.005581996196243", "5.005581996196244", 1)
    path.write_text(text)
    with pytest.raises(DataIntegrityError, match=r"hoffmann2022_fig4_points.csv: sha256 is .* but .*manifest.yaml records"):
        Registry(data_copy).load("chinchilla_fig4")


def _rewrite(data_copy, frame):
    """Write a modified table and record its checksum, as a careless manual edit of both would."""
    import yaml
    path = data_copy / "chinchilla" / "hoffmann2022_fig4_points.csv"
    frame.to_csv(path, index=False)
    manifest_path = data_copy / "manifest.yaml"
    doc = yaml.safe_load(manifest_path.read_text())
    doc["datasets"]["chinchilla_fig4"]["sha256"] = sha256_of(path)
    doc["datasets"]["chinchilla_fig4"]["rows"] = len(frame)
    manifest_path.write_text(yaml.safe_dump(doc, sort_keys=False))


def test_changed_columns_are_named_even_with_a_matching_checksum(data_copy):
    frame = pd.read_csv(data_copy / "chinchilla" / "hoffmann2022_fig4_points.csv").rename(columns={"loss_nats": "loss"})
    _rewrite(data_copy, frame)
    with pytest.raises(DataIntegrityError, match=r"columns differ from the manifest; missing \['loss_nats'\], unexpected \['loss'\]"):
        Registry(data_copy).load("chinchilla_fig4")


def test_non_positive_value_in_a_positive_column_names_column_and_row(data_copy):
    frame = pd.read_csv(data_copy / "chinchilla" / "hoffmann2022_fig4_points.csv")
    frame.loc[17, "N_params"] = -1.0
    _rewrite(data_copy, frame)
    with pytest.raises(DataIntegrityError, match=r"column 'N_params' must be > 0; rows \[17\]"):
        Registry(data_copy).load("chinchilla_fig4")


def test_empty_value_in_a_required_column(data_copy):
    frame = pd.read_csv(data_copy / "chinchilla" / "hoffmann2022_fig4_points.csv")
    frame.loc[3, "loss_nats"] = np.nan
    _rewrite(data_copy, frame)
    with pytest.raises(DataIntegrityError, match=r"column 'loss_nats' has empty values at rows \[3\]"):
        Registry(data_copy).load("chinchilla_fig4")


def test_missing_data_file(data_copy):
    (data_copy / "chinchilla" / "hoffmann2022_fig4_points.csv").unlink()
    with pytest.raises(DataIntegrityError, match=r"data file of dataset 'chinchilla_fig4' is missing"):
        Registry(data_copy).load("chinchilla_fig4")


def test_check_row_without_declared_expectation_is_refused():
    table = check.CheckTable("t")
    pub = Published("p/x", 1.0, "p", "Eq. 1")
    with pytest.raises(InputError, match=r"needs published, reproduced, tolerance and expect"):
        table.add("x", pub, 1.0, tolerance=check.rel(0.1))


def test_check_table_raises_when_a_value_leaves_its_range(capsys):
    table = check.CheckTable("t")
    pub = Published("p/x", 1.0, "p", "Eq. 1")
    table.add("inside", pub, 1.01, tolerance=check.rel(0.05), expect=(0.9, 1.1))
    table.add("outside", pub, 1.5, tolerance=check.rel(0.05), expect=(0.9, 1.1), known="Someone 2024")
    with pytest.raises(CheckFailed, match=r"t: 1 reproduced value\(s\) left their declared range: outside: 1.50000"):
        table.show()
    assert "differs (known: Someone 2024)" in capsys.readouterr().out   # the table is printed first


def test_bootstrap_needs_two_resamples():
    x, y = small()
    result = sl.fit("chinchilla", x, y, starts=[[6, 7.6, 0.6, 0.34, 0.36]])
    with pytest.raises(InputError, match=r"'n_resamples' must be a whole number >= 2, got 1"):
        uncertainty.bootstrap(result, n_resamples=1)


def test_isoflop_rejects_non_positive_flops():
    with pytest.raises(InputError, match=r"argument flops must be > 0.*\[1\]"):
        frontier.isoflop([1e8, 2e8, 3e8], [1e19, 0.0, 1e19], [3.0, 2.9, 3.1], [1e19])
