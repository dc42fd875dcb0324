"""Helpers for chapters: quote computed numbers in the prose through myst_nb.glue."""
from __future__ import annotations

import numpy as np


def glue(name: str, value) -> None:
    """Glue `value` under `name` without displaying it. NumPy scalars become Python numbers, so
    `{glue:text}`name:.3f`` can format them (their repr, np.float64(...), cannot be formatted)."""
    from myst_nb import glue as _glue  # imported here: scalinglib itself does not need the book toolchain

    if isinstance(value, np.generic):
        value = value.item()
    _glue(name, value, display=False)


def glue_check_counts(table) -> None:
    """Glue a check table's counts as n_reproduced, n_differs and n_not_checkable, for the summary box."""
    for status, count in table.counts().items():
        glue(f"n_{status.replace(' ', '_')}", count)


def show_styled(styler, name: str) -> None:
    """Display a pandas Styler as HTML with a fixed element id, so re-executing a chapter leaves its stored
    output byte-identical (a bare Styler gets random ids and its text form shows a memory address)."""
    from IPython.display import HTML, display

    display(HTML(styler.set_uuid(name).to_html()))
