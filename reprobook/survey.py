"""The survey the book accompanies (Sengupta, Goel and Chakraborty 2025), question by question: which law each part of
it names, which chapter of the book tests it, and why the others are not tested. The verdicts are never typed here:
`survey_rows` reads them from the chapters' results files.

A law is a row of LAWS: the paper as the survey cites it, where the survey names it, and either the chapters that test
it or the reason none does. Chapters the book has beyond the survey's list are rows too (`in_survey=False`), so every
chapter is mapped (tests/test_survey_map.py fails otherwise).
"""
from __future__ import annotations

from dataclasses import dataclass


# Why a law the survey names has no chapter: read from the survey's own Table 11 (survey_rows), or one of these.
NOT_A_FIT = "not a fitted law (a criticism of scaling laws)"
NOT_IN_TABLE11 = "not in the survey's Table 11, and the book's sources hold no released runs of it"
NO_CODE = "the survey's Table 11 lists no released code, and the book's sources hold no runs of it"
CODE_NO_CHAPTER = "the survey's Table 11 lists released code; the book has not yet found measured runs to refit"


@dataclass(frozen=True)
class Law:
    paper: str                      # as the survey cites it: 'Kaplan et al. (2020)'
    part: str                       # the survey's part: 'RQ1' ... 'RQ8', 'Sect. 4', 'App. A', 'App. B'
    where: str                      # where the survey names it, e.g. 'RQ1, Eq. 2; Table 10'
    chapters: tuple[str, ...] = ()  # the book's chapters that test it
    why_not: str = ""               # for a law without a chapter: why
    in_survey: bool = True          # False: a chapter of the book on a paper the survey does not list


LAWS = (
    Law("Kaplan et al. (2020)", "RQ1", "RQ1, Eq. 2; Tables 10, 11", ("kaplan",)),
    Law("Hoffmann et al. (2022)", "RQ1", "RQ1, Eq. 3; Tables 10, 11", ("chinchilla", "methods")),
    Law("Muennighoff et al. (2023)", "RQ1", "RQ1; Tables 10, 11", ("muennighoff",)),
    Law("Sardana et al. (2024)", "RQ1", "RQ1; Tables 10, 11"),
    Law("Caballero et al. (2023)", "RQ1", "RQ1, Eq. 4; Tables 10, 11", ("bnsl",)),
    Law("Hu et al. (2024)", "RQ1", "Tables 10, 11"),
    Law("Tay et al. (2022)", "RQ2", "RQ2; Table 10"),
    Law("Zhai et al. (2022)", "RQ2", "RQ2, Eq. 5; Tables 10, 11"),
    Law("Li et al. (2024a)", "RQ2", "RQ2, RQ8; Tables 10, 11"),
    Law("Ye et al. (2024)", "RQ3", "RQ3, Eq. 6; Tables 10, 11", ("regmix",)),
    Law("Liu et al. (2024)", "RQ3", "RQ3; Table 11 (RegMix)", ("regmix",)),
    Law("Kang et al. (2024)", "RQ3", "RQ3; Table 11 (AutoScale)"),
    Law("Que et al. (2024)", "RQ3", "RQ3, Eq. 7; Tables 10, 11 (D-CPT)"),
    Law("Brown et al. (2024)", "RQ4", "RQ4; Tables 10, 11", ("brown",)),
    Law("Wu et al. (2024)", "RQ4", "RQ4; Tables 10, 11"),
    Law("Chen et al. (2024a)", "RQ4", "Tables 10, 11"),
    Law("Hernandez et al. (2021)", "RQ5", "RQ5, Eq. 8; Tables 10, 11"),
    Law("Lin et al. (2024a)", "RQ5", "RQ5, Eq. 9; Tables 10, 11", ("lin",)),
    Law("Abnar et al. (2021)", "RQ5", "RQ5, Eq. 10; Tables 10, 11"),
    Law("Mikami et al. (2021)", "RQ5", "RQ5, Eq. 11; Tables 10, 11"),
    Law("Chen et al. (2024c)", "RQ5", "RQ5 (FLP); Tables 10, 11"),
    Law("Zhang et al. (2024)", "RQ5", "RQ5, Eq. 12; Tables 10, 11"),
    Law("Frantar et al. (2023)", "RQ6", "RQ6, Eq. 13; Tables 10, 11"),
    Law("Clark et al. (2022)", "RQ6", "RQ6, Eq. 14; Tables 10, 11", ("clark",)),
    Law("Yun et al. (2024)", "RQ6", "RQ6, Eq. 15; Tables 10, 11"),
    Law("Krajewski et al. (2024)", "RQ6", "RQ6, Eq. 16; Tables 10, 11", ("krajewski",)),
    Law("Chen et al. (2024b)", "RQ6", "RQ6, Eq. 17; Tables 10, 11"),
    Law("Dettmers and Zettlemoyer (2023)", "RQ7", "RQ7; Tables 10, 11"),
    Law("Cao et al. (2024)", "RQ7", "RQ7; Tables 10, 11"),
    Law("Kumar et al. (2024)", "RQ7", "RQ7, Eq. 18; Tables 10, 11", ("kumar",)),
    Law("Henighan et al. (2020)", "RQ8", "RQ8; Tables 10, 11"),
    Law("Alabdulmohsin et al. (2022)", "RQ8", "RQ8, Eq. 19; Tables 10, 11"),
    Law("Aghajanyan et al. (2023)", "RQ8", "RQ8, Eq. 20; Tables 10, 11"),
    Law("Jones (2021)", "App. B", "App. B.7; Tables 10, 11"),
    Law("Neumann and Gros (2023)", "App. B", "App. B.7; Tables 10, 11"),
    Law("Gao et al. (2022)", "App. B", "App. B.7; Tables 10, 11"),
    Law("Hilton et al. (2023)", "App. B", "App. B.7; Tables 10, 11"),
    Law("Tao et al. (2024)", "App. B", "App. B.6; Tables 10, 11"),
    Law("Lindsey et al. (2024)", "App. B", "App. B.8; Tables 10, 11"),
    Law("Gao et al. (2024)", "App. B", "App. B.8; Tables 10, 11"),
    Law("Shao et al. (2024)", "App. B", "App. B.6; Tables 10, 11"),
    Law("Busbridge et al. (2025)", "App. B", "Table 10"),
    Law("Snell et al. (2024)", "RQ4", "Table 11"),
    Law("Allen-Zhu and Li (2024)", "App. B", "App. B.6; Table 11"),
    Law("Ma et al. (2024)", "App. B", "App. B.9; Table 11"),
    Law("Diaz and Madaio (2024)", "Sect. 4", "Sect. 4", why_not=NOT_A_FIT),
    Law("Sorscher et al. (2023)", "Sect. 4", "Sect. 4; Table 11", why_not=NOT_A_FIT),
    Law("Besiroglu et al. (2024)", "App. A", "the book's methods chapter (the Chinchilla replication) and its "
        "workbench for readers' runs, which reproduces it from a CSV file", ("methods", "workbench"), in_survey=False),
    Law("Gadre et al. (2024)", "RQ1", "beside Sardana et al.: over-training and downstream error", ("gadre",),
        in_survey=False),
    Law("Bhagia et al. (2024)", "RQ5", "beside Chen et al. (2024c): task accuracy from a model ladder", ("bhagia",),
        in_survey=False),
    Law("Choshen et al. (2024)", "App. A", "beside App. A: how to estimate a law for a target model", ("choshen",),
        in_survey=False),
)

# The survey's questions and guidance, in the book's words, with where the survey says it.
PARTS = {
    "RQ1": ("Model and data size (Sect. 3, RQ1)", "Loss falls as a power law in model and data size (Kaplan); "
            "Hoffmann et al. recast it for a compute budget; training smaller models longer can beat larger ones, "
            "especially when data are limited (Muennighoff, Sardana); broken power laws fit curves a single power law "
            "cannot (BNSL)."),
    "RQ2": ("Architectures (Sect. 3, RQ2)", "The vanilla Transformer scales best among the architectures compared; "
            "vision Transformers saturate at both ends of compute; scaling a multimodal model's vision encoder alone "
            "does not reliably help."),
    "RQ3": ("Data strategies (Sect. 3, RQ3)", "A domain's loss can be written as a function of the mixture (Ye et al.'s "
            "exponential law, Eq. 6), and small proxy models can choose a mixture before the large run (RegMix, "
            "AutoScale); the D-CPT law sets the ratio of general to domain data."),
    "RQ4": ("Test-time scaling (Sect. 3, RQ4)", "Coverage grows with the number of samples as an exponentiated power law; "
            "a smaller model with more inference compute can be the cheaper way to a given accuracy."),
    "RQ5": ("Fine-tuning (Sect. 3, RQ5)", "Transfer can be measured as effective data transferred (Eq. 8); the "
            "rectified law (Eq. 9) models the diminishing returns of fine-tuning beyond a pre-learned data size; "
            "downstream error follows upstream error (vision) and downstream performance pre-training compute (FLP); "
            "LoRA scales nonlinearly under parameter-efficient tuning."),
    "RQ6": ("Sparse and efficient models (Sect. 3, RQ6)", "Sparsity acts as a multiplicative efficiency factor; MoE loss "
            "scales with parameters and experts (Eq. 14) and, with granularity, in a Chinchilla-style law (Eq. 16); "
            "pruning has its own post-training law."),
    "RQ7": ("Quantisation (Sect. 3, RQ7)", "About 4 bits is the sweet spot for inference; larger models tolerate higher "
            "quantisation ratios; a unified law (Eq. 18) predicts the cost of low precision in training and after it, "
            "with independent, multiplicative effects of weights, activations and attention."),
    "RQ8": ("Multimodal models (Sect. 3, RQ8)", "Multimodal scaling follows but does not copy unimodal trends; sigmoid-like "
            "forms (Eq. 19) span saturation regimes and a bimodal Chinchilla law (Eq. 20) has a competition barrier."),
    "App. B": ("The other laws of Table 10 (App. B)", "Reinforcement learning, vocabulary, retrieval, sparse autoencoders, "
               "distillation and graph networks each have laws of their own."),
    "Sect. 4": ("Criticisms (Sect. 4)", "Scaling laws may not hold for heterogeneous populations; data pruning can beat "
                "the power law; and many scaling-law studies cannot be reproduced (Table 11)."),
    "App. A": ("Fitting and validating a law (App. A.1-A.5)", "Fit by non-linear optimisation (BFGS, L-BFGS, least squares) with an "
               "MSE, MAE or Huber objective; initialise from a grid, random samples or restarts; validate with "
               "confidence intervals and by extrapolating to larger scales; and know that optimiser, loss and "
               "initialisation can each change the fit (Li et al. 2024b)."),
}


def mapped_chapters() -> set[str]:
    """Every chapter some row of LAWS names."""
    return {c for law in LAWS for c in law.chapters}


def verdict_text(counts: dict) -> str:
    """The counts of one chapter's check table in words: '20 reproduced, 9 differ, 0 not determined, 2 not checkable'."""
    return (f"{counts['reproduced']} reproduced, {counts['differs']} differ, {counts['not determined']} not determined, "
            f"{counts['not checkable']} not checkable")


def why_not(law: Law, table11) -> str:
    """Why a law has no chapter: its own reason, else what the survey's Table 11 says of its code."""
    if law.why_not:
        return law.why_not
    marks = table11[table11.paper == law.paper]
    if marks.empty:
        return NOT_IN_TABLE11
    return CODE_NO_CHAPTER if (marks.training_code | marks.analysis_code).any() else NO_CODE


def survey_rows(results: dict, table11) -> list[dict]:
    """One row per law: the survey's part and location, the chapters testing it and their results files' counts
    (`results`: chapter -> results payload, from reprobook.results.load_all), or why none does (`table11`: the
    survey's Table 11, dataset survey_reproducibility)."""
    rows = []
    for law in LAWS:
        verdicts = {c: verdict_text(results[c]["counts"]) for c in law.chapters}
        rows.append({"paper": law.paper, "part": law.part, "where in the survey": law.where,
                     "in the survey's lists": law.in_survey, "chapters": law.chapters, "verdicts": verdicts,
                     "status": "tested" if law.chapters else "not tested",
                     "why not": "" if law.chapters else why_not(law, table11)})
    return rows
