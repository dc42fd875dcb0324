"""The `scalinglib` command line: every command's --help, the fit / compare / optimal / backtest round trip on a
small hand-written file, machine-readable output, exit codes, and a clear error for every bad file, column or option.

The runs below are illustrative points from a known law (not data): the fit must find that law's exponents.
"""
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from scalinglib import cli
from scalinglib.uncertainty import bootstrap
from scalinglib import workbench as wb

COMMANDS = ["laws", "fit", "compare", "optimal", "backtest"]


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "scalinglib", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)


@pytest.fixture
def runs(tmp_path):
    n = np.array([1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9] * 3)
    d = np.repeat([3e9, 1e10, 3e10], 6)
    loss = 1.69 + 406.4 / n ** 0.34 + 410.7 / d ** 0.28      # Eq. 10 of Hoffmann et al.
    path = tmp_path / "my runs.csv"
    pd.DataFrame({"model params": n, "tokens": d, "final loss": loss, "flops": 6 * n * d}).to_csv(path, index=False)
    return path


def fit_args(runs, *extra):
    return ["fit", "chinchilla", str(runs), "--x", "N=model params", "--x", "D=tokens", "--y", "final loss", *extra]


def test_the_installed_command_answers_help_with_every_command():
    out = run("--help")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("usage: scalinglib")
    assert all(c in out.stdout for c in COMMANDS) and "exit codes" in out.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--help"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: scalinglib {command}")


def test_fit_prints_intervals_writes_a_record_and_compares(runs, tmp_path):
    record_path = tmp_path / "fit.json"
    out = run(*fit_args(runs, "--loss", "squared", "--bootstrap", "40", "--json", record_path,
                        "--compare", "hoffmann2022/eq10"))
    assert out.returncode == 0, out.stderr
    assert "95% lower" in out.stdout and "starts in the best basin" in out.stdout
    record = json.loads(record_path.read_text())
    assert record["law"] == "chinchilla" and record["n_points"] == 18
    assert record["parameters"]["alpha"] == pytest.approx(0.34, abs=1e-4)
    assert record["parameters"]["beta"] == pytest.approx(0.28, abs=1e-4)
    lo, hi = record["intervals"]["alpha"]
    assert lo <= record["parameters"]["alpha"] <= hi
    assert len(record["bootstrap_samples"]["alpha"]) == 40
    assert record["objective"].startswith("sum of squared")
    # the points follow Eq. 10's constants, so every constant reproduces to its printed digits
    assert out.stdout.count("  reproduced  ") == 5, out.stdout
    again = run(*fit_args(runs, "--json", record_path))
    assert again.returncode == 2 and "exists" in again.stderr and "--force" in again.stderr

    compared = run("compare", record_path, "hoffmann2022/eq10", "--json")
    assert compared.returncode == 0, compared.stderr
    assert [r["verdict"] for r in json.loads(compared.stdout)] == ["reproduced"] * 5

    optimal = run("optimal", record_path, "--flops", "1e21", "1e23", "--json")
    assert optimal.returncode == 0, optimal.stderr
    rows = json.loads(optimal.stdout)
    assert len(rows) == 2 and rows[0]["N_opt 95% lower"] <= rows[0]["N_opt (parameters)"] <= rows[0]["N_opt 95% upper"]
    assert all(abs(6 * r["N_opt (parameters)"] * r["D_opt (tokens)"] / r["compute (FLOPs)"] - 1) < 1e-9 for r in rows)


def test_json_to_stdout_is_the_record_alone(runs, capsys):      # in process: the subprocess path is tested above
    assert cli.main(fit_args(runs, "--loss", "squared", "--json", "-")) == 0
    record = json.loads(capsys.readouterr().out)
    for key in ("id", "law", "parameters", "intervals", "interval_method", "dataset", "dataset_sha256", "rows",
                "n_points", "objective", "method", "note", "scalinglib_version"):      # the book's fits.json fields
        assert key in record


def test_backtest_holds_out_the_largest_runs(runs, capsys):
    assert cli.main(["backtest", "chinchilla", str(runs), "--x", "N=model params", "--x", "D=tokens", "--y",
                     "final loss", "--by", "flops", "--largest", "2", "--loss", "squared", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result["held_rows"]) == 2 and result["held-out mean |log error|"] < 1e-3


def test_laws_lists_every_law_and_describes_one():
    listing = cli.parser().parse_args(["laws", "--json"])
    from io import StringIO
    import contextlib
    buffer = StringIO()
    with contextlib.redirect_stdout(buffer):
        assert listing.run(listing) == 0
    laws = {law["name"]: law for law in json.loads(buffer.getvalue())}
    assert "chinchilla" in laws and "hoffmann2022/eq10" in laws["chinchilla"]["published_sets"]
    assert laws["chinchilla"]["objective"]["delta"] == 1e-3
    assert "engine's default" in laws["power_law"]["objective_source"]


@pytest.mark.parametrize("args, message", [
    (["fit", "chinchilla", "missing.csv", "--x", "N=a", "--x", "D=b", "--y", "c"], "does not exist"),
    (["fit", "chinchilla", "{runs}", "--x", "N=model params", "--y", "final loss"], "missing ['D']"),
    (["fit", "chinchilla", "{runs}", "--x", "N=params", "--x", "D=tokens", "--y", "final loss"], "column 'params'"),
    (["fit", "chinchilla", "{runs}", "--x", "N model params", "--x", "D=tokens", "--y", "final loss"], "NAME=VALUE"),
    (["fit", "nonesuch", "{runs}", "--x", "N=tokens", "--y", "final loss"], "unknown law 'nonesuch'"),
    (["fit", "chinchilla", "{runs}", "--x", "N=model params", "--x", "D=tokens", "--y", "final loss", "--fixed",
      "gamma=1"], "not parameters of law"),
    (["fit", "chinchilla", "{runs}", "--x", "N=model params", "--x", "D=tokens", "--y", "final loss", "--delta",
      "-1"], "delta"),
    (["fit", "chinchilla", "{runs}", "--x", "N=model params", "--x", "D=tokens", "--y", "final loss", "--compare",
      "nonesuch/set"], "unknown published set"),
    (["fit", "chinchilla", "{runs}", "--x", "N=model params", "--x", "D=tokens", "--y", "final loss", "--compare",
      "kaplan2020/table2"], "holds constants of law 'kaplan_nd'"),
    (["fit", "chinchilla", "{runs}", "--x", "N=model params", "--x", "D=tokens", "--y", "final loss", "--bootstrap",
      "1"], "at least 2 resamples"),
    (["compare", "{runs}", "hoffmann2022/eq10"], "not JSON"),
    (["optimal", "--published", "kaplan2020/table2", "--flops", "1e21"], "constants"),
    (["optimal", "--flops", "1e21"], "not both"),
])
def test_bad_input_is_a_clear_error_with_exit_code_2(runs, args, message, capsys):
    code = cli.main([a.replace("{runs}", str(runs)) for a in args])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.startswith("scalinglib "), err


def test_a_text_cell_and_an_empty_cell_name_their_line(runs, tmp_path, capsys):
    frame = pd.read_csv(runs)
    frame["tokens"] = frame["tokens"].astype(object)
    frame.loc[3, "tokens"] = "3e9 tokens"
    bad = tmp_path / "typo.csv"
    frame.to_csv(bad, index=False)
    assert cli.main(fit_args(bad)) == 2
    assert "line 5 ('3e9 tokens')" in capsys.readouterr().err      # header is line 1, row 3 is line 5
    frame.loc[3, "tokens"] = None
    frame.to_csv(bad, index=False)
    assert cli.main(fit_args(bad)) == 2
    err = capsys.readouterr().err
    assert "tokens" in err and "5" in err


def test_parquet_reads_like_csv(runs, tmp_path):
    path = tmp_path / "runs.parquet"
    pd.read_csv(runs).to_parquet(path)
    a = wb.fit_table("chinchilla", wb.read_table(runs), {"N": "model params", "D": "tokens"}, "final loss",
                     loss="squared")
    b = wb.fit_table("chinchilla", wb.read_table(path), {"N": "model params", "D": "tokens"}, "final loss",
                     loss="squared")
    assert a.natural == b.natural


def test_bootstrap_with_progress_gives_the_same_numbers(runs):
    result = wb.fit_table("chinchilla", wb.read_table(runs), {"N": "model params", "D": "tokens"}, "final loss",
                          loss="squared")
    seen = []
    with_bar = bootstrap(result, 30, seed=3, progress=lambda done, total: seen.append((done, total)))
    plain = bootstrap(result, 30, seed=3)
    assert seen[-1] == (30, 30) and len(seen) > 1
    for k in plain.samples:
        np.testing.assert_allclose(with_bar.samples[k], plain.samples[k], rtol=1e-12)
