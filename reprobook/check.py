"""Reported-vs-reproduced tables: how "matches the paper" is decided, row by row.

A row compares a reproduced value with a published one under a stated tolerance and gets a `Verdict`,
a value with a kind and a reason (never a string parsed back):

* reproduced;
* differs (known: <cause>), differs (unexplained);
* not determined: the row's own interval says the data cannot pin the value (the rule is `Determinacy`:
  by default a positive interval wider than one decade, or one that holds 0 while the paper's value is not 0);
* not checkable (<why>).

Independently, every checkable row declares the range its reproduced value is expected to fall in
(`expect`); `CheckTable.show()` prints the table and then raises CheckFailed if any value left it,
so a chapter whose numbers drift fails its execution loudly instead of quietly changing a verdict.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from scalinglib.errors import InputError
from scalinglib.published import undetermined, within

from .errors import CheckFailed
from .published import Published

# The kinds of verdict, and the status each counts under in a chapter's and the book's totals.
KINDS = {"reproduced": "reproduced", "differs-known": "differs", "differs-unexplained": "differs",
         "not-determined": "not determined", "not-checkable": "not checkable"}
STATUSES = ("reproduced", "differs", "not determined", "not checkable")


@dataclass(frozen=True)
class Verdict:
    kind: str               # a key of KINDS
    reason: str = ""        # the known cause, the rule that left the value undetermined, or why not checkable

    def __post_init__(self):
        if self.kind not in KINDS:
            raise InputError(f"verdict kind {self.kind!r} is not one of {list(KINDS)}")
        if self.kind in ("differs-known", "not-determined", "not-checkable") and not self.reason:
            raise InputError(f"a '{self.kind}' verdict needs its reason")

    @property
    def status(self) -> str:
        return KINDS[self.kind]

    @property
    def text(self) -> str:
        if self.kind == "reproduced":
            return "reproduced"
        if self.kind == "differs-known":
            return f"differs (known: {self.reason})"
        if self.kind == "differs-unexplained":
            return "differs (unexplained)"
        return f"{self.status} ({self.reason})"

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Determinacy:
    """When a row's reproduced interval is too wide to call the value determined by the data."""
    max_decades: float = 1.0

    def problem(self, pub: Published | None, interval: tuple[float, float] | None) -> str | None:
        # the library's rule, so `scalinglib compare` and the book call a value undetermined alike
        return undetermined(interval, None if pub is None else pub.value, self.max_decades)


DEFAULT_DETERMINACY = Determinacy()


@dataclass(frozen=True, kw_only=True)      # keywords only: a positional value would land in max_decades
class StartSpread(Determinacy):
    """For a statistic over many fits (e.g. how many of a figure's cells reproduce): not determined when every fit
    that disagrees with the paper moves by more than the paper's precision as the optimiser's start moves far
    below any tolerance. `narrowest` is the smallest such spread among the disagreeing fits (0 when none
    disagrees), `precision` what the paper prints (0.01 for a number printed to two decimals)."""
    narrowest: float = 0.0
    precision: float = 0.0
    how: str = "a small change of the start"

    def problem(self, pub: Published | None, interval: tuple[float, float] | None) -> str | None:
        if self.narrowest > self.precision:
            return (f"every differing cell moves by {self.narrowest:.2g} or more under {self.how}, "
                    f"beyond the printed precision {self.precision:g}")
        return None


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
        return within(value, pub.value, width)

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
    """A published value as the paper prints it: its own digits, no padding (6 significant digits, or up to 10
    where the printed value needs them, e.g. Table 5's A = 702974.93; longer values are shown to 6)."""
    for digits in range(6, 11):
        if float(f"{value:.{digits}g}") == value:
            return f"{value:.{digits}g}"
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
    determinacy: Determinacy = DEFAULT_DETERMINACY

    @property
    def verdict(self) -> Verdict:
        if self.not_checkable:
            return Verdict("not-checkable", self.not_checkable)
        undetermined = self.determinacy.problem(self.published, self.interval)
        if undetermined:
            return Verdict("not-determined", undetermined)
        if self.tolerance.contains(self.published, self.reproduced, self.interval):
            return Verdict("reproduced")
        return Verdict("differs-known", self.known) if self.known else Verdict("differs-unexplained")

    @property
    def status(self) -> str:
        return self.verdict.status

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
            not_checkable: str | None = None, digits: int = 4,
            determinacy: Determinacy = DEFAULT_DETERMINACY) -> Row:
        if published is not None and not isinstance(published, Published):
            raise InputError(f"check row {quantity!r}: 'published' must be a Published constant (reprobook.published"
                             f".published(id)), got {type(published).__name__}")
        if tolerance is not None and not isinstance(tolerance, Tolerance):
            raise InputError(f"check row {quantity!r}: 'tolerance' must be a Tolerance (check.rel, check.abs_, "
                             f"check.printed, ...), got {tolerance!r}")
        if not_checkable is None:
            if published is None or reproduced is None or tolerance is None or expect is None:
                raise InputError(f"check row {quantity!r}: a checkable row needs published, reproduced, "
                                 f"tolerance and expect (the declared range of the reproduced value)")
            if not math.isfinite(float(reproduced)):
                raise InputError(f"check row {quantity!r}: reproduced value is {reproduced}")
            if expect[0] > expect[1]:
                raise InputError(f"check row {quantity!r}: expect range {expect} is empty")
            reproduced = float(reproduced)
            if interval is not None and not interval[0] <= interval[1]:
                raise InputError(f"check row {quantity!r}: interval {interval} is inverted (lower > upper)")
        row = Row(quantity, published, reproduced, tolerance, expect, interval, known, not_checkable, digits,
                  determinacy)
        self.rows.append(row)
        return row

    def add_claim(self, quantity: str, published: Published, statistic: float, *, holds: tuple[float, float],
                  criterion: str, expect: tuple[float, float], known: str | None = None, digits: int = 4,
                  determinacy: Determinacy = DEFAULT_DETERMINACY) -> Row:
        """A qualitative claim of the paper, checked through a computed statistic: the claim counts as
        reproduced when the statistic lies in `holds`, the criterion the chapter states in `criterion`."""
        if published.claim is None:
            raise InputError(f"check row {quantity!r}: {published.id} is not a claim in data/published.yaml")
        return self.add(quantity, published, statistic, tolerance=Tolerance("claim", bounds=tuple(holds), text=criterion),
                        expect=expect, known=known, digits=digits, determinacy=determinacy)

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
                "quantity": r.quantity, "verdict": r.verdict.text, "published": pub_text,
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
        return count_statuses(r.status for r in self.rows)

    def failures(self) -> list[Row]:
        return [r for r in self.rows if not r.in_expectation]

    def show(self) -> None:
        """Print the table (the text nbval compares), display it as an HTML table for the reader (in a notebook),
        and raise CheckFailed if any reproduced value left its declared range."""
        print(self.render())
        try:
            from IPython.display import HTML, display
        except ImportError:
            pass
        else:
            from .render import check_table_html
            display(HTML(check_table_html(self)))
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
            "expect": list(r.expect) if r.expect else None, "verdict": r.verdict.text, "status": r.status,
            "verdict_kind": r.verdict.kind, "reason": r.verdict.reason,
        } for r in self.rows]


def count_statuses(statuses) -> dict:
    """How many rows have each status, every status listed (0 where none)."""
    out = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        if status not in out:
            raise InputError(f"unknown check status {status!r}; statuses are {list(STATUSES)}")
        out[status] += 1
    return out
