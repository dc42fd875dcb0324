"""The book's records as HTML made for reading. A check table: one row per check, the published value with its location under it, the
reproduced value with its interval, the criterion, and the verdict as a coloured label.

The same strings as the text table (CheckTable.render, which nbval and the tests compare) fill the cells, so what
a reader sees and what the tests check cannot drift apart. The output is deterministic: no ids, no timestamps.
The exported fits (fits_table_html): one row per fit, each parameter on its own line with its interval.
"""
from __future__ import annotations

from html import escape

VERDICT_CLASS = {"reproduced": "reproduced", "differs": "differs", "not determined": "not-determined",
                 "not checkable": "not-checkable"}


def check_row_html(text: dict, status: str) -> str:
    """One check as a table row, from its text form (the strings CheckTable.frame() and the results files hold)."""
    where = "" if text["where"] == "-" else f'<div class="check-where">{escape(text["where"])}</div>'
    return ("<tr>"
            f'<td class="check-quantity">{escape(text["quantity"])}</td>'
            f'<td class="check-published"><span class="check-value">{escape(text["published"])}</span>{where}</td>'
            f'<td class="check-reproduced">{escape(text["reproduced [interval]"])}</td>'
            f'<td class="check-criterion">{escape(text["tolerance"])}</td>'
            f'<td><span class="verdict verdict-{VERDICT_CLASS[status]}">{escape(text["verdict"])}</span></td>'
            "</tr>")


def badges_html(counts: dict) -> str:
    """The counts by verdict as coloured labels ('12 reproduced'), the verdicts with no check left out."""
    return " ".join(f'<span class="verdict verdict-{VERDICT_CLASS[s]}">{n} {escape(s)}</span>'
                    for s, n in counts.items() if n)


def table_head_html() -> str:
    return ("<thead><tr><th>quantity</th><th>published (where)</th><th>reproduced [interval]</th>"
            "<th>criterion</th><th>verdict</th></tr></thead>")


def check_table_html(table) -> str:
    """The check table as an HTML fragment (a scrolling box around a table of class check-table)."""
    rows = [check_row_html(text, row.verdict.status) for row, (_, text) in zip(table.rows, table.frame().iterrows())]
    summary = table.render().splitlines()[-1]
    return (f'<div class="check-table-box"><table class="check-table">'
            f'<caption><span class="check-summary">{escape(summary)}</span> {badges_html(table.counts())}</caption>'
            f"{table_head_html()}<tbody>{''.join(rows)}</tbody></table></div>")


def _number(value: float) -> str:
    return f"{value:.4g}"


def fits_table_html(fits: list[dict]) -> str:
    """The exported fits, one row each: identifier, law, the paper to cite, parameters with their 95% intervals
    where the chapter computed them, and the dataset with its row selection."""
    rows = []
    for f in fits:
        intervals = f.get("intervals") or {}
        params = "".join(
            f'<div class="fit-param">{escape(name)} = {_number(value)}'
            + (f' <span class="fit-interval">[{_number(intervals[name][0])}, {_number(intervals[name][1])}]</span>'
               if name in intervals else "") + "</div>"
            for name, value in f["parameters"].items())
        rows.append(f'<tr><td class="fit-id"><code>{escape(f["id"])}</code></td><td class="fit-law">{escape(f["law"])}</td>'
                    f'<td class="fit-paper">{escape(f["paper"])}</td><td>{params}</td>'
                    f'<td><code>{escape(f["dataset"])}</code><div class="check-where">{escape(f["rows"])}</div></td></tr>')
    return ('<div class="check-table-box"><table class="check-table fits-table"><thead><tr><th>identifier</th>'
            '<th>law</th><th>cite with</th><th>parameters [95% interval]</th><th>dataset (rows)</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")
