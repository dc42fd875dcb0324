"""Published constants as printed in the papers, and the rule that says whether a fit reproduces them.

The constants are the book's data/published.yaml, shipped inside the package as scalinglib/published.yaml (in the
repository a link to that file, copied into the wheel), so an installed scalinglib compares a reader's fit with
the papers without the repository. Each value carries its paper (bibtex key), its location in the paper and an
`uncertain` mark where the book's source could not confirm it.

A *published set* is one paper's constants for one law (e.g. Hoffmann et al.'s Eq. 10 for `chinchilla`), each
with the digits as printed. The comparison is the book's: a value is reproduced when it rounds to the printed
value (half a unit in its last printed digit), or lies within the relative tolerance a set states where the book's
chapter checks it so (and says why); not determined when the fit's interval cannot pin it (wider than one decade, or
holding 0 while the paper's value is not 0); otherwise it differs.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import DataIntegrityError, InputError, UnknownNameError

PACKAGED = Path(__file__).with_name("published.yaml")


@dataclass(frozen=True)
class Published:
    id: str
    value: float | None                 # None for a qualitative claim (see `claim`)
    paper: str                          # bibtex key in the book's references.bib
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
def load_published(path: Path = PACKAGED) -> dict[str, Published]:
    """Every entry of a published-constants file (default: the one shipped with scalinglib), by id."""
    path = Path(path)
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


def published(quantity_id: str, path: Path = PACKAGED) -> Published:
    if not isinstance(quantity_id, str):
        raise UnknownNameError(f"published quantity ids are strings such as 'hoffmann2022/eq10/A', got {quantity_id!r}")
    table = load_published(path)
    if quantity_id not in table:
        close = [k for k in table if k.split("/")[0] == quantity_id.split("/")[0]]
        raise UnknownNameError(f"unknown published quantity {quantity_id!r} in {Path(path).parent.name}/{Path(path).name}; "
                               f"ids from the same paper: {close or sorted(table)[:10]}")
    return table[quantity_id]


# --- the rule -------------------------------------------------------------------------------------------------
def half_unit(printed: str) -> float:
    """Half a unit in the last digit of a number as printed: '0.34' -> 0.005, '6.4e13' -> 5e11, '410.7' -> 0.05."""
    try:
        exponent = Decimal(printed.strip()).as_tuple().exponent
    except (InvalidOperation, AttributeError):
        raise InputError(f"{printed!r} is not a printed number") from None
    return 0.5 * 10.0 ** int(exponent)


def within(value: float, target: float, width: float) -> bool:
    """|value - target| <= width, with a rounding slack of 1e-12 (width: half_unit() of the printed value for "rounds
    to the printed digits", or a stated tolerance)."""
    return abs(value - target) <= width * (1 + 1e-12)


def undetermined(interval: tuple[float, float] | None, published_value: float | None,
                 max_decades: float = 1.0) -> str | None:
    """Why an interval leaves a value not determined by the data, or None: a positive interval spanning more than
    `max_decades` decades, or one that holds 0 while the paper's value is not 0."""
    if interval is None:
        return None
    lo, hi = interval
    if lo > 0:
        decades = math.log10(hi / lo)
        if decades > max_decades:
            return f"interval spans {decades:.1f} decades, over {max_decades:g}"
    elif hi >= 0 and published_value not in (None, 0.0):
        return "interval holds 0"
    return None


# --- published sets: one paper's constants for one law --------------------------------------------------------
@dataclass(frozen=True)
class PublishedSet:
    name: str
    law: str
    title: str
    constants: dict          # natural parameter of the law -> (published id, the value as printed)
    rel: float | None = None  # a relative tolerance instead of the printed digits, where the book checks so
    rule: str = "rounds to the printed digits"   # the rule in words, and why where it is not the printed digits

    def entries(self, path: Path = PACKAGED) -> dict[str, tuple[Published, str]]:
        return {param: (published(qid, path), text) for param, (qid, text) in self.constants.items()}


PUBLISHED_SETS = {s.name: s for s in (
    PublishedSet("hoffmann2022/eq10", "chinchilla", "Hoffmann et al. (2022), Approach 3, Eq. 10",
                 {"E": ("hoffmann2022/eq10/E", "1.69"), "A": ("hoffmann2022/eq10/A", "406.4"),
                  "B": ("hoffmann2022/eq10/B", "410.7"), "alpha": ("hoffmann2022/eq10/alpha", "0.34"),
                  "beta": ("hoffmann2022/eq10/beta", "0.28")}),
    PublishedSet("besiroglu2024/main", "chinchilla", "Besiroglu et al. (2024), refit of Hoffmann et al.'s points",
                 {"E": ("besiroglu2024/main/E", "1.8169"), "A": ("besiroglu2024/main/A", "482.01"),
                  "B": ("besiroglu2024/main/B", "2085.43"), "alpha": ("besiroglu2024/main/alpha", "0.3478"),
                  "beta": ("besiroglu2024/main/beta", "0.3659")}),
    PublishedSet("besiroglu2024/replicate", "chinchilla",
                 "Besiroglu et al. (2024), Hoffmann et al.'s procedure replicated exactly",
                 {"E": ("besiroglu2024/replicate/E", "1.8172"), "A": ("besiroglu2024/replicate/A", "477.84"),
                  "B": ("besiroglu2024/replicate/B", "2143.86"), "alpha": ("besiroglu2024/replicate/alpha", "0.34731"),
                  "beta": ("besiroglu2024/replicate/beta", "0.36718")}, rel=0.002,
                 rule="is within 0.2% (relative) of it, the Chinchilla chapter's tolerance: scipy's L-BFGS-B, which produced "
                      "these numbers, stops before the fourth digit of B settles"),
    PublishedSet("kaplan2020/table2", "kaplan_nd", "Kaplan et al. (2020), Table 2, the fit of L(N, D), Eq. 1.5",
                 {"alpha_N": ("kaplan2020/table2/alpha_N", "0.076"), "alpha_D": ("kaplan2020/table2/alpha_D", "0.103"),
                  "N_c": ("kaplan2020/table2/N_c", "6.4e13"), "D_c": ("kaplan2020/table2/D_c", "1.8e13")}),
)}


def published_set(name: str) -> PublishedSet:
    if name not in PUBLISHED_SETS:
        raise UnknownNameError(f"unknown published set {name!r}; known: {sorted(PUBLISHED_SETS)}")
    return PUBLISHED_SETS[name]


def sets_for_law(law: str) -> list[PublishedSet]:
    return [s for s in PUBLISHED_SETS.values() if s.law == law]


def compare(set_name: str, values: dict, intervals: dict | None = None, path: Path = PACKAGED) -> list[dict]:
    """One row per constant of the set: the fitted value, the published one, where it is printed, and the verdict
    under the book's rule (see the module docstring). `values` and `intervals` are the fit's natural parameters and
    their intervals (e.g. 95% bootstrap), by name."""
    pset = published_set(set_name)
    missing = [p for p in pset.constants if p not in values]
    if missing:
        raise InputError(f"published set {set_name!r} (law {pset.law!r}) has constants {list(pset.constants)}; the "
                         f"fit lacks {missing}. Is it a fit of law {pset.law!r}?")
    rows = []
    for param, (pub, text) in pset.entries(path).items():
        value = float(values[param])
        interval = (intervals or {}).get(param)
        interval = None if interval is None else (float(interval[0]), float(interval[1]))
        why = undetermined(interval, pub.value)
        if why:
            verdict = f"not determined ({why})"
        elif within(value, pub.value, half_unit(text) if pset.rel is None else pset.rel * abs(pub.value)):
            verdict = "reproduced"
        else:
            verdict = "differs"
        covered = None if interval is None else interval[0] <= pub.value <= interval[1]
        rows.append({"parameter": param, "fitted": value, "interval": interval, "published": text,
                     "published_id": pub.id, "location": pub.where, "published_in_interval": covered,
                     "rule": pset.rule, "verdict": verdict})
    return rows


__all__ = ["Published", "PublishedSet", "PUBLISHED_SETS", "load_published", "published", "published_set",
           "sets_for_law", "compare", "half_unit", "within", "undetermined"]
