"""The dataset registry: data/manifest.yaml lists every data file with its provenance, schema and sha256.

`load(name)` refuses a file whose checksum, columns, row count or values do not match its entry,
and every error names the file (and the column and row where there is one).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .errors import DataIntegrityError, UnknownNameError

REQUIRED_FIELDS = ("file", "title", "paper", "source", "licence", "extraction", "rows", "sha256", "columns")
DTYPES = {"int": "integer", "float": "floating", "str": "string", "bool": "boolean"}


def data_dir() -> Path:
    """data/ of this checkout, or $SCALINGLIB_DATA."""
    env = os.environ.get("SCALINGLIB_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "data"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def manifest(root: Path | None = None) -> dict:
    root = Path(root) if root else data_dir()
    path = root / "manifest.yaml"
    if not path.exists():
        raise DataIntegrityError(f"{path}: the dataset manifest is missing")
    doc = yaml.safe_load(path.read_text()) or {}
    datasets = doc.get("datasets") or {}
    for name, entry in datasets.items():
        missing = [k for k in REQUIRED_FIELDS if k not in entry]
        if missing:
            raise DataIntegrityError(f"{path}: dataset {name!r} lacks the provenance fields {missing}")
    return datasets


def entry(name: str, root: Path | None = None) -> dict:
    datasets = manifest(root)
    if name not in datasets:
        raise UnknownNameError(f"unknown dataset {name!r}; data/manifest.yaml lists {sorted(datasets)}")
    return datasets[name]


def _check_column(path: Path, frame: pd.DataFrame, column: str, spec: dict) -> None:
    values = frame[column]
    nullable = spec.get("nullable", False)
    missing = values.isna()
    if missing.any() and not nullable:
        raise DataIntegrityError(f"{path}: column {column!r} has empty values at rows "
                                 f"{list(frame.index[missing][:5])} but the manifest says it may not")
    kind = spec.get("dtype", "float")
    present = values[~missing]
    if kind in ("int", "float"):
        numeric = pd.to_numeric(present, errors="coerce")
        bad = numeric.isna() | ~np.isfinite(numeric.astype(float))
        if bad.any():
            raise DataIntegrityError(f"{path}: column {column!r} must be numeric and finite; rows "
                                     f"{list(present.index[bad][:5])} are not")
        if kind == "int" and (numeric != np.round(numeric)).any():
            raise DataIntegrityError(f"{path}: column {column!r} must hold whole numbers")
        if spec.get("positive") and (numeric <= 0).any():
            rows = list(present.index[numeric <= 0][:5])
            raise DataIntegrityError(f"{path}: column {column!r} must be > 0; rows {rows} are not")
    elif kind == "bool":
        if not present.isin([True, False]).all():
            raise DataIntegrityError(f"{path}: column {column!r} must be true/false")
    elif kind != "str":
        raise DataIntegrityError(f"{path}: column {column!r} has unknown dtype {kind!r} in the manifest")


def load(name: str, root: Path | None = None) -> pd.DataFrame:
    """The dataset as a DataFrame, validated against the manifest; provenance in `frame.attrs`."""
    root = Path(root) if root else data_dir()
    spec = entry(name, root)
    path = root / spec["file"]
    if not path.exists():
        raise DataIntegrityError(f"{path}: data file of dataset {name!r} is missing")
    actual = sha256_of(path)
    if actual != spec["sha256"]:
        raise DataIntegrityError(
            f"{path}: sha256 is {actual}, but data/manifest.yaml records {spec['sha256']} for dataset "
            f"{name!r}. The file was edited or corrupted; rebuild it with scripts/build_data.py "
            f"(and update the manifest only if the change is intended and documented).")
    frame = pd.read_csv(path)
    expected = list(spec["columns"])
    if list(frame.columns) != expected:
        missing = [c for c in expected if c not in frame.columns]
        extra = [c for c in frame.columns if c not in expected]
        raise DataIntegrityError(f"{path}: columns differ from the manifest; missing {missing}, "
                                 f"unexpected {extra}, expected order {expected}")
    if len(frame) != spec["rows"]:
        raise DataIntegrityError(f"{path}: {len(frame)} rows, but the manifest records {spec['rows']}")
    for column, col_spec in spec["columns"].items():
        _check_column(path, frame, column, col_spec or {})
    frame.attrs["dataset"] = name
    frame.attrs["provenance"] = {k: v for k, v in spec.items() if k != "columns"}
    frame.attrs["units"] = {c: (s or {}).get("unit", "") for c, s in spec["columns"].items()}
    return frame


def verify_all(root: Path | None = None) -> list[str]:
    """Load every dataset in the manifest; returns the names (raises on the first bad one)."""
    names = sorted(manifest(root))
    for name in names:
        load(name, root)
    return names
