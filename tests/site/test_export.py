"""The fit export shipped with the built book: complete, traceable and consistent with the results files."""
import csv
import json
import subprocess

import scalinglib
from reprobook.data import entry
from reprobook.results import load_all

REQUIRED = ("id", "chapter", "paper", "law", "parameters", "intervals", "interval_method", "dataset", "dataset_sha256",
            "rows", "n_points", "objective", "method", "scalinglib_version", "git_commit")


def test_fits_json_holds_every_reproduced_fit_with_its_provenance(html_dir):
    export = json.loads((html_dir / "fits.json").read_text())
    expected = {f["id"]: f for r in load_all() for f in r["fits"]}
    got = {f["id"]: f for f in export["fits"]}
    assert set(got) == set(expected) and export["n_fits"] == len(expected) > 0
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=html_dir, capture_output=True, text=True).stdout.strip()
    for fid, f in got.items():
        missing = [k for k in REQUIRED if f.get(k) in (None, "")]
        assert not missing, f"{fid}: empty fields {missing}"
        assert f["dataset_sha256"] == entry(f["dataset"])["sha256"], f"{fid}: dataset sha256 is not the manifest's"
        assert f["scalinglib_version"] == scalinglib.__version__
        assert f["git_commit"] == head
        assert f["parameters"] == expected[fid]["parameters"]
        for name, (lo, hi) in f["intervals"].items():
            assert lo <= hi, f"{fid}: interval of {name} is reversed"


def test_fits_csv_has_one_row_per_parameter(html_dir):
    export = json.loads((html_dir / "fits.json").read_text())
    with open(html_dir / "fits.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == sum(len(f["parameters"]) for f in export["fits"])
    by_key = {(r["id"], r["parameter"]): r for r in rows}
    for f in export["fits"]:
        for name, value in f["parameters"].items():
            row = by_key[(f["id"], name)]
            assert float(row["value"]) == value
            if name in f["intervals"]:
                assert [float(row["lower_95"]), float(row["upper_95"])] == f["intervals"][name]
            assert row["dataset_sha256"] == f["dataset_sha256"] and row["git_commit"] == f["git_commit"]


def test_book_wide_pages_are_built_and_link_the_export(html_dir):
    for page in ("methods", "scorecard", "citing"):
        assert (html_dir / "chapters" / f"{page}.html").exists(), f"{page} page not built"
    citing = (html_dir / "chapters" / "citing.html").read_text()
    assert 'href="../fits.json"' in citing and 'href="../fits.csv"' in citing
