"""Ye et al. (2024), the data mixing law: a domain's validation loss as a function of the training mixture,
L(r) = c + k exp(sum_j t_j r_j) (their Eq. 7, the survey's Eq. 6), written as their code writes it,
exp(log_c) + exp(log_k + sum_j t_j r_j).

A mixing law has one variable per training domain, so a law is made for a tuple of domains (`mixing_law`);
the 17 Pile domains of RegMix's runs are registered as `ye_mixing_regmix17`. On the simplex (sum_j r_j = 1)
adding a constant to every t_j and dividing k by its exponential leaves the law unchanged: only differences of
the t_j are identified, so a fit holds one t_j fixed (at 0) and the weights must be normalised to sum to one.
"""
from __future__ import annotations

import numpy as np

from ..errors import InputError
from .core import Law, get_law, known_laws, register

# RegMix's 17 training domains, in the order of its mixture files (sail-sg/regmix, data/*_mixture_*.csv).
REGMIX_DOMAINS = ("arxiv", "freelaw", "nih_exporter", "pubmed_central", "wikipedia_en", "dm_mathematics", "github",
                  "philpapers", "stackexchange", "enron_emails", "gutenberg_pg_19", "pile_cc", "ubuntu_irc",
                  "europarl", "hackernews", "pubmed_abstracts", "uspto_backgrounds")


def _evaluate(domains: tuple[str, ...]):
    t_names = tuple(f"t_{d}" for d in domains)

    def evaluate(p: dict, f: dict):
        exponent = p["log_k"] + sum(p[t] * f[d] for t, d in zip(t_names, domains))
        reducible = np.exp(exponent)                   # (S, n)
        c = np.exp(p["log_c"])                         # (S, 1)
        y = c + reducible

        def vjp(v):
            g_reducible = reducible * v
            cols = [(c * v).sum(1), g_reducible.sum(1)]
            cols += [(g_reducible * f[d]).sum(1) for d in domains]
            return np.column_stack(cols)
        return y, vjp
    return evaluate


def mixing_law(domains, name: str | None = None) -> Law:
    """Ye et al.'s law over `domains` (variable names, one per training domain; parameters log_c, log_k and
    t_<domain>). Registered under `name` (default 'ye_mixing[<domains>]'); the same name returns the same law."""
    domains = tuple(domains)
    if len(domains) < 2 or len(set(domains)) != len(domains) or not all(isinstance(d, str) and d.isidentifier()
                                                                         for d in domains):
        raise InputError(f"argument 'domains' must name at least two distinct domains as identifiers, got {domains!r}")
    name = name or f"ye_mixing[{','.join(domains)}]"
    if name in known_laws():
        law = get_law(name)
        if law.variables != domains:
            raise InputError(f"law {name!r} is registered with domains {list(law.variables)}, not {list(domains)}")
        return law
    example_r = np.full(len(domains), 1.0 / len(domains))
    return register(Law(
        name=name,
        title=f"Ye et al. (2024) data mixing law over {len(domains)} domains",
        equation=r"L(r) = c + k \exp\Big(\sum_j t_j r_j\Big)",
        params=("log_c", "log_k") + tuple(f"t_{d}" for d in domains),
        variables=domains,
        log_variables=(),
        space="linear",
        evaluate=_evaluate(domains),
        # Ye et al.'s grid (law.py): log c in linspace(-2, 1.5, 10), log k in linspace(-10, 1, 20); t drawn at random
        # in their code, so a fit passes its own starts (see scalinglib.mixture.ye_starts)
        start_grid={"log_c": tuple(np.linspace(-2, 1.5, 10)), "log_k": tuple(np.linspace(-10, 1, 20)),
                    **{f"t_{d}": (0.05,) for d in domains}},
        natural=lambda p: {"c": np.exp(p["log_c"]), "k": np.exp(p["log_k"]),
                           **{k: v for k, v in p.items() if k.startswith("t_")}},
        example=({"log_c": 0.5, "log_k": 0.3, **{f"t_{d}": 0.1 * (i - 1) for i, d in enumerate(domains)}},
                 {d: [example_r[i], 0.5, 0.1] for i, d in enumerate(domains)}),
        source="Ye et al. 2024, Eq. 7 (Sect. 3.2); the survey's Eq. 6",
    ))


REGMIX17 = mixing_law(REGMIX_DOMAINS, name="ye_mixing_regmix17")
