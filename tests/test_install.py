"""scalinglib is a library of its own: it installs from the repository, imports and fits a DataFrame with none of the
book's machinery or toolchain present, from a folder outside the repository, and names nothing of the book."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in the installed copy, with the book's package and toolchain made unimportable.
PROBE = r"""
import sys
BLOCKED = ("reprobook", "matplotlib", "myst_nb", "IPython", "papermill", "jupyter_book", "nbformat", "nbval")
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked: scalinglib must not need it")
sys.meta_path.insert(0, Block())
import numpy as np, pandas as pd
import scalinglib as sl
from scalinglib.data import Registry
assert sys.argv[1] in sl.__file__, sl.__file__
# Illustrative points from a known law (not data): the fit must recover its exponents.
n = np.logspace(8, 10, 12); d = np.logspace(9.5, 11, 12)[::-1]
frame = pd.DataFrame({"params": n, "tokens": d, "loss": 1.7 + 400 / n ** 0.34 + 410 / d ** 0.28})
result = sl.fit("chinchilla", {"N": "params", "D": "tokens"}, "loss", data=frame, loss="squared")
print(sorted(sl.known_laws())[:3], round(result.natural["alpha"], 2), round(result.natural["beta"], 2))
try:
    Registry(None)
except sl.InputError as exc:
    print("registry needs a root:", "root" in str(exc))
"""


CLI_PROBE = PROBE.split("import numpy as np")[0] + """
from scalinglib.cli import main
sys.exit(main(sys.argv[1:]))
"""

# Illustrative runs from Eq. 10's constants (not data), typed as a reader would: 9 runs, loss to 4 decimals.
HAND_WRITTEN_RUNS = """params,tokens,loss
1e8,2e9,3.4859
1e8,1e10,3.1153
1e8,5e10,2.8792
1e9,2e9,3.0655
1e9,1e10,2.6949
1e9,5e10,2.4587
1e10,2e9,2.8733
1e10,1e10,2.5027
1e10,5e10,2.2666
"""


def test_scalinglib_installs_and_fits_without_the_book(tmp_path):
    wheels, site, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    # Build from a copy of what the distribution is made of, so the build leaves nothing in the checkout.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "scalinglib", source / "scalinglib", ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run(pip + ["wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(source)],
                   check=True, capture_output=True, cwd=elsewhere)
    wheel = next(wheels.glob("scalinglib-*.whl"))
    subprocess.run(pip + ["install", "--no-deps", "--target", str(site), str(wheel)], check=True, capture_output=True)
    installed = sorted(p.name for p in site.iterdir() if not p.name.endswith(".dist-info"))
    # the package alone, and the `scalinglib` command (bin/)
    assert installed == ["bin", "scalinglib"], f"the distribution must hold scalinglib alone, found {installed}"
    assert sorted(p.name for p in (site / "bin").iterdir()) == ["scalinglib"]
    assert (site / "scalinglib" / "published.yaml").is_file() and not (site / "scalinglib" / "published.yaml").is_symlink()
    out = subprocess.run([sys.executable, "-c", PROBE, str(site)], capture_output=True, text=True, cwd=elsewhere,
                         env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].endswith("0.34 0.28"), lines
    assert lines[1] == "registry needs a root: True"

    # The command line of the installed copy, outside the repository, on a file written by hand: it fits, prints
    # bootstrap intervals and compares with the published constants shipped inside the wheel, without matplotlib.
    (elsewhere / "runs.csv").write_text(HAND_WRITTEN_RUNS)
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    cli = subprocess.run([sys.executable, "-c", CLI_PROBE, "fit", "chinchilla", "runs.csv", "--x", "N=params",
                          "--x", "D=tokens", "--y", "loss", "--loss", "squared", "--bootstrap", "20",
                          "--compare", "hoffmann2022/eq10"], capture_output=True, text=True, cwd=elsewhere, env=env)
    assert cli.returncode == 0, cli.stderr
    assert "95% lower" in cli.stdout and "compared with Hoffmann et al. (2022)" in cli.stdout, cli.stdout
    alpha_row = [line for line in cli.stdout.splitlines() if line.startswith("alpha ")][-1]   # the comparison
    assert "reproduced" in alpha_row, cli.stdout      # 0.34 comes back from 9 runs with 4-decimal losses
    no_figure = subprocess.run([sys.executable, "-c", CLI_PROBE, "fit", "chinchilla", "runs.csv", "--x", "N=params",
                                "--x", "D=tokens", "--y", "loss", "--figure", "fit.png"], capture_output=True,
                               text=True, cwd=elsewhere, env=env)
    assert no_figure.returncode == 2 and "--figure needs matplotlib" in no_figure.stderr, no_figure.stderr
    assert no_figure.stdout == ""                      # refused before fitting
    script = site / "bin" / "scalinglib"
    helped = subprocess.run([sys.executable, str(script), "fit", "--help"], capture_output=True, text=True,
                            cwd=elsewhere, env=env)
    assert helped.returncode == 0 and helped.stdout.startswith("usage: scalinglib fit"), helped.stderr


def test_scalinglib_names_nothing_of_the_book():
    """No path into the repository, no chapter, table of contents, results file or book package."""
    pattern = re.compile(r"reprobook|_toc\.yml|chapters/|results/|parents\[|SCALINGLIB_DATA|myst_nb|matplotlib")
    def allowed(path, line):      # `scalinglib fit --figure` imports matplotlib when asked (the extra 'figures')
        return path.name == "cli.py" and not pattern.search(line.replace("matplotlib", ""))
    offenders = [f"{p.relative_to(ROOT)}:{i}: {line.strip()}" for p in sorted((ROOT / "scalinglib").rglob("*.py"))
                 for i, line in enumerate(p.read_text().splitlines(), 1)
                 if pattern.search(line) and not allowed(p, line)]
    assert not offenders, "\n".join(offenders)
