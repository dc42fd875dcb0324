"""A check table as HTML made for reading: one row per check, the published value with its location under it, the
reproduced value with its interval, the criterion, and the verdict as a coloured label.

The same strings as the text table (CheckTable.render, which nbval and the tests compare) fill the cells, so what
a reader sees and what the tests check cannot drift apart. The output is deterministic: no ids, no timestamps.
"""
from __future__ import annotations

from html import escape

VERDICT_CLASS = {"reproduced": "reproduced", "differs": "differs", "not determined": "not-determined",
                 "not checkable": "not-checkable"}


def check_table_html(table) -> str:
    """The check table as an HTML fragment (a scrolling box around a table of class check-table)."""
    frame = table.frame()
    rows = []
    for row, (_, text) in zip(table.rows, frame.iterrows()):
        status = row.verdict.status
        where = "" if text["where"] == "-" else f'<div class="check-where">{escape(text["where"])}</div>'
        rows.append(
            "<tr>"
            f'<td class="check-quantity">{escape(text["quantity"])}</td>'
            f'<td class="check-published"><span class="check-value">{escape(text["published"])}</span>{where}</td>'
            f'<td class="check-reproduced">{escape(text["reproduced [interval]"])}</td>'
            f'<td class="check-criterion">{escape(text["tolerance"])}</td>'
            f'<td><span class="verdict verdict-{VERDICT_CLASS[status]}">{escape(text["verdict"])}</span></td>'
            "</tr>")
    counts = table.counts()
    summary = table.render().splitlines()[-1]
    badges = " ".join(f'<span class="verdict verdict-{VERDICT_CLASS[s]}">{n} {escape(s)}</span>'
                      for s, n in counts.items() if n)
    return (f'<div class="check-table-box"><table class="check-table">'
            f'<caption><span class="check-summary">{escape(summary)}</span> {badges}</caption>'
            "<thead><tr><th>quantity</th><th>published (where)</th><th>reproduced [interval]</th>"
            "<th>criterion</th><th>verdict</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")
