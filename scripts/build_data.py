"""Build the project's tidy data tables in data/ from the raw material in ../shared/sources/.

Run from the repository root:  python scripts/build_data.py [dataset ...]
It checks each raw file's sha256 against the value its SOURCE.md records, writes the tidy CSV, and writes
the CSV's sha256 and row count into its entry of data/manifest.yaml (nobody copies them by hand; the
provenance fields of an entry are written by a person, see CONTRIBUTING.md). The book itself never reads ../shared:
the tidy tables are committed, and tests/test_data.py rebuilds them from ../shared when it is present
and checks the bytes are identical.
"""
from __future__ import annotations

import hashlib
import io
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT.parent / "shared" / "sources"


def _raw(relpath: str, sha256: str, reader=pd.read_csv) -> pd.DataFrame:
    path = SOURCES / relpath
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != sha256:
        raise SystemExit(f"{path}: sha256 {actual} differs from the {sha256} recorded in its SOURCE.md")
    return reader(path)


def chinchilla_fig4() -> pd.DataFrame:
    """Epoch AI's digitisation of Hoffmann et al. (2022) Figure 4 (left), in the book's schema."""
    raw = _raw("chinchilla/svg_extracted_data.csv",
               "193478df4e90f040016431996c45682659306840ecdadf83cfb9cd5ca0aa1b30")
    if not (raw["color"] == raw["hex_color"]).all():
        raise SystemExit("chinchilla: 'color' and 'hex_color' differ; SOURCE.md says they are equal")
    out = pd.DataFrame({
        "point_id": range(len(raw)),                    # row number in Epoch's file
        "N_params": raw["Model Size"],
        "C_flop": raw["Training FLOP"],
        "D_tokens": raw["Training FLOP"] / (6.0 * raw["Model Size"]),   # C = 6ND, as Epoch and the paper
        "loss_nats": raw["loss"],
        "svg_x": raw["x"],
        "svg_y": raw["y"],
        "marker_hex": raw["color"],
    })
    # Besiroglu et al. drop the five highest-loss points (loss >= 3.447) before fitting.
    top5 = out["loss_nats"].nlargest(5).index
    out["epoch_excluded"] = out.index.isin(top5)
    return out


def brown_pythia_math() -> pd.DataFrame:
    """Correct-sample counts per (Pythia model, MATH problem): the primary data of the coverage curves."""
    raw = _raw("brown/large_language_monkeys_original_pass_at_k.parquet",
               "2ca92cfcb9b074981b39ae3b6448bd7ae6b24e9db695e448b16eb7398dd41d15", reader=pd.read_parquet)
    keys = ["Model", "Problem Idx"]
    per_problem = raw.groupby(keys)[["Num. Samples Total", "Num. Samples Correct"]].nunique()
    if (per_problem > 1).any().any():
        raise SystemExit("brown: counts differ between k values of one (model, problem); SOURCE.md says they do not")
    first = raw.drop_duplicates(keys)
    if (first["Num. Samples Correct"] != first["Num. Samples Correct"].round()).any():
        raise SystemExit("brown: a correct count is not a whole number")
    sizes = {"70M": 70e6, "160M": 160e6, "410M": 410e6, "1B": 1e9, "2.8B": 2.8e9, "6.9B": 6.9e9, "12B": 12e9}
    out = pd.DataFrame({
        "model": first["Model"].to_numpy(),
        "nominal_params": [sizes[m.split()[-1]] for m in first["Model"]],   # the size in the model's name
        "problem_idx": first["Problem Idx"].to_numpy(),
        "n_samples": first["Num. Samples Total"].astype(int).to_numpy(),
        "n_correct": first["Num. Samples Correct"].astype(int).to_numpy(),
    })
    return out.sort_values(["nominal_params", "problem_idx"]).reset_index(drop=True)


def muennighoff_runs() -> pd.DataFrame:
    """Final C4 validation losses of the datablations runs, from the authors' fitting notebook."""
    raw = _raw("muennighoff/datablations_val_losses.extracted.csv",
               "c10c19b43a8e36f619bad1d0024dc240040863b8822883da50a2748527a54bee")
    finished = raw["val_loss"] > 0          # the notebook writes 0 for runs that had not finished
    return pd.DataFrame({
        "run_name": raw["run_name"],
        "N_params": raw["params"],
        "D_tokens": raw["tokens"],
        "U_tokens": raw["unique_tokens"],
        "epochs": raw["epochs"],
        "loss_nats": raw["val_loss"].where(finished),
        "finished": finished,
        "variant": raw["variant"],
        "active_in_full_list": raw["listed_active_in_full_dict"].astype(bool),
        "in_fit_subset_182": raw["in_fit_subset_182"].astype(bool),
        "source_comment": raw["source_comment"],
    })


def clark_routed_runs() -> pd.DataFrame:
    """Clark et al. (2022)'s routed-LM training curves, from the authors' release (data/curves.csv.gz), tidied.
    (SLDBench redistributed the same bytes unzipped; the book reads the authors' file.)"""
    raw = _raw("clark/curves.csv.gz", "c03e7531add85e594f368d33bac4a0220280be858a7ed12d147cf73af6a3819f")
    out = raw.rename(columns={
        "hyper_id": "run_id", "loss_c4": "loss_c4_nats", "loss_curation_corpus": "loss_curation_corpus_nats",
        "loss_lambada": "loss_lambada_nats", "loss_pile": "loss_pile_nats", "loss_validation": "loss_validation_nats",
        "loss_wikitext103": "loss_wikitext103_nats", "total_parameter_count": "total_params",
        "dense_parameter_count": "dense_params"})
    return out.sort_values(["run_id", "step"]).reset_index(drop=True)


def bnsl_four_digit_addition() -> pd.DataFrame:
    """The 17 points of BNSL Figure 4 (left), as the sources note transcribes them from the reference script."""
    text = (SOURCES / "bnsl" / "SOURCE.md").read_text()
    section = text.split("### 4-digit addition data", 1)[1].split("## 4.", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].isdigit():
            rows.append({"dataset_size": int(cells[0]), "test_cross_entropy": float(cells[1]), "split": cells[2]})
    out = pd.DataFrame(rows)
    if len(out) != 17 or (out.split == "fit").sum() != 14:
        raise SystemExit(f"bnsl: expected 17 points (14 fit, 3 held out) in SOURCE.md, found {len(out)}")
    return out


def bnsl_benchmark() -> pd.DataFrame:
    """Alabdulmohsin et al.'s 92 learning curves (vision + language), exact duplicate rows removed, sorted."""
    parts = [_raw("bnsl/benchmark.vision.csv", "23b00692d71e58aa5a2a941e831d57688e0977fdcf5f5125ff7b64283b5d9e83"),
             _raw("bnsl/benchmark.lang.csv", "63c346db00a66b692e1ea9a0f71a2f2b267e55f74be5b863a92e199dffbf0983")]
    raw = pd.concat(parts, ignore_index=True)
    deduped = raw.drop_duplicates()
    if len(raw) - len(deduped) != 687:
        raise SystemExit(f"bnsl: {len(raw) - len(deduped)} duplicate rows, SOURCE.md says 687 (all LM)")
    out = pd.DataFrame({"domain": deduped["Domain"], "task": deduped["Task"], "model": deduped["Model"],
                        "seen_examples": deduped["Seen Examples"], "loss": deduped["Loss"],
                        "used_for_fitting": deduped["Training"].astype(bool)})
    return out.sort_values(["domain", "task", "model", "seen_examples"]).reset_index(drop=True)


def porian_isoflop_points() -> pd.DataFrame:
    """Porian et al.'s IsoFLOP curves (15 settings x 2 datasets), as converted in the sources note."""
    raw = _raw("kaplan/porian/isoflop_points.csv", "2c073c3180a90e62b279ee02e7362e1371f043fe8a6086e283bf6e0d135a4b30")
    return raw.rename(columns={"flops": "C_flop", "n_params": "N_params", "tokens": "D_tokens", "loss": "loss_nats"})


def gpt3_curves() -> pd.DataFrame:
    """GPT-3 training and validation loss curves digitised from Brown et al. (2020), via ColPret."""
    raw = _raw("hitchhiker/raw_data/gpt3/extracted.csv", "ea73b550de60d8b278523fa69385df0c2892546f8820aea12b4d1fe2d4f98962")
    return pd.DataFrame({"model": raw["model"], "tokens_billions": raw["step"], "train_loss_nats": raw["train_loss"],
                         "val_loss_nats": raw["val_loss"]})


def misfitting_final() -> pd.DataFrame:
    """Li et al.'s OpenLM runs, final checkpoints only: N (with and without embeddings), D, C4 loss."""
    raw = _raw("misfitting/scaling_results_last_ckpt_only.csv", "cd96b9eb8e5b2adc80e6739a642dd8554590edc96234d36859ab6ed0f5c30562")
    if not (raw["loss"] == raw["C4 Eval Loss"]).all():
        raise SystemExit("misfitting: 'loss' differs from 'C4 Eval Loss'; the sources note says they are equal")
    return pd.DataFrame({"model": raw["model"], "N_params": raw["N"], "N_nonembedding_params": raw["N_no_emb"],
                         "D_tokens": raw["D"], "C_flop": raw["C"], "loss_nats": raw["loss"], "total_steps": raw["total_steps"],
                         "peak_lr": raw["peak_lr"], "portion_steps_elapsed": raw["portion_steps_elapsed"], "sweep": raw["sweep"]})


# --- Gadre et al. (2024), over-training: the authors' 104 model records and their evaluations ------------------
GADRE = "overtraining/exp_data"
GADRE_DATASETS = {"c4_original": "C4", "rpj": "RedPajama", "rw_original": "RefinedWeb"}
# validation set (second-to-last path component of val_data, or the file stem for de-en) -> the book's column
GADRE_LOSSES = {"c4_val": "loss_c4_eval_nats", "openlm": "loss_openlm_eval_nats", "paloma_c4_en": "loss_paloma_c4_nats",
                "paloma_redpajama": "loss_paloma_redpajama_nats", "paloma_falcon-refinedweb": "loss_paloma_refinedweb_nats",
                "paloma_dolma_100_programing_languages": "loss_paloma_code_nats", "paloma_ptb": "loss_paloma_ptb_nats",
                "val_de-en_100": "loss_german_nats"}


def _folder_digest(folder: Path, digest: str) -> list[Path]:
    """The files of `folder`, after checking the digest SOURCE.md records (LC_ALL=C sha256sum * | sha256sum)."""
    files = sorted(folder.iterdir(), key=lambda f: f.name.encode())
    listing = "".join(f"{hashlib.sha256(f.read_bytes()).hexdigest()}  {f.name}\n" for f in files)
    actual = hashlib.sha256(listing.encode()).hexdigest()
    if actual != digest:
        raise SystemExit(f"{folder}: digest of the file list {actual} differs from the {digest} in its SOURCE.md")
    return files


def _gadre_records() -> list[tuple[str, dict, dict]]:
    import json
    models = _folder_digest(SOURCES / GADRE / "models", "4d6fc25f06544b46996125cd82e6f9930dc7940cd4009995294b33ccf4e1af2b")
    _folder_digest(SOURCES / GADRE / "evals", "3aff589bdbe1f4481bb6279880ab08be0c969b3069c279b461fc0769f95985c5")
    out = []
    for path in models:
        stem = path.stem
        evals = json.loads((SOURCES / GADRE / "evals" / f"evaluation_{stem}_heavy.json").read_text())
        out.append((stem, json.loads(path.read_text()), evals["eval_metrics"]["icl"]))
    return out


def gadre_runs() -> pd.DataFrame:
    """One row per trained model: dataset, configuration, N (with and without embeddings), D, M = D/N as the code
    sets it (20 x chinchilla_multiplier), and the loss on each of the 8 validation sets."""
    rows = []
    for stem, record, _ in _gadre_records():
        h = record["hyperparameters"]
        losses = {}
        for result in record["results"]:
            parts = result["val_data"][0].split("/")
            key = parts[-2] if "de-en" not in parts[-1] else parts[-1].split(".")[0]
            losses[GADRE_LOSSES[key]] = result["loss"]
        rows.append({"run": stem, "dataset": GADRE_DATASETS[record["dataset_name"]],
                     "config": stem.split("-", 1)[1].rsplit("-", 1)[0], "N_params": h["params"],
                     "N_params_no_embedding": h["params_no_embed"], "D_tokens": h["tokens"],
                     "M": 20 * h["chinchilla_multiplier"], **{c: losses[c] for c in GADRE_LOSSES.values()}})
    return pd.DataFrame(rows)


def gadre_task_accuracy() -> pd.DataFrame:
    """The 46 LLM-Foundry top-1 accuracies of every model, one row per (run, task)."""
    rows = [{"run": stem, "task": task, "accuracy": acc}
            for stem, _, icl in _gadre_records() for task, acc in sorted(icl.items())]
    return pd.DataFrame(rows)


def gadre_tasks() -> pd.DataFrame:
    """The 46 evaluated tasks with their metadata, and whether each is in the paper's 17-task split (the code's
    SUBSET, transcribed in SOURCE.md)."""
    meta = _raw(f"{GADRE}/eval_metadata.csv", "8cd5243244a6890c8cec31cf7752901131f1da479b3c4920e37eb65ad608089c")
    text = (SOURCES / "overtraining" / "SOURCE.md").read_text()
    listing = text.split("The tasks are", 1)[1].split("- This is the paper's", 1)[0]
    subset = set(re.findall(r"[a-z_]+", listing.replace("`", " ")))
    evaluated = sorted({task for _, _, icl in _gadre_records() for task in icl})
    if len(subset) != 17 or not subset <= set(evaluated) or len(evaluated) != 46:
        raise SystemExit(f"overtraining: expected 46 tasks and a 17-task split within them, found {len(evaluated)}, {len(subset)}")
    meta = meta.set_index("Eval Task").loc[evaluated]
    return pd.DataFrame({"task": evaluated, "category": meta["Task Category"].to_numpy(),
                         "task_type": meta["Task Type"].to_numpy(), "shots": meta["#shots"].to_numpy(),
                         "random_baseline_percent": meta["Random baseline"].to_numpy(),
                         "in_17_task_split": [t in subset for t in evaluated]})


# --- Bhagia et al. (2024), task scaling laws from a model ladder: checkpoints of the ladder and of the targets ----
LADDER = "taskladder"
LADDER_MANIFEST_SHA256 = "d50c7c642538dbcaa06b492484e63e4ce62a88a0b1172b6afb88dd0f4f9c3e84"
# size label of a file prefix, and N (non-embedding): the config `n` of configs/final.json; 3.2B from the code's
# MODEL_PARAMS (src/scaling/utils.py), as SOURCE.md records; the targets from the same config.
LADDER_SIZES = {"190M": ("190M", 190354176), "370M": ("370M", 371262464), "760M": ("760M", 758220288),
                "1B": ("1.3B", 1279395840), "3B": ("3.2B", 3169537280)}
LADDER_TARGETS = {"peteish7_eval_anneal": ("7B-4T", 6887575552), "peteish13_eval_final": ("13B-5T", 13202396160)}
# the book's column -> the log's key (bits-per-byte task loss; len_norm RC accuracy), for the paper's eight tasks
LADDER_TASK_KEYS = {"mmlu_stem": "mmlu_stem_test", "mmlu_humanities": "mmlu_humanities_test",
                    "mmlu_social_sciences": "mmlu_social_sciences_test", "mmlu_other": "mmlu_other_test",
                    "hellaswag": "hellaswag_val", "arc_challenge": "arc_challenge_test", "arc_easy": "arc_easy_test",
                    "piqa": "piqa_val", "csqa": "csqa_val", "socialiqa": "socialiqa_val", "openbookqa": "openbookqa_test"}


def _ladder_files() -> list[tuple[str, Path]]:
    """The 30 ladder logs and the two target logs, each checked against the sha256 in the folder's MANIFEST.tsv."""
    folder = SOURCES / LADDER
    manifest = _raw(f"{LADDER}/MANIFEST.tsv", LADDER_MANIFEST_SHA256, reader=lambda p: pd.read_csv(p, sep="\t"))
    sha = dict(zip(manifest.file, manifest.sha256))
    stems = sorted(f.stem for f in (folder / "ladder-runs").iterdir() if f.stem.split("-")[0] in LADDER_SIZES)
    stems += list(LADDER_TARGETS)
    out = []
    for stem in stems:
        rel = f"ladder-runs/{stem}.csv"
        actual = hashlib.sha256((folder / rel).read_bytes()).hexdigest()
        if actual != sha[rel]:
            raise SystemExit(f"{folder / rel}: sha256 {actual} differs from the {sha[rel]} in MANIFEST.tsv")
        out.append((stem, folder / rel))
    if len(out) != 32:
        raise SystemExit(f"taskladder: expected 30 ladder logs and 2 target logs, found {len(out)}")
    return out


def ladder_checkpoints() -> pd.DataFrame:
    """One row per evaluated checkpoint: the run, its role (the paper's 16 ladder runs, the extra runs no paper
    figure uses, the two targets), N, the checkpoint's step and tokens, the C4 loss and, for each task, the task loss
    (bits per byte of the correct answer) and the RC accuracy (len_norm), in the logs' own order."""
    frames = []
    for stem, path in _ladder_files():
        raw = pd.read_csv(path)
        if stem in LADDER_TARGETS:
            model, n = LADDER_TARGETS[stem]
            length, role = "target", "target"
        else:
            prefix, length = stem.split("-", 1)
            model, n = LADDER_SIZES[prefix]
            role = "ladder" if prefix != "3B" and length in ("1xC", "2xC", "5xC", "10xC") else "extra"
        step = raw["_step"] if "_step" in raw else pd.Series([pd.NA] * len(raw))
        # the code's rule: throughput/total_tokens where the log has it, else step x batch size
        tokens = raw["throughput/total_tokens"] if "throughput/total_tokens" in raw else raw["_step"] * raw["batch_size_in_tokens"]
        frame = pd.DataFrame({"run": stem, "model": model, "length": length, "role": role, "N_params": n,
                              "step": step.astype("Int64"), "D_tokens": tokens.astype("int64"),
                              "batch_tokens": raw["batch_size_in_tokens"].astype("int64"),
                              "c4_loss_nats": raw["eval/c4_en-validation/CrossEntropyLoss"]})
        for column, key in LADDER_TASK_KEYS.items():
            frame[f"{column}_bpb"] = raw[f"eval/downstream_bpb/{key}_rc_5shot_bpb"]
        for column, key in LADDER_TASK_KEYS.items():
            frame[f"{column}_acc"] = raw[f"eval/downstream/{key}_rc_5shot_len_norm"]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


# --- Choshen et al. (2024), scaling-law estimation: learning curves of four families and the authors' figure cells --
HITCHHIKER = "hitchhiker"
# the families' sizes as ColPret's loaders set them (util/read_data.py): OPT nominal, T5 exact counts
OPT_SIZES = {"125m": 125e6, "1.3b": 1.3e9, "6.7b": 6.7e9, "13b": 13e9, "30b": 30e9, "175b": 175e9}
T5_SIZES = {"base": 247586304, "large": 783173632, "xl": 2849804288, "xxl": 11135426560}
SIZE_SUFFIX = {"M": 1e6, "B": 1e9}


def _opt_batch_tokens(n: float) -> float:
    """OPT's batch size in tokens by model size (get_opt_trajectories: 0.5M, 1M, 2M, 4M, then 2M for 175B)."""
    return 5e5 if n < 1e9 else 1e6 if n < 6e9 else 2e6 if n < 10e9 else 4e6 if n < 60e9 else 2e6


def choshen_curves() -> pd.DataFrame:
    """One row per checkpoint of the OPT, OLMo, Pile-T5 and datablations (GPT2-*) families as ColPret's loaders
    build them: family (their scaled_set), model, N, D and the logged value in its own unit."""
    frames = []
    opt = _raw(f"{HITCHHIKER}/aggregated_eval/opt_trajectories.csv",
               "c3a53ccc7a412f0caff4179ce484acf1c2aab36b25677473658f094362449ff5")
    n = opt["model_size"].map(OPT_SIZES)
    frames.append(pd.DataFrame({"family": "OPT", "model": "OPT-" + opt["model_size"], "N_params": n,
                                "D_tokens": opt["steps"] * n.map(_opt_batch_tokens), "value": opt["ppl"],
                                "value_unit": "perplexity"}))
    olmo = _raw(f"{HITCHHIKER}/aggregated_eval/olmo.csv", "008a3a0ff6a6f0832ecbe6498e1720f17864f23ffda4a9ce3239bf2ceec0ad8a")
    olmo = olmo[olmo["model_name"] != "OLMo-7B-Twin-2T"]      # the loader gives it no family
    ce = [c for c in olmo.columns if "CrossEntropyLoss" in c]
    frames.append(pd.DataFrame({"family": "olmo", "model": olmo["model_name"].str.strip(),
                                "N_params": olmo["num_params"].map(lambda v: float(v[:-1]) * SIZE_SUFFIX[v[-1]]),
                                "D_tokens": olmo["Step"] * 4e6, "value": olmo[ce].mean(axis=1),
                                "value_unit": "nats per token (mean of the row's validation cross-entropies)"}))
    t5 = _raw(f"{HITCHHIKER}/aggregated_eval/t5_pile.csv", "2d290d98eac37d8abd6b967c20f330b553b459139f02620a96893c00facc2da1")
    t5 = t5[t5["steps"] != 0]
    frames.append(pd.DataFrame({"family": "t5-pile", "model": "pile-t5-" + t5["model_name"],
                                "N_params": t5["model_name"].map(T5_SIZES), "D_tokens": t5["steps"] * 1e6,
                                "value": t5["val_perplexity"], "value_unit": "val_perplexity as logged"}))
    db = _raw(f"{HITCHHIKER}/aggregated_eval/datablations_losses.csv",
              "b3c448c2cd1a17128e06ee3120a9c377c4e2bf649e09b2446db59f98ef957b48")
    frames.append(pd.DataFrame({"family": "GPT2-" + db["data"] + "-" + db["epochs"].astype(float).astype(str),
                                "model": "GPT2-" + db["num_params"] + "-" + db["data"] + "-" + db["epochs"].astype(str),
                                "N_params": db["num_params"].map(lambda v: float(v[:-1]) * SIZE_SUFFIX[v[-1]]),
                                "D_tokens": db["token_num"], "value": db["loss"], "value_unit": "nats per token"}))
    out = pd.concat(frames, ignore_index=True)
    if out[["N_params", "D_tokens"]].isna().any().any():
        raise SystemExit("hitchhiker: a model size or token count could not be read; see SOURCE.md's table")
    out = out.dropna(subset=["value"])
    out["N_params"] = out["N_params"].astype("int64")
    return out.sort_values(["family", "N_params", "D_tokens"], kind="stable").reset_index(drop=True)


def choshen_figure_cells() -> pd.DataFrame:
    """The cells of ColPret's committed result heatmaps, as read out in the sources folder (annotation: the
    printed number; colour: the fill inverted through the colour bar)."""
    raw = _raw(f"{HITCHHIKER}/authors_figure_values.csv", "50b96a3fbb3282586b3d8818a6e3f519aa45ce4707cfac4ba9719d45e7020dc0")
    return pd.DataFrame({"figure": raw["fig_dir"], "family": raw["scaled_set"], "row": raw["row_label"].astype(str),
                         "column": raw["col_label"].astype(float), "are_percent": raw["are_pct"],
                         "reading": raw["method"], "saturated": raw["saturated"].eq("yes")})


# --- Liu et al. (2024), RegMix: the released proxy and test runs, and the four named 1B mixtures ------------------
MIXTURE = "mixture"
REGMIX_DOMAINS = ["arxiv", "freelaw", "nih_exporter", "pubmed_central", "wikipedia_en", "dm_mathematics", "github",
                  "philpapers", "stackexchange", "enron_emails", "gutenberg_pg_19", "pile_cc", "ubuntu_irc", "europarl",
                  "hackernews", "pubmed_abstracts", "uspto_backgrounds"]
REGMIX_LOSS_DOMAINS = ["arxiv", "freelaw", "pubmed_central", "wikipedia_en", "dm_mathematics", "github", "stackexchange",
                       "gutenberg_pg_19", "pile_cc", "ubuntu_irc", "hackernews", "pubmed_abstracts", "uspto_backgrounds"]
# (set, model size, nominal tokens, mixture file, sha256, loss file, sha256), as SOURCE.md lists them
REGMIX_SETS = [
    ("train", "1M", 1e9, "train_mixture_1m", "04a32ef4ab594376bf90e11404c033668f887c351d6a03ad3744824c7296a2d8",
     "train_pile_loss_1m", "49a959aa07ce5c20831d5abe3a7896ff0cd90a398bd407c8913fd5588be0465a"),
    ("test", "1M", 1e9, "test_mixture_1m", "197267b7d6f15367e2f46c881e564c35b0d34e51b1754bb09d07e650cf8e1ce8",
     "test_pile_loss_1m", "e027b1674f60140a65a87b5e4a59ab5f09dc33e8fd02c080682678074b160f53"),
    ("test", "60M", 1e9, "test_mixture_60m", "197267b7d6f15367e2f46c881e564c35b0d34e51b1754bb09d07e650cf8e1ce8",
     "test_pile_loss_60m", "8fe69d59ab7dd4fae4736459f4265ec93c7ed1ad1eca407346052560edc72b5b"),
    ("test_1b", "1B", 25e9, "test_mixture_1B", "dd38052949c0a5f84165bdcb3ae3a331c7f07efd9bb83848bd579dfc4ce75a2c",
     "test_pile_loss_1B", "b2451e2b7fa15400688edc39e4d32f21ccbe0fb356e07d62a0e9ccddf247114f"),
]


def _regmix_pair(mixture: pd.DataFrame, loss: pd.DataFrame, where: str) -> pd.DataFrame:
    """Mixture and loss rows of one set joined on `index` (the only key the files share); refused if they differ."""
    if sorted(mixture["index"]) != sorted(loss["index"]) or mixture["index"].duplicated().any():
        raise SystemExit(f"mixture: {where}: the mixture and loss files do not hold the same indices once each")
    return mixture.merge(loss, on="index", validate="one_to_one")


def regmix_runs() -> pd.DataFrame:
    """One row per released run: set, model size, nominal tokens, the file index, the 17 domain weights as written
    (rows sum to 0.996-1.003) and the 13 validation losses; then the 488 runs only the first commit released."""
    frames = []
    for set_name, size, tokens, mix_file, mix_sha, loss_file, loss_sha in REGMIX_SETS:
        mixture = _raw(f"{MIXTURE}/data/{mix_file}.csv", mix_sha)
        loss = _raw(f"{MIXTURE}/data/{loss_file}.csv", loss_sha)
        expected = ["index"] + [f"train_the_pile_{d}" for d in REGMIX_DOMAINS]
        if list(mixture.columns) != expected:
            raise SystemExit(f"mixture: {mix_file}.csv columns differ from the 17 domains SOURCE.md lists")
        mixture.columns = ["index"] + [f"w_{d}" for d in REGMIX_DOMAINS]
        loss.columns = ["index"] + [f"loss_{c.removeprefix('metric/the_pile_').removesuffix('_val_loss')}"
                                    for c in loss.columns[1:]]
        if list(loss.columns[1:]) != [f"loss_{d}" for d in REGMIX_LOSS_DOMAINS]:
            raise SystemExit(f"mixture: {loss_file}.csv columns differ from the 13 loss domains SOURCE.md lists")
        frames.append(_regmix_pair(mixture, loss, set_name + " " + size).assign(set=set_name, model=size,
                                                                               tokens_nominal=tokens))
    initial_mix = _raw(f"{MIXTURE}/data_initial_commit/tiny_config_1M_pile.csv",
                       "73a42dfa5a1250d4298ffc7642d9acd27516fa7cedc039ffae13e3bcd2e2a242")
    initial_loss = _raw(f"{MIXTURE}/data_initial_commit/tiny_wandb_1M_1000_pile_4B.csv",
                        "60c3db725574cdd66565092d4b75eaed32ab923230e75a9e08d45fb5580bbbd5")
    initial_mix.columns = ["index"] + [f"w_{d}" for d in REGMIX_DOMAINS]             # display names, same order
    initial_loss.columns = ["index"] + [f"loss_{d}" for d in REGMIX_LOSS_DOMAINS]
    initial = _regmix_pair(initial_mix, initial_loss, "initial commit")
    train = frames[0].set_index("index")
    first = initial[initial["index"] <= 512].set_index("index")[train.columns.drop(["set", "model", "tokens_nominal"])]
    if not np.allclose(first.to_numpy(float), train[first.columns].to_numpy(float), rtol=0, atol=1e-12):
        raise SystemExit("mixture: the initial commit's rows 1-512 differ from the released train set (SOURCE.md says equal)")
    frames.append(initial[initial["index"] > 512].assign(set="initial_extra", model="1M", tokens_nominal=1e9))
    out = pd.concat(frames, ignore_index=True)
    columns = ["set", "model", "tokens_nominal", "index"] + [f"w_{d}" for d in REGMIX_DOMAINS] + \
              [f"loss_{d}" for d in REGMIX_LOSS_DOMAINS]
    return out[columns]


def regmix_named_mixtures() -> pd.DataFrame:
    """The four named 1B mixtures of the paper's comparison (mixture_config/config_1b/*.yaml), one row each, the
    weights as the configs write them; no losses for them are released."""
    import yaml
    shas = {"regmix": "ce0a643b", "human": "7d52c33b", "doremi": "6fcf631e", "pile_cc_only": "8b086808"}
    rows = []
    for name, prefix in shas.items():
        path = SOURCES / MIXTURE / "mixture_config_1b" / f"{name}.yaml"
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if not actual.startswith(prefix):
            raise SystemExit(f"{path}: sha256 {actual} does not start with the {prefix} SOURCE.md records")
        train = yaml.safe_load(path.read_text())["train"]
        unknown = set(train) - {f"train_the_pile_{d}" for d in REGMIX_DOMAINS}
        if unknown:
            raise SystemExit(f"{path}: domains {sorted(unknown)} are not among the 17")
        rows.append({"mixture": name, **{f"w_{d}": float(train.get(f"train_the_pile_{d}", 0.0)) for d in REGMIX_DOMAINS}})
    return pd.DataFrame(rows)


FINETUNING = "finetuning"
# benchmark/*.csv as SOURCE.md records them (linhaowei1/Fine-tuning-Scaling-Law at 5214568, unchanged since b701235)
LIN_BENCHMARKS = {"flan": "ead24af8eaa97ac0507bbd76c4880eb09c6361e252f4971666ba55017215d1e9",
                  "gigaword": "7d0b08ef9df06eefb4355f859fb44e7860c1e55effd781d318d60a1f8661f2b3",
                  "wmt19": "523b044495f87c1f954c359fb489cf4e38f739c7fca8161d70665853fb2d293a"}
LIN_SIZES = [0] + [200 * 2 ** i for i in range(14)]           # 0 = the pre-trained model, not fine-tuned


def lin_curves() -> pd.DataFrame:
    """One row per (dataset, model, fine-tuning subset size): the measured test loss, as the files write it; the
    source row order is kept in file_row (Gigaword lists two models in another order)."""
    frames = []
    for dataset, sha in LIN_BENCHMARKS.items():
        raw = _raw(f"{FINETUNING}/benchmark/{dataset}.csv", sha)
        if list(raw.columns) != ["config name"] + [str(d) for d in LIN_SIZES] + ["size", "family"] or len(raw) != 30:
            raise SystemExit(f"finetuning: benchmark/{dataset}.csv: columns or row count differ from SOURCE.md")
        long = raw.melt(id_vars=["config name", "size", "family"], value_vars=[str(d) for d in LIN_SIZES],
                        var_name="D_examples", value_name="loss", ignore_index=False)
        frames.append(pd.DataFrame({"dataset": dataset, "model": long["config name"], "family": long["family"],
                                    "N_params": long["size"], "D_examples": long["D_examples"].astype(int),
                                    "loss": long["loss"], "file_row": long.index}))
    out = pd.concat(frames).sort_values(["dataset", "file_row", "D_examples"], kind="stable")
    if out["loss"].isna().any() or (out["loss"] <= 0).any():
        raise SystemExit("finetuning: a loss is missing or not positive")
    return out.reset_index(drop=True)


def lin_rmsd() -> pd.DataFrame:
    """The authors' in-sample RMSD in log loss of both laws per curve (results/rmsd.csv, the cache of their fig4())."""
    raw = _raw(f"{FINETUNING}/results/rmsd.csv", "4e8846f1f65b70b4aa2a41f88550c01c36538e80f011b0c58e962eb4bee08b65")
    if list(raw.columns) != ["dataset", "model", "our_rmsd_under_log", "vanilla_rmsd_under_log"] or len(raw) != 90:
        raise SystemExit("finetuning: results/rmsd.csv: columns or row count differ from SOURCE.md")
    return pd.DataFrame({"dataset": raw["dataset"].str.lower(), "model": raw["model"],
                         "rmsd_rectified": raw["our_rmsd_under_log"], "rmsd_vanilla": raw["vanilla_rmsd_under_log"]})


def lin_table1() -> pd.DataFrame:
    """The cells of the repository's Table 1 (results/tab1.txt, LaTeX): one row per (metric, budget ratio, dataset,
    method) with the printed percent and its mark (bold = best, underline = second)."""
    path = SOURCES / FINETUNING / "results" / "tab1.txt"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != "65e71d44d16d2dbe180014e0dd94c38e1d6009b315048eb407c1cdbaf133df51":
        raise SystemExit(f"{path}: sha256 {digest} differs from the one SOURCE.md records")
    lines = path.read_text().splitlines()
    header = next(line for line in lines if line.startswith(" & FLAN-AtS"))
    columns = [c.strip() for c in header.rstrip(" \\").split("&")[1:]]
    rows = []
    for line in lines:
        m = re.match(r"^\\textbf\{(PearCorr|RelAcc)\}-1/(\d+) & (.*) \\\\$", line)
        if not m:
            continue
        cells = [c.strip() for c in m.group(3).split("&")]
        if len(cells) != len(columns):
            raise SystemExit(f"{path}: row {line[:30]!r} has {len(cells)} cells, the header {len(columns)}")
        for column, cell in zip(columns, cells):
            mark = "bold" if cell.startswith("\\textbf") else "underline" if cell.startswith("\\underline") else ""
            value = float(re.sub(r"\\(textbf|underline)\{(.*)\}", r"\2", cell))
            dataset, method = column.split("-")
            rows.append({"metric": m.group(1), "ratio": int(m.group(2)), "dataset": dataset.lower(), "method": method,
                         "value_percent": value, "mark": mark})
    if len(rows) != 2 * 7 * 12:
        raise SystemExit(f"{path}: {len(rows)} cells read, 168 expected (2 metrics x 7 ratios x 12 columns)")
    return pd.DataFrame(rows)


def lin_selection_by_law() -> pd.DataFrame:
    """Selection by AtS and by the two fitted laws (results/different_law_for_selection.csv, the cache of tab2()):
    PearCorr and RelAcc as fractions rounded to 4 decimals; the VanillaFit rows are one draw of unseeded starts."""
    raw = _raw(f"{FINETUNING}/results/different_law_for_selection.csv",
               "a06ffbf674f3aae039cf54b6746bc550070e1220a4bbd8db75b1e1a6aa974385")
    expected = ["dataset", "ratio", "max_data_num", "predict_data_num", "metric", "method", "value"]
    if list(raw.columns) != expected or len(raw) != 126:
        raise SystemExit("finetuning: different_law_for_selection.csv: columns or row count differ from SOURCE.md")
    return pd.DataFrame({"dataset": raw["dataset"].str.lower(), "ratio": raw["ratio"], "budget": raw["max_data_num"],
                         "target_D": raw["predict_data_num"], "metric": raw["metric"], "method": raw["method"],
                         "value": raw["value"]})


SURVEY_TEXT = ("survey/sengupta2025_survey.txt", "debeb7b8916fa072155a8bb643cb217ebaf057c6b3af1eccbbec797b04830c4d")


def _survey_table(header: str, n_columns: int) -> list[list[str]]:
    """The rows of the survey's pipe table that starts with `header` (the extraction's text; the sha256 is this
    file's, computed when the book first used it: the folder's SOURCE.md records none)."""
    path = SOURCES / SURVEY_TEXT[0]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SURVEY_TEXT[1]:
        raise SystemExit(f"{path}: sha256 {digest} differs from the {SURVEY_TEXT[1]} the book built its tables from")
    lines = path.read_text().splitlines()
    start = lines.index(header) + 2                     # skip the header and the ---|--- line
    rows = []
    for line in lines[start:]:
        if " | " not in line or line.startswith("Paper |"):
            break
        cells = [c.strip() for c in line.rstrip("|").split("|")]
        rows.append((cells + [""] * n_columns)[:n_columns])
    return rows


def survey_laws() -> pd.DataFrame:
    """The survey's Table 10 (App. B): each law's dependent and scaling variables (the functional forms were lost in
    the text extraction), one row per paper as the table lists them."""
    rows = _survey_table("Paper | Dependent variable | Scaling variable | Functional form |", 3)
    if len(rows) != 40:
        raise SystemExit(f"survey: Table 10 has {len(rows)} rows in the text, 40 expected")
    return pd.DataFrame([{"row": i + 1, "paper": r[0], "dependent_variable": r[1], "scaling_variables": r[2]}
                         for i, r in enumerate(rows)])


def survey_reproducibility() -> pd.DataFrame:
    """The survey's Table 11 (App. C): whether each paper released training and analysis code, as the table marks it
    (Y/N); the table's links were lost in the extraction."""
    rows = _survey_table("Paper | Training code | Analysis code | Github link |", 4)
    if len(rows) != 45 or any(r[1] not in "YN" or r[2] not in "YN" for r in rows):
        raise SystemExit(f"survey: Table 11 has {len(rows)} rows (45 expected) or a mark other than Y/N")
    return pd.DataFrame([{"row": i + 1, "paper": r[0], "training_code": r[1] == "Y", "analysis_code": r[2] == "Y",
                          "link_listed": r[3] == "Link"} for i, r in enumerate(rows)])


BUILDERS = {"chinchilla_fig4": ("chinchilla/hoffmann2022_fig4_points.csv", chinchilla_fig4),
            "brown_pythia_math": ("brown/pythia_math_correct_counts.csv", brown_pythia_math),
            "muennighoff_runs": ("muennighoff/datablations_c4_runs.csv", muennighoff_runs),
            "clark_routed_runs": ("clark/clark2022_routed_lm_runs.csv", clark_routed_runs),
            "bnsl_four_digit_addition": ("bnsl/four_digit_addition.csv", bnsl_four_digit_addition),
            "bnsl_benchmark": ("bnsl/revisiting_benchmark_curves.csv", bnsl_benchmark),
            "porian_isoflop_points": ("kaplan/porian_isoflop_points.csv", porian_isoflop_points),
            "gpt3_curves": ("kaplan/gpt3_digitised_curves.csv", gpt3_curves),
            "misfitting_final": ("kaplan/misfitting_final_checkpoints.csv", misfitting_final),
            "gadre_runs": ("overtraining/gadre2024_runs.csv", gadre_runs),
            "gadre_task_accuracy": ("overtraining/gadre2024_task_accuracy.csv", gadre_task_accuracy),
            "gadre_tasks": ("overtraining/gadre2024_tasks.csv", gadre_tasks),
            "ladder_checkpoints": ("taskladder/bhagia2024_checkpoints.csv", ladder_checkpoints),
            "choshen_curves": ("hitchhiker/choshen2024_learning_curves.csv", choshen_curves),
            "choshen_figure_cells": ("hitchhiker/choshen2024_figure_cells.csv", choshen_figure_cells),
            "regmix_runs": ("mixture/regmix_runs.csv", regmix_runs),
            "regmix_named_mixtures": ("mixture/regmix_named_mixtures.csv", regmix_named_mixtures),
            "lin_curves": ("finetuning/lin2024_curves.csv", lin_curves),
            "lin_rmsd": ("finetuning/lin2024_rmsd.csv", lin_rmsd),
            "lin_table1": ("finetuning/lin2024_table1_repository.csv", lin_table1),
            "lin_selection_by_law": ("finetuning/lin2024_selection_by_law.csv", lin_selection_by_law),
            "survey_laws": ("survey/sengupta2025_table10_laws.csv", survey_laws),
            "survey_reproducibility": ("survey/sengupta2025_table11_code.csv", survey_reproducibility)}


def render(name: str) -> bytes:
    _, builder = BUILDERS[name]
    buf = io.StringIO()
    builder().to_csv(buf, index=False, lineterminator="\n")  # shortest round-trip floats
    return buf.getvalue().encode()


def write_checksum(manifest_text: str, name: str, rows: int, sha256: str) -> str:
    """The manifest with dataset `name`'s own `rows:` and `sha256:` lines (4-space indent, not the source's
    sha256 at 6 spaces) set to the built file's; every other line, comments included, is kept."""
    lines = manifest_text.splitlines(keepends=True)
    try:
        start = next(i for i, line in enumerate(lines) if line.rstrip() == f"  {name}:")
    except StopIteration:
        raise SystemExit(f"data/manifest.yaml has no entry '{name}': write its provenance entry first "
                         f"(see CONTRIBUTING.md), then run scripts/build_data.py {name} again") from None
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^  \S", lines[i])), len(lines))
    found = set()
    for i in range(start + 1, end):
        for key, value in (("rows", str(rows)), ("sha256", sha256)):
            if re.match(rf"^    {key}:", lines[i]):
                lines[i] = f"    {key}: {value}\n"
                found.add(key)
    missing = {"rows", "sha256"} - found
    if missing:
        raise SystemExit(f"data/manifest.yaml: entry '{name}' has no {sorted(missing)} line; add "
                         f"'    rows: 0' and '    sha256: none' to it and run again")
    return "".join(lines)


def main(names: list[str]) -> None:
    unknown = [n for n in names if n not in BUILDERS]
    if unknown:
        raise SystemExit(f"unknown dataset(s) {unknown}; scripts/build_data.py builds {sorted(BUILDERS)}")
    manifest = ROOT / "data" / "manifest.yaml"
    text = manifest.read_text()
    for name in names or sorted(BUILDERS):
        rel, _ = BUILDERS[name]
        data = render(name)
        target = ROOT / "data" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        rows = data.count(b"\n") - 1
        sha = hashlib.sha256(data).hexdigest()
        text = write_checksum(text, name, rows, sha)
        print(f"{name}: data/{rel}  rows {rows}  sha256 {sha}")
    manifest.write_text(text)
    print("data/manifest.yaml: rows and sha256 written")


if __name__ == "__main__":
    main(sys.argv[1:])
