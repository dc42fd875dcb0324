"""The `scalinglib` command: fit your own runs with the book's engine (a thin layer over scalinglib.workbench).

Exit codes: 0 done; 1 the fit failed (no start reached a finite objective); 2 a bad command line, file, column or
option (the message says which and what to do).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import sys
from pathlib import Path

import numpy as np

from . import __version__
from .errors import FitFailed, ScalingLibError
from .inputs import require_number
from .laws import get_law, known_laws
from .published import compare, published_set, sets_for_law
from . import workbench as wb

EXIT_OK, EXIT_FIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class CliError(ScalingLibError):
    """A command-line value that cannot be used (exit code 2)."""


# --- small helpers ------------------------------------------------------------------------------------------------
def pairs(items: list[str] | None, option: str, numbers: bool = False) -> dict:
    """['N=params', 'D=tokens'] -> {'N': 'params', 'D': 'tokens'} (values as floats with numbers=True)."""
    out = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name or not value:
            raise CliError(f"{option} {item!r}: write NAME=VALUE, e.g. {option} N=params")
        if name in out:
            raise CliError(f"{option}: {name!r} is given twice")
        if numbers:
            try:
                out[name] = float(value)
            except ValueError:
                raise CliError(f"{option} {item!r}: {value!r} is not a number") from None
        else:
            out[name] = value
    return out


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def writable(path: str, force: bool) -> Path | None:
    """The output path, refused if it exists (unless --force): a re-run never overwrites a file silently."""
    if path in (None, "-"):
        return None
    target = Path(path)
    if target.exists() and not force:
        raise CliError(f"{target} exists; choose another path or pass --force to overwrite it")
    if not target.parent.exists():
        raise CliError(f"the folder of {target} does not exist")
    return target


def fmt(value: float) -> str:
    if value is None or not math.isfinite(value):
        return str(value)
    return f"{value:.6g}"


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


class Progress:
    """A one-line progress bar on stderr, for the bootstrap."""

    def __init__(self, label: str, enabled: bool):
        self.label, self.enabled = label, enabled

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        filled = int(30 * done / total)
        end = "\n" if done >= total else ""
        print(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", end=end, file=sys.stderr,
              flush=True)


# --- commands ----------------------------------------------------------------------------------------------------
def cmd_laws(args) -> int:
    names = [args.name] if args.name else known_laws()
    laws = [get_law(n) for n in names]
    if args.json:
        print(json.dumps([{
            "name": law.name, "title": law.title, "equation": law.equation, "parameters": list(law.params),
            "variables": list(law.variables), "source": law.source,
            "objective": wb.paper_objective(law)[0], "objective_source": wb.paper_objective(law)[1],
            "published_sets": [s.name for s in sets_for_law(law.name)]} for law in laws], indent=1))
        return EXIT_OK
    for law in laws:
        sets = ", ".join(s.name for s in sets_for_law(law.name)) or "none"
        if not args.name:
            print(f"{law.name:<24} {law.title}  [published sets: {sets}]")
            continue
        objective, where = wb.paper_objective(law)
        print(f"{law.name}: {law.title}\n  formula     {law.equation}\n  variables   {', '.join(law.variables)}"
              f"\n  parameters  {', '.join(law.params)} (fitted); printed as natural constants"
              f"\n  source      {law.source or '-'}\n  objective   {objective} ({where})"
              f"\n  start grid  {len(wb.default_starts(law))} starts\n  published   {sets}")
    return EXIT_OK


def fit_settings(args) -> dict:
    objective = {"loss": args.loss, "delta": args.delta, "residual_space": args.residual_space,
                 "reduction": args.reduction}
    fixed = pairs(args.fixed, "--fixed", numbers=True)
    starts = None if args.starts is None else wb.random_starts(args.law, args.starts, args.seed, fixed)
    return {"fixed": fixed or None, "starts": starts, **objective}


def cmd_fit(args) -> int:
    json_path = writable(args.json, args.force) if args.json else None
    figure_path = writable(args.figure, args.force) if args.figure else None
    if figure_path and not has_module("matplotlib"):          # say so before a long fit, not after it
        raise CliError("--figure needs matplotlib: pip install matplotlib (or scalinglib[figures])")
    if args.bootstrap and args.bootstrap < 2:
        raise CliError(f"--bootstrap {args.bootstrap}: give at least 2 resamples (200 or more for 95% intervals)")
    if args.compare:
        set_for_law(args.compare, get_law(args.law).name)       # an unknown set fails now, not after the fit
    frame = wb.read_table(args.file)
    columns = pairs(args.x, "--x")
    settings = fit_settings(args)
    result = wb.fit_table(args.law, frame, columns, args.y, source=f"file {args.file!r}", **settings)
    boot = None
    if args.bootstrap:
        boot = wb.bootstrap_fit(result, args.bootstrap, args.seed,
                                progress=Progress("bootstrap", args.progress or sys.stderr.isatty()))
    paper = wb.paper_objective(result.law)[1]
    chosen = [f"--{k.replace('_', '-')} {settings[k]}" for k in ("loss", "delta", "residual_space", "reduction")
              if settings[k] is not None]
    note = f"set on the command line ({', '.join(chosen)}); the paper's: {paper}" if chosen else paper
    record = wb.fit_record(result, boot, args.file, frame, columns, args.y, note)
    if json_path:
        json_path.write_text(json.dumps(record, indent=1, allow_nan=False) + "\n")
    if args.json == "-":
        print(json.dumps(record, indent=1, allow_nan=False))
    else:
        print_fit(result, boot, record)
        if args.compare:
            print()
            print_comparison(args.compare, record)
        if json_path:
            print(f"\nwrote {json_path}")
    if figure_path:
        draw(result, figure_path)
        if args.json != "-":
            print(f"wrote {figure_path}")
    return EXIT_OK


def print_fit(result, boot, record) -> None:
    law = result.law
    print(f"law        {law.name}: {law.title}\n           {law.equation}")
    print(f"data       {record['dataset']}: {record['n_points']} points; columns {record['columns']}")
    print(f"objective  {result.objective_text()}  ({record['note']})")
    print(f"optimiser  {result.optimizer_text()}; {result.n_best_basin} of {len(result.starts)} starts in the best "
          f"basin; best start stopped by {record['best_start_stopped_by']}")
    print(f"best objective {fmt(result.objective)}\n")
    rows = []
    for name, value in record["parameters"].items():
        lo, hi = record["intervals"].get(name, (None, None))
        rows.append([name, fmt(value), "" if lo is None else fmt(lo), "" if hi is None else fmt(hi)])
    if boot is not None:
        for name, label in (("a", "a (N_opt ~ C^a)"), ("b", "b (D_opt ~ C^b)")):
            if name in boot.samples:
                lo, hi = boot.interval(name)
                rows.append([label, fmt(boot.estimate[name]), fmt(lo), fmt(hi)])
    print(table(rows, ["parameter", "estimate", "95% lower", "95% upper"]))
    if boot is not None:
        print(f"\nintervals: {record['interval_method']}; {boot.n_not_converged} resample fit(s) stopped before "
              f"converging")


def set_for_law(set_name: str, law: str):
    """The published set, refused if it holds another law's constants."""
    pset = published_set(set_name)
    if law != pset.law:
        raise CliError(f"published set {set_name!r} holds constants of law {pset.law!r}; this fit is of law "
                       f"{law!r}. Sets for it: {[s.name for s in sets_for_law(law)] or 'none'}")
    return pset


def print_comparison(set_name: str, record: dict) -> None:
    pset = set_for_law(set_name, record["law"])
    rows = compare(set_name, record["parameters"], record.get("intervals"))
    print(f"compared with {pset.title} ({set_name})\nrule: reproduced when it {pset.rule}; not determined when "
          f"its 95% interval spans over a decade or holds 0")
    print(table([[r["parameter"], fmt(r["fitted"]), "" if r["interval"] is None else
                  f"[{fmt(r['interval'][0])}, {fmt(r['interval'][1])}]", r["published"], r["verdict"], r["location"]]
                 for r in rows], ["parameter", "fitted", "95% interval", "published", "verdict", "where printed"]))


def read_record(path: str) -> dict:
    try:
        record = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise CliError(f"fit file {path!r} does not exist; write one with `scalinglib fit ... --json {path}`") from None
    except json.JSONDecodeError as exc:
        raise CliError(f"fit file {path!r} is not JSON ({exc})") from None
    if not isinstance(record, dict) or "law" not in record or "parameters" not in record:
        raise CliError(f"fit file {path!r} is not a fit record (no 'law' and 'parameters'); write one with "
                       f"`scalinglib fit ... --json`")
    return record


def cmd_compare(args) -> int:
    record = read_record(args.fit)
    if args.json:
        print(json.dumps(compare(args.set, record["parameters"], record.get("intervals")), indent=1))
    else:
        print_comparison(args.set, record)
    return EXIT_OK


def cmd_optimal(args) -> int:
    if (args.fit is None) == (args.published is None):
        raise CliError("give a fit file (scalinglib optimal FIT.json ...) or --published SET, not both")
    budgets = [require_number("--flops", f, minimum=0, strict=True) for f in args.flops]
    if args.fit:
        record = read_record(args.fit)
        constants, samples, what = record["parameters"], record.get("bootstrap_samples"), args.fit
    else:
        pset = published_set(args.published)
        constants = {k: pub.value for k, (pub, _) in pset.entries().items()}
        samples, what = None, pset.title
    frame = wb.optimal_allocation(constants, budgets, samples)
    if args.json:
        print(frame.to_json(orient="records", indent=1))
        return EXIT_OK
    print(f"compute-optimal allocation (C = 6 N D, Hoffmann et al. Eq. 4) from {what}")
    cols = list(frame.columns)
    print(table([[fmt(v) for v in row] for row in frame.itertuples(index=False)], cols))
    return EXIT_OK


def cmd_backtest(args) -> int:
    frame = wb.read_table(args.file)
    out = wb.backtest(args.law, frame, pairs(args.x, "--x"), args.y, args.by, largest=args.largest,
                      source=f"file {args.file!r}", **fit_settings(args))
    held = [[str(r), fmt(o), fmt(p), f"{100 * (p / o - 1):+.2f}%"]
            for r, o, p in zip(out["held_rows"], out["observed"], out["predicted"])]
    if args.json:
        print(json.dumps({k: v for k, v in out.items() if k != "fit"} | {"parameters": out["fit"].natural},
                         indent=1, default=lambda v: np.asarray(v).tolist()))
        return EXIT_OK
    print(f"fitted on {out['fit'].problem.n_points} rows; held out the {len(held)} row(s) at the {args.largest} "
          f"largest value(s) of {args.by!r}")
    print(table(held, [frame.index.name or "row", "observed", "predicted", "error"]))
    print(f"\nheld-out mean |log error| {fmt(out['held-out mean |log error|'])}; in-sample "
          f"{fmt(out['in-sample mean |log error|'])}")
    return EXIT_OK


def draw(result, path: Path) -> None:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise CliError("--figure needs matplotlib: pip install matplotlib (or scalinglib[figures])") from None
    p = result.problem
    first = result.law.variables[0]
    pred = result.predict(p.x)
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.5, 3.6))
    left.loglog(pred, p.y, "o", ms=4)
    lims = [min(pred.min(), p.y.min()), max(pred.max(), p.y.max())]
    left.plot(lims, lims, "k--", lw=0.8)
    left.set(xlabel="predicted", ylabel="observed", title=f"{result.law.name}: observed vs predicted")
    right.semilogx(p.x[first], result.residuals(), "o", ms=4)
    right.axhline(0, color="k", lw=0.8)
    right.set(xlabel=first, ylabel=f"residual ({p.residual_space})", title="residuals")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --- the parser ----------------------------------------------------------------------------------------------------
def add_objective_options(p) -> None:
    g = p.add_argument_group("objective (default: the law's paper's; see `scalinglib laws LAW`)")
    g.add_argument("--loss", choices=["huber", "squared", "absolute"], help="loss on each residual")
    g.add_argument("--delta", type=float, help="Huber delta")
    g.add_argument("--residual-space", choices=["log", "log1p", "linear"], help="where residuals are taken")
    g.add_argument("--reduction", choices=["sum", "mean"], help="sum or average over points")
    g.add_argument("--fixed", action="append", metavar="PARAM=VALUE", help="hold a parameter fixed (repeatable)")
    g.add_argument("--starts", type=int, metavar="N",
                   help="N random starts in the box of the law's start grid (default: the grid itself)")
    g.add_argument("--seed", type=int, default=0, help="numpy seed of random starts and bootstrap (default 0)")


def add_data_options(p) -> None:
    p.add_argument("law", help="a law name (scalinglib laws lists them)")
    p.add_argument("file", help="a .csv, .tsv or .parquet file, one row per run")
    p.add_argument("--x", action="append", required=True, metavar="VAR=COLUMN",
                   help="map a variable of the law to a column (once per variable), e.g. --x N=params")
    p.add_argument("--y", required=True, metavar="COLUMN", help="the column to fit (e.g. the final loss)")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="scalinglib", description="Fit neural scaling laws to your own runs with the engine of 'Scaling Laws, "
        "Reproduced', and compare them with the papers' published constants.",
        epilog="exit codes: 0 done, 1 the fit failed, 2 bad command line, file, column or option. "
               "`scalinglib COMMAND --help` describes each command.")
    top.add_argument("--version", action="version", version=f"scalinglib {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("laws", help="list the laws, or describe one", description="List the registered laws with "
                       "the published constant sets the book holds, or describe one law: formula, parameters, the "
                       "objective its paper fits with.")
    p.add_argument("name", nargs="?", help="a law to describe")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=cmd_laws)

    p = sub.add_parser("fit", help="fit a law to a table of runs", description="Fit a law to the rows of a CSV, TSV "
                       "or Parquet file, by default with the objective of the law's paper and the law's start grid; "
                       "print the constants with bootstrap intervals, the objective and how many starts reached the "
                       "best basin.")
    add_data_options(p)
    add_objective_options(p)
    p.add_argument("--bootstrap", type=int, default=0, metavar="R", help="R bootstrap resamples for 95%% intervals")
    p.add_argument("--compare", metavar="SET", help="compare with a published set (scalinglib laws LAW names them)")
    p.add_argument("--json", metavar="PATH", help="write the fit record (the book's fits.json schema); - prints it")
    p.add_argument("--figure", metavar="PATH", help="draw observed vs predicted and the residuals (PNG, needs "
                   "matplotlib)")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    p.add_argument("--progress", action="store_true", help="show the bootstrap progress bar even when stderr is "
                   "not a terminal")
    p.set_defaults(run=cmd_fit)

    p = sub.add_parser("compare", help="compare a fit with a paper's constants", description="Compare a fit record "
                       "(written by `scalinglib fit --json`) with a published set under the book's rule.")
    p.add_argument("fit", help="a fit record (JSON)")
    p.add_argument("set", help="a published set, e.g. hoffmann2022/eq10")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=cmd_compare)

    p = sub.add_parser("optimal", help="compute-optimal model size and tokens for a budget",
                       description="Compute-optimal N and D (C = 6 N D) for the Chinchilla form, from a fit record "
                       "(with intervals if it holds bootstrap samples) or a published set.")
    p.add_argument("fit", nargs="?", help="a fit record of law chinchilla (JSON)")
    p.add_argument("--published", metavar="SET", help="use a published set instead of a fit")
    p.add_argument("--flops", type=float, nargs="+", required=True, metavar="C", help="compute budgets in FLOPs")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=cmd_optimal)

    p = sub.add_parser("backtest", help="leave-largest-out check of a fit", description="Fit on every row but those "
                       "with the largest values of a column, predict the held-out rows, report the errors.")
    add_data_options(p)
    add_objective_options(p)
    p.add_argument("--by", required=True, metavar="COLUMN", help="the column that orders the runs (e.g. compute)")
    p.add_argument("--largest", type=int, default=1, metavar="K", help="hold out the K largest values (default 1)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=cmd_backtest)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:          # output piped into `head` and the like: stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except FitFailed as exc:
        print(f"scalinglib {args.command}: the fit failed: {exc}", file=sys.stderr)
        return EXIT_FIT_FAILED
    except ScalingLibError as exc:
        print(f"scalinglib {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
