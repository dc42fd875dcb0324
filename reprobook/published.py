"""Published constants as printed in the papers, read from data/published.yaml.

The parser and the `Published` record are scalinglib's (scalinglib.published, which ships the same file so that an
installed scalinglib can compare a reader's fit with the papers); the book reads the repository's copy. Each value
carries its paper (bibtex key), its location in the paper, and an `uncertain` mark where our source could not
confirm it; chapters must show that mark wherever the value is shown.
"""
from __future__ import annotations

from pathlib import Path

from scalinglib.published import Published, load_published
from scalinglib.published import published as _published

from .paths import DATA

__all__ = ["Published", "all_published", "published"]


def all_published(root: Path | None = None) -> dict:
    return load_published((Path(root) if root else DATA) / "published.yaml")


def published(quantity_id: str, root: Path | None = None) -> Published:
    return _published(quantity_id, (Path(root) if root else DATA) / "published.yaml")
