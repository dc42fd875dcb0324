"""Published constants as printed in the papers, read from data/published.yaml.

Each value carries its paper (bibtex key), its location in the paper, and an `uncertain` mark where
our source could not confirm it; chapters must show that mark wherever the value is shown.
"""
from __future__ import annotations

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


@lru_cache(maxsize=None)
def _table(path: Path) -> dict:
    doc = yaml.safe_load(path.read_text()) or {}
    out = {}
    for item in doc.get("quantities", []):
        missing = [k for k in ("id", "paper", "location") if k not in item]
        if item.get("value") is None and not item.get("claim"):
            missing.append("value (or claim)")
        if missing:
            raise DataIntegrityError(f"{path}: entry {item.get('id', item)!r} lacks {missing}")
        if item["id"] in out:
            raise DataIntegrityError(f"{path}: id {item['id']!r} appears twice")
        interval = tuple(item["interval"]) if item.get("interval") is not None else None
        value = float(item["value"]) if item.get("value") is not None else None
        out[item["id"]] = Published(item["id"], value, item["paper"], item["location"],
                                    interval, item.get("interval_kind"), item.get("note"),
                                    bool(item.get("uncertain", False)), item.get("claim"))
    return out


def all_published(root: Path | None = None) -> dict:
    return _table((Path(root) if root else DATA) / "published.yaml")


def published(quantity_id: str, root: Path | None = None) -> Published:
    table = all_published(root)
    if quantity_id not in table:
        close = [k for k in table if k.split("/")[0] == quantity_id.split("/")[0]]
        raise UnknownNameError(f"unknown published quantity {quantity_id!r} in data/published.yaml; "
                               f"ids from the same paper: {close or sorted(table)[:10]}")
    return table[quantity_id]
