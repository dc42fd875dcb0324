"""Reported-vs-reproduced tables: how "matches the paper" is decided, row by row.

A row compares a reproduced value with a published one under a stated tolerance, and gives a verdict:
`reproduced`, `differs (known: <citation>)`, `differs (unexplained)`, or `not checkable (<why>)`.
Independently, every checkable row declares the range its reproduced value is expected to fall in
(`expect`); `CheckTable.show()` prints the table and then raises CheckFailed if any value left it,
so a chapter whose numbers drift fails its execution loudly instead of quietly changing a verdict.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from .errors import CheckFailed, InputError
from .published import Published


@dataclass(frozen=True)
class Tolerance:
    """How close to the published value counts as reproduced."""
    kind: str          # "rel", "abs", "printed", "interval" (published), "covered" (ours), "claim"
    amount: float = 0.0
    bounds: tuple[float, float] | None = None   # for "claim": the statistic's range in which the claim holds
    text: str | None = None                     # for "claim": the criterion in words

    def contains(self, pub: Published, value: float, interval: tuple[float, float] | None = None) -> bool:
        if self.kind == "claim":
            return self.bounds[0] <= value <= self.bounds[1]
        if pub.value is None:
            raise InputError(f"{pub.id} is a claim without a value; check it with CheckTable.add_claim")
        if self.kind == "covered":
            if interval is None:
                raise InputError(f"tolerance 'covered' needs the reproduced interval; none given for {pub.id}")
            return interval[0] <= pub.value <= interval[1]
        if self.kind == "interval":
            if pub.interval is None:
                raise InputError(f"tolerance 'interval' needs a published interval; {pub.id} has none")
            lo, hi = pub.interval
            return lo <= value <= hi
        width = {"rel": self.amount * abs(pub.value), "abs": self.amount,
                 "printed": 0.5 * 10.0 ** (-self.amount)}[self.kind]
        return abs(value - pub.value) <= width * (1 + 1e-12)

    def describe(self, pub: Published | None) -> str:
        if self.kind == "claim":
            return self.text
        if self.kind == "rel":
            return f"±{self.amount:.0%}" if self.amount >= 0.01 else f"±{self.amount:g} rel."
        if self.kind == "abs":
            return f"±{self.amount:g}"
        if self.kind == "printed":
            return f"rounds to {pub.value:.{int(self.amount)}f}" if pub else "as printed"
        if self.kind == "covered":
            return "published in our interval"
        return f"in published {pub.interval_kind or 'interval'}" if pub else "in interval"


def rel(amount: float) -> Tolerance:
    return Tolerance("rel", amount)


def abs_(amount: float) -> Tolerance:
    return Tolerance("abs", amount)


def printed(decimals: int) -> Tolerance:
    """Reproduced if it rounds to the printed value (half a unit in the last printed decimal)."""
    return Tolerance("printed", decimals)


def within_published_interval() -> Tolerance:
    """Reproduced if our value lies inside the interval the paper publishes."""
    return Tolerance("interval")


def published_in_our_interval() -> Tolerance:
    """Reproduced if the published value lies inside our interval (e.g. 95% bootstrap)."""
    return Tolerance("covered")


def fmt_published(value: float) -> str:
    """A published value as the paper prints it: its own digits, no padding."""
    return f"{value:.6g}"


def fmt(value: float | None, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if value == 0:
        return "0"
    mag = math.floor(math.log10(abs(value)))
    if -3 <= mag < 6:
        decimals = max(digits - 1 - mag, 0)
        return f"{value:.{decimals}f}"
    return f"{value:.{digits - 1}e}"


@dataclass
class Row:
    quantity: str
    published: Published | None
    reproduced: float | None
    tolerance: Tolerance | None = None
    expect: tuple[float, float] | None = None
    interval: tuple[float, float] | None = None
    known: str | None = None
    not_checkable: str | None = None
    digits: int = 4

    @property
    def verdict(self) -> str:
        if self.not_checkable:
            return f"not checkable ({self.not_checkable})"
        if self.tolerance.contains(self.published, self.reproduced, self.interval):
            return "reproduced"
        return f"differs (known: {self.known})" if self.known else "differs (unexplained)"

    @property
    def status(self) -> str:
        return self.verdict.split(" (")[0]

    @property
    def in_expectation(self) -> bool:
        if self.not_checkable:
            return True
        lo, hi = self.expect
        return lo <= self.reproduced <= hi


@dataclass
class CheckTable:
    chapter: str
    rows: list[Row] = field(default_factory=list)

    def add(self, quantity: str, published: Published | None, reproduced: float | None = None, *,
            tolerance: Tolerance | None = None, expect: tuple[float, float] | None = None,
            interval: tuple[float, float] | None = None, known: str | None = None,
            not_checkable: str | None = None, digits: int = 4) -> Row:
        if not_checkable is None:
            if published is None or reproduced is None or tolerance is None or expect is None:
                raise InputError(f"check row {quantity!r}: a checkable row needs published, reproduced, "
                                 f"tolerance and expect (the declared range of the reproduced value)")
            if not math.isfinite(float(reproduced)):
                raise InputError(f"check row {quantity!r}: reproduced value is {reproduced}")
            if expect[0] > expect[1]:
                raise InputError(f"check row {quantity!r}: expect range {expect} is empty")
            reproduced = float(reproduced)
        row = Row(quantity, published, reproduced, tolerance, expect, interval, known, not_checkable, digits)
        self.rows.append(row)
        return row

    def add_claim(self, quantity: str, published: Published, statistic: float, *, holds: tuple[float, float],
                  criterion: str, expect: tuple[float, float], known: str | None = None, digits: int = 4) -> Row:
        """A qualitative claim of the paper, checked through a computed statistic: the claim counts as
        reproduced when the statistic lies in `holds`, the criterion the chapter states in `criterion`."""
        if published.claim is None:
            raise InputError(f"check row {quantity!r}: {published.id} is not a claim in data/published.yaml")
        return self.add(quantity, published, statistic, tolerance=Tolerance("claim", bounds=tuple(holds), text=criterion),
                        expect=expect, known=known, digits=digits)

    def frame(self):
        import pandas as pd
        records = []
        for r in self.rows:
            pub = r.published
            repro = fmt(r.reproduced, r.digits)
            if r.interval is not None:
                repro += f" [{fmt(r.interval[0], r.digits)}, {fmt(r.interval[1], r.digits)}]"
            pub_text = "-" if pub is None else ("claim" if pub.value is None else fmt_published(pub.value))
            if pub is not None and pub.interval is not None:
                pub_text += f" ({fmt_published(pub.interval[0])}, {fmt_published(pub.interval[1])})"
            # The verdict comes second so that it is visible without scrolling in the book's narrow output column;
            # the (long) location comes last.
            records.append({
                "quantity": r.quantity, "verdict": r.verdict, "published": pub_text,
                "reproduced [interval]": repro,
                "tolerance": "-" if r.not_checkable else r.tolerance.describe(pub),
                "where": "-" if pub is None else pub.where,
            })
        return pd.DataFrame.from_records(records)

    def render(self) -> str:
        frame = self.frame()
        widths = {c: max(len(c), *(len(str(v)) for v in frame[c])) for c in frame.columns}
        lines = ["  ".join(c.ljust(widths[c]) for c in frame.columns).rstrip(),
                 "  ".join("-" * widths[c] for c in frame.columns)]
        for _, rec in frame.iterrows():
            lines.append("  ".join(str(rec[c]).ljust(widths[c]) for c in frame.columns).rstrip())
        counts = self.counts()
        lines.append("")
        lines.append(f"{len(self.rows)} checks: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        return "\n".join(lines)

    def counts(self) -> dict:
        out = {"reproduced": 0, "differs": 0, "not checkable": 0}
        for r in self.rows:
            out[r.status] += 1
        return out

    def failures(self) -> list[Row]:
        return [r for r in self.rows if not r.in_expectation]

    def show(self) -> None:
        """Print the table; raise CheckFailed if any reproduced value left its declared range."""
        print(self.render())
        bad = self.failures()
        if bad:
            listed = "; ".join(f"{r.quantity}: {fmt(r.reproduced, 6)} not in {r.expect}" for r in bad)
            raise CheckFailed(f"{self.chapter}: {len(bad)} reproduced value(s) left their declared range: {listed}")

    def to_records(self) -> list[dict]:
        return [{
            "chapter": self.chapter, "quantity": r.quantity,
            "published_id": r.published.id if r.published else None,
            "published": r.published.value if r.published else None,
            "claim": r.published.claim if r.published else None,
            "paper": r.published.paper if r.published else None,
            "location": r.published.where if r.published else None,
            "reproduced": r.reproduced, "interval": list(r.interval) if r.interval else None,
            "expect": list(r.expect) if r.expect else None, "verdict": r.verdict, "status": r.status,
        } for r in self.rows]
