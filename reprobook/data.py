"""The book's datasets: scalinglib's registry over data/ (manifest.yaml, provenance and checksums)."""
from __future__ import annotations

from scalinglib.data import Registry

from .paths import DATA

BOOK_DATA = Registry(DATA)


def load(name: str):
    """A dataset of the book as a validated DataFrame (provenance in `.attrs`)."""
    return BOOK_DATA.load(name)


def entry(name: str) -> dict:
    return BOOK_DATA.entry(name)


def manifest() -> dict:
    return BOOK_DATA.manifest()


def verify_all() -> list[str]:
    return BOOK_DATA.verify_all()
