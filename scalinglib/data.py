"""A dataset registry: a manifest (manifest.yaml in a folder you name) lists every data file with its
provenance, schema, row count and sha256.

`Registry(root).load(name)` refuses a file whose checksum, columns, row count or values do not match its
entry, and every error names the file (and the column and row where there is one). Nothing here assumes a
repository: the book passes its own data/ folder, a reader passes theirs.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .errors import DataIntegrityError, InputError, UnknownNameError

REQUIRED_FIELDS = ("file", "title", "paper", "source", "licence", "extraction", "rows", "sha256", "columns")
DTYPES = {"int": "integer", "float": "floating", "str": "string", "bool": "boolean"}
MANIFEST = "manifest.yaml"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


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


class Registry:
    """The datasets listed in `root`/manifest.yaml (paths in the manifest are relative to `root`)."""

    def __init__(self, root):
        if root is None or not str(root):
            raise InputError("argument 'root' must name the folder that holds manifest.yaml and the data files")
        self.root = Path(root)
        self.path = self.root / MANIFEST

    def __repr__(self) -> str:
        return f"Registry({str(self.root)!r})"

    def manifest(self) -> dict:
        if not self.path.exists():
            raise DataIntegrityError(f"{self.path}: the dataset manifest is missing")
        try:
            doc = yaml.safe_load(self.path.read_text()) or {}
        except yaml.YAMLError as exc:
            raise DataIntegrityError(f"{self.path}: not valid YAML ({exc}); fix the file") from None
        datasets = doc.get("datasets") if isinstance(doc, dict) else None
        if not isinstance(datasets, dict):
            raise DataIntegrityError(f"{self.path}: needs a mapping 'datasets:' of name -> entry")
        for name, spec in datasets.items():
            if not isinstance(spec, dict):
                raise DataIntegrityError(f"{self.path}: dataset {name!r} is not a mapping of fields")
            missing = [k for k in REQUIRED_FIELDS if k not in spec]
            if missing:
                raise DataIntegrityError(f"{self.path}: dataset {name!r} lacks the provenance fields {missing}")
        return datasets

    def entry(self, name: str) -> dict:
        datasets = self.manifest()
        if name not in datasets:
            raise UnknownNameError(f"unknown dataset {name!r}; {self.path} lists {sorted(datasets)}")
        return datasets[name]

    def load(self, name: str) -> pd.DataFrame:
        """The dataset as a DataFrame, validated against the manifest; provenance in `frame.attrs`."""
        spec = self.entry(name)
        path = self.root / spec["file"]
        if not path.exists():
            raise DataIntegrityError(f"{path}: data file of dataset {name!r} is missing")
        actual = sha256_of(path)
        if actual != spec["sha256"]:
            raise DataIntegrityError(
                f"{path}: sha256 is {actual}, but {self.path} records {spec['sha256']} for dataset "
                f"{name!r}. The file was edited or corrupted; rebuild it with scripts/build_data.py "
                f"(which also writes the manifest's sha256 and rows; commit both only if the change is intended "
                f"and documented).")
        try:
            frame = pd.read_csv(path)
        except (pd.errors.EmptyDataError, pd.errors.ParserError) as exc:
            raise DataIntegrityError(f"{path}: not a readable CSV ({exc})") from None
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

    def verify_all(self) -> list[str]:
        """Load every dataset in the manifest; returns the names (raises on the first bad one). Raises too for a
        data file under `root` that no entry lists, since nothing would check it."""
        datasets = self.manifest()
        listed = {(self.root / spec["file"]).resolve() for spec in datasets.values()}
        unlisted = sorted(str(p.relative_to(self.root)) for p in self.root.rglob("*.csv") if p.resolve() not in listed)
        if unlisted:
            raise DataIntegrityError(f"{self.path}: data files {unlisted} are in {self.root} but no dataset entry "
                                     f"lists them; add their entries (scripts/build_data.py) or remove the files")
        names = sorted(datasets)
        for name in names:
            self.load(name)
        return names
