"""Quote computed numbers in the prose (myst_nb.glue) and show tables with stable output."""
from __future__ import annotations

import numpy as np


def glue(name: str, value) -> None:
    """Glue `value` under `name` without displaying it. NumPy scalars become Python numbers, so
    `{glue:text}`name:.3f`` can format them (their repr, np.float64(...), cannot be formatted)."""
    from myst_nb import glue as _glue  # imported here: scalinglib itself does not need the book toolchain

    if isinstance(value, np.generic):
        value = value.item()
    _glue(name, value, display=False)


def show_styled(styler, name: str) -> None:
    """Display a pandas Styler as HTML with a fixed element id, so re-executing a chapter leaves its stored
    output byte-identical (a bare Styler gets random ids and its text form shows a memory address)."""
    from IPython.display import HTML, display

    display(HTML(styler.set_uuid(name).to_html()))
