"""The registry of scaling laws: one module per paper or family, each declaring its laws (and holding the
family's analysis helpers beside them). Importing this package registers every law in it.

To add a law, write its declaration in the module of its paper (or a new one, imported below); see
CONTRIBUTING.md at the repository root.
"""
from .core import Law, arange, get_law, known_laws, register
from . import (bnsl, chinchilla, data_constrained, finetuning, hitchhiker, kaplan, mixture, moe,  # noqa: F401
               overtraining, powerlaw, precision, routing, taskladder)
from .bnsl import bnsl_law

__all__ = ["Law", "arange", "get_law", "known_laws", "register", "bnsl_law",
           "bnsl", "chinchilla", "data_constrained", "finetuning", "hitchhiker", "kaplan", "mixture", "moe", "overtraining", "powerlaw", "precision", "routing", "taskladder"]
