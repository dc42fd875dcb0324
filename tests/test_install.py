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
    assert installed == ["scalinglib"], f"the distribution must hold scalinglib alone, found {installed}"
    out = subprocess.run([sys.executable, "-c", PROBE, str(site)], capture_output=True, text=True, cwd=elsewhere,
                         env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].endswith("0.34 0.28"), lines
    assert lines[1] == "registry needs a root: True"


def test_scalinglib_names_nothing_of_the_book():
    """No path into the repository, no chapter, table of contents, results file or book package."""
    pattern = re.compile(r"reprobook|_toc\.yml|chapters/|results/|parents\[|SCALINGLIB_DATA|myst_nb|matplotlib")
    offenders = [f"{p.relative_to(ROOT)}:{i}: {line.strip()}" for p in sorted((ROOT / "scalinglib").rglob("*.py"))
                 for i, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert not offenders, "\n".join(offenders)
