"""The book's verdicts at a glance, from the chapters' results files: one line per chapter, a figure of the
verdicts, and every check grouped by chapter. Used by the scorecard chapter and pasted on the landing page."""
from __future__ import annotations

import json
from html import escape

from .paths import CHAPTERS
from .render import badges_html, check_row_html, table_head_html

# Colours of the verdict figure, in the order the bars are stacked (the same hues as the CSS labels), by verdict kind:
# a difference with a known cause is told apart from an unexplained one.
VERDICT_COLOURS = {"reproduced": ("reproduced", "#2e7d32"), "differs-known": ("differs, known cause", "#e57373"),
                   "differs-unexplained": ("differs, unexplained", "#b71c1c"),
                   "not-determined": ("not determined", "#ef6c00"), "not-checkable": ("not checkable", "#9e9e9e")}


def title_of(chapter: str) -> str:
    """The chapter's own title: the first heading of its notebook."""
    first = json.loads((CHAPTERS / f"{chapter}.ipynb").read_text())["cells"][0]["source"]
    return next(line[2:].strip() for line in first if line.startswith("# "))


def short_title(chapter: str) -> str:
    """The paper a chapter reproduces, from its title ('Repeated data: Muennighoff et al. (2023), ...' gives
    'Muennighoff et al. (2023)'); a title without a citation is kept whole."""
    title = title_of(chapter)
    cited = title.split(":", 1)[-1].strip()
    return cited[:cited.index(")") + 1] if ")" in cited else title


def one_line(result: dict) -> str:
    """The chapter's verdict in words: '9 of 12 reproduce; 2 differ (1 with a known cause, 1 unexplained); ...'."""
    kinds = [c["verdict_kind"] for c in result["checks"]]
    counts = result["counts"]
    parts = [f"{counts['reproduced']} of {len(kinds)} reproduce"]
    if counts["differs"]:
        known = kinds.count("differs-known")
        unexplained = counts["differs"] - known
        why = [f"{known} with a known cause" if known else "", f"{unexplained} unexplained" if unexplained else ""]
        parts.append(f"{counts['differs']} differ ({', '.join(t for t in why if t)})")
    if counts["not determined"]:
        parts.append(f"{counts['not determined']} not determined by the data")
    if counts["not checkable"]:
        parts.append(f"{counts['not checkable']} not checkable")
    return "; ".join(parts)


def glance_html(results: list[dict], link_prefix: str = "") -> str:
    """One row per chapter: its title linked (link_prefix + '<chapter>.html'), the one-line verdict, the counts."""
    rows = [f'<tr><td><a href="{link_prefix}{r["chapter"]}.html">{escape(title_of(r["chapter"]))}</a></td>'
            f'<td>{escape(one_line(r))}</td><td>{badges_html(r["counts"])}</td></tr>' for r in results]
    return ('<div class="check-table-box"><table class="check-table glance-table"><thead><tr><th>chapter</th>'
            '<th>verdict in one line</th><th>checks by verdict</th></tr></thead><tbody>' + "".join(rows)
            + "</tbody></table></div>")


def verdict_figure(results: list[dict]):
    """Stacked horizontal bars, one per chapter (its title), of the checks by verdict."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 0.3 * len(results) + 1.6))
    labels = [short_title(r["chapter"]) for r in results]
    left = [0] * len(results)
    for kind, (label, colour) in VERDICT_COLOURS.items():
        widths = [sum(c["verdict_kind"] == kind for c in r["checks"]) for r in results]
        ax.barh(labels, widths, left=left, color=colour, label=label)
        left = [a + b for a, b in zip(left, widths)]
    ax.invert_yaxis()
    ax.set(xlabel="published numbers and claims checked (count)")
    ax.grid(axis="y", visible=False)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3)   # below: long bars stay clear
    fig.tight_layout()
    return fig


def checks_by_chapter_html(results: list[dict]) -> str:
    """Every check, grouped by chapter: one folded section per chapter (its counts in the heading line), opened
    by a click, holding that chapter's checks as the chapter shows them."""
    sections = []
    for r in results:
        rows = "".join(check_row_html(c["text"], c["status"]) for c in r["checks"])
        sections.append(
            f'<details class="scorecard-chapter"><summary><a href="{r["chapter"]}.html">'
            f'{escape(title_of(r["chapter"]))}</a>: {escape(one_line(r))} {badges_html(r["counts"])}</summary>'
            f'<div class="check-table-box"><table class="check-table scorecard">{table_head_html()}'
            f"<tbody>{rows}</tbody></table></div></details>")
    return "".join(sections)
