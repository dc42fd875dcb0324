"""Published constants as printed in the papers, read from data/published.yaml.

Each value carries its paper (bibtex key), its location in the paper, and an `uncertain` mark where
our source could not confirm it; chapters must show that mark wherever the value is shown.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from scalinglib.errors import DataIntegrityError, UnknownNameError

from .paths import DATA


@dataclass(frozen=True)
class Published:
    id: str
    value: float | None                 # None for a qualitative claim (see `claim`)
    paper: str                          # bibtex key in references.bib
    location: str                       # e.g. "Eq. 10, App. D.2"
    interval: tuple[float, float] | None = None
    interval_kind: str | None = None    # what the interval is, as the paper says
    note: str | None = None
    uncertain: bool = False
    claim: str | None = None            # the paper's statement, for claims checked by a stated criterion

    @property
    def where(self) -> str:
        mark = " (uncertain)" if self.uncertain else ""
        return f"{self.location}{mark}"


def _number(path: Path, qid: str, field: str, value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DataIntegrityError(f"{path}: entry {qid!r}: {field} {value!r} is not a number") from None
    if isinstance(value, bool) or not math.isfinite(number):
        raise DataIntegrityError(f"{path}: entry {qid!r}: {field} {value!r} is not finite")
    return number


def _entry(path: Path, item) -> Published:
    if not isinstance(item, dict):
        raise DataIntegrityError(f"{path}: every quantity must be a mapping of fields, got {item!r}")
    qid = item.get("id", item)
    missing = [k for k in ("id", "paper", "location") if not item.get(k)]
    if item.get("value") is None and not item.get("claim"):
        missing.append("value (or claim)")
    if missing:
        raise DataIntegrityError(f"{path}: entry {qid!r} lacks {missing}")
    value = _number(path, qid, "value", item["value"]) if item.get("value") is not None else None
    interval = None
    if item.get("interval") is not None:
        raw = item["interval"]
        if not isinstance(raw, (list, tuple)) or len(raw) != 2:
            raise DataIntegrityError(f"{path}: entry {qid!r}: interval must be [lower, upper], got {raw!r}")
        interval = (_number(path, qid, "interval", raw[0]), _number(path, qid, "interval", raw[1]))
        if interval[0] > interval[1]:
            raise DataIntegrityError(f"{path}: entry {qid!r}: interval {list(raw)} is inverted (lower > upper)")
        if not item.get("interval_kind"):
            raise DataIntegrityError(f"{path}: entry {qid!r}: an interval must say what kind it is (interval_kind)")
    uncertain = item.get("uncertain", False)
    if not isinstance(uncertain, bool):
        raise DataIntegrityError(f"{path}: entry {qid!r}: 'uncertain' must be true or false, got {uncertain!r}")
    return Published(item["id"], value, item["paper"], item["location"], interval, item.get("interval_kind"),
                     item.get("note"), uncertain, item.get("claim"))


@lru_cache(maxsize=None)
def _table(path: Path) -> dict:
    try:
        doc = yaml.safe_load(path.read_text()) or {}
    except FileNotFoundError:
        raise DataIntegrityError(f"{path}: the published constants file is missing") from None
    except yaml.YAMLError as exc:
        raise DataIntegrityError(f"{path}: not valid YAML ({exc}); fix the file") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("quantities", []), list):
        raise DataIntegrityError(f"{path}: needs a list 'quantities:' of entries")
    out = {}
    for item in doc.get("quantities", []):
        entry = _entry(path, item)
        if entry.id in out:
            raise DataIntegrityError(f"{path}: id {entry.id!r} appears twice")
        out[entry.id] = entry
    return out


def all_published(root: Path | None = None) -> dict:
    return _table((Path(root) if root else DATA) / "published.yaml")


def published(quantity_id: str, root: Path | None = None) -> Published:
    if not isinstance(quantity_id, str):
        raise UnknownNameError(f"published quantity ids are strings such as 'hoffmann2022/eq10/a', got {quantity_id!r}")
    table = all_published(root)
    if quantity_id not in table:
        close = [k for k in table if k.split("/")[0] == quantity_id.split("/")[0]]
        raise UnknownNameError(f"unknown published quantity {quantity_id!r} in data/published.yaml; "
                               f"ids from the same paper: {close or sorted(table)[:10]}")
    return table[quantity_id]
