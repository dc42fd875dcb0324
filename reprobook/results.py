"""What a chapter leaves behind when it executes: its check rows and its reproduced fits, as JSON.

Each chapter ends with `reprobook.chapter.finish_chapter(...)`, which calls `save_results(chapter, checks, fits)`
and so writes results/<chapter>.json.
The scorecard and the "How to cite" page are built from these files (never typed), and the fit
export (fits.json / fits.csv in the built book) is assembled from them by scripts/export_fits.py.

A results file records the sha256 of the chapter's code cells, of the sources of scalinglib and of the book
package, of the data manifest and of the published constants it ran with; `load_results` refuses a file whose fingerprint no longer matches the
checkout (stale: the chapter must be executed again), or a chapter that has none (missing).
"""
from __future__ import annotations

import ast
import hashlib
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from scalinglib import __version__
from scalinglib.errors import InputError

from .check import count_statuses
from .data import entry
from .errors import StaleResults
from .paths import COMMITTED_RESULTS, ROOT, results_dir, toc_files

FORMAT = 2
FINISH_CALL = "finish_chapter("      # a chapter whose code calls this saves a results file


def _sha256(parts: list[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _package_sha256(root: Path, package: str) -> str:
    files = sorted((root / package).rglob("*.py"))
    return _sha256([str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() for p in files])


def notebook_parameters(cells: list) -> dict:
    """The defaults of a notebook's parameters cell (tagged 'parameters'): name -> literal value."""
    out = {}
    for cell in cells:
        if cell["cell_type"] == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            for node in ast.parse("".join(cell["source"])).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    out[node.targets[0].id] = ast.literal_eval(node.value)
    return out


def chapter_fingerprint(chapter: str, root: Path = ROOT, parameters: dict | None = None) -> dict:
    """What a chapter's numbers depend on: the sha256 of its code cells, of the .py files of scalinglib and of the
    book package, of the data manifest and of the published constants; and its parameters (`parameters`, the values
    a run used; default: the notebook's own defaults, which is what a committed results file must have)."""
    path = root / "chapters" / f"{chapter}.ipynb"
    if not path.exists():
        raise InputError(f"chapter {chapter!r}: {path} does not exist")
    cells = json.loads(path.read_text())["cells"]
    code = ["".join(c["source"]).encode() for c in cells if c["cell_type"] == "code"]
    defaults = notebook_parameters(cells)
    return {"parameters": defaults if parameters is None else {**defaults, **parameters},
            "chapter_code_sha256": _sha256(code),
            "scalinglib_sha256": _package_sha256(root, "scalinglib"),
            "reprobook_sha256": _package_sha256(root, "reprobook"),
            "data_manifest_sha256": _sha256([(root / "data" / "manifest.yaml").read_bytes()]),
            "published_sha256": _sha256([(root / "data" / "published.yaml").read_bytes()])}


@dataclass
class FitRecord:
    """One reproduced fit, citable by its stable `id` (e.g. "chinchilla/approach3/epoch-points")."""
    id: str
    chapter: str
    paper: str                      # BibTeX key of the paper whose law this is (references.bib)
    law: str                        # the fitted functional form, in words or as a scalinglib law name
    parameters: dict                # name -> value
    dataset: str                    # data/manifest.yaml name
    rows: str                       # which rows of the dataset were fitted, in words
    n_points: int
    objective: str                  # loss, residual space, reduction
    method: str                     # optimiser and starts
    intervals: dict = field(default_factory=dict)   # name -> [lo, hi]
    interval_method: str = ""       # e.g. "95% percentile bootstrap, 4000 resamples, seed 0"; or why none
    dataset_sha256: str = ""        # filled from the manifest
    note: str = ""

    def __post_init__(self):
        if not self.id or self.id != self.id.strip() or " " in self.id or not self.id.startswith(f"{self.chapter}/"):
            raise InputError(f"fit id {self.id!r}: ids are '<chapter>/<what>/<data>' without spaces, "
                             f"starting with the chapter name {self.chapter!r}")
        self.parameters = {k: _finite(f"fit {self.id}: parameter {k}", v) for k, v in self.parameters.items()}
        if not self.parameters:
            raise InputError(f"fit {self.id}: no parameters")
        self.intervals = {k: [_finite(f"fit {self.id}: interval of {k}", lo), _finite(f"fit {self.id}: interval of {k}", hi)]
                          for k, (lo, hi) in self.intervals.items()}
        unknown = set(self.intervals) - set(self.parameters)
        if unknown:
            raise InputError(f"fit {self.id}: intervals for parameters it does not have: {sorted(unknown)}")
        if not self.interval_method:
            raise InputError(f"fit {self.id}: say how the intervals were computed, or why there are none")
        self.dataset_sha256 = entry(self.dataset)["sha256"]


def _finite(what: str, value) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise InputError(f"{what} is {value}")
    return value


def fit_record(id: str, chapter: str, paper: str, result, dataset: str, rows: str, *, parameters: dict | None = None,
               bootstrap=None, interval_names: list[str] | dict | None = None, note: str = "") -> FitRecord:
    """A FitRecord from a scalinglib FitResult (and optionally its Bootstrap, for 95% intervals)."""
    params = parameters if parameters is not None else result.natural
    if isinstance(interval_names, dict):          # parameter -> the bootstrap's name for it (e.g. "R_D*": "rd_star")
        names = interval_names
    else:
        names = {k: k for k in (interval_names if interval_names is not None else params)
                 if bootstrap and k in bootstrap.samples}
    intervals = {k: list(bootstrap.interval(sample)) for k, sample in names.items()} if bootstrap else {}
    how = (f"95% percentile bootstrap, {bootstrap.n_resamples} resamples, seed {bootstrap.seed}" if bootstrap
           else "none: no bootstrap for this fit in the chapter")
    return FitRecord(id=id, chapter=chapter, paper=paper, law=result.law.name, parameters=params, dataset=dataset,
                     rows=rows, n_points=result.problem.n_points, objective=result.objective_text(),
                     method=result.optimizer_text(), intervals=intervals, interval_method=how, note=note)


def save_results(chapter: str, checks, fits: list[FitRecord], parameters: dict | None = None) -> Path:
    """Write <results_dir>/<chapter>.json: the check rows, their counts, the fits and the chapter's fingerprint
    (with the parameters this run used)."""
    if checks.chapter != chapter:
        raise InputError(f"save_results({chapter!r}): the check table belongs to chapter {checks.chapter!r}")
    ids = [f.id for f in fits]
    if len(set(ids)) != len(ids):
        raise InputError(f"save_results({chapter!r}): duplicate fit ids {sorted(i for i in ids if ids.count(i) > 1)}")
    wrong = [f.id for f in fits if f.chapter != chapter]
    if wrong:
        raise InputError(f"save_results({chapter!r}): fits from another chapter: {wrong}")
    payload = {"format": FORMAT, "chapter": chapter, "scalinglib_version": __version__,
               "fingerprint": chapter_fingerprint(chapter, parameters=parameters), "counts": checks.counts(),
               "summary": checks.render().splitlines()[-1], "checks": _check_records(checks),
               "fits": [asdict(f) for f in fits]}
    payload["content_sha256"] = content_digest(payload)
    out = results_dir() / f"{chapter}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=1, allow_nan=False) + "\n")
    return out


def content_digest(payload: dict) -> str:
    """sha256 of a results payload without its own digest (canonical JSON): an edited value no longer matches."""
    body = {k: v for k, v in payload.items() if k != "content_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, allow_nan=False).encode()).hexdigest()


def _check_records(checks) -> list[dict]:
    """to_records() plus the row as the chapter prints it (text), so the scorecard shows the same strings."""
    shown = checks.frame().to_dict("records")
    return [{**rec, "text": {k: str(v) for k, v in row.items()}} for rec, row in zip(checks.to_records(), shown)]


def result_chapters(root: Path = ROOT) -> list[str]:
    """Chapters in _toc.yml whose notebook saves results (its code calls finish_chapter), in book order."""
    notebooks = [root / f"{f}.ipynb" for f in toc_files(root) if f.startswith("chapters/")]
    return [p.stem for p in notebooks if p.exists() and FINISH_CALL in p.read_text()]


def load_all(root: Path = ROOT) -> list[dict]:
    """Every chapter's results, in book order; raises StaleResults naming each missing or stale file."""
    loaded, problems = [], []
    for chapter in result_chapters(root):
        try:
            loaded.append(load_results(chapter, root=root))
        except StaleResults as exc:
            problems.append(str(exc))
    if problems:
        raise StaleResults("\n".join(problems))
    return loaded


def load_results(chapter: str, folder: Path | None = None, root: Path = ROOT) -> dict:
    """A chapter's committed results (results/<chapter>.json), refused if missing or stale (written by other
    code or data than this checkout's)."""
    path = Path(folder or COMMITTED_RESULTS) / f"{chapter}.json"
    if not path.exists():
        raise StaleResults(f"{path} is missing: execute the chapter (make book, or "
                           f"python scripts/execute_chapters.py {chapter})")
    try:
        payload = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise StaleResults(f"{path} is not valid JSON ({exc}); execute the chapter again "
                           f"(python scripts/execute_chapters.py {chapter})") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT or payload.get("chapter") != chapter:
        raise StaleResults(f"{path}: not a format-{FORMAT} results file of chapter {chapter!r}; execute it again")
    missing = [k for k in ("fingerprint", "counts", "checks", "fits", "content_sha256") if k not in payload]
    if missing:
        raise StaleResults(f"{path} lacks {missing}; execute the chapter again")
    if payload["content_sha256"] != content_digest(payload):
        raise StaleResults(f"{path} was edited after the chapter wrote it (its content digest does not match); "
                           f"results files are written only by executing the chapter")
    recount = count_statuses(c["status"] for c in payload["checks"])
    if recount != payload["counts"]:
        raise StaleResults(f"{path}: counts {payload['counts']} do not match its rows {recount}")
    now = chapter_fingerprint(chapter, root)
    changed = [k for k, v in now.items() if payload["fingerprint"].get(k) != v]
    if "parameters" in changed:
        raise StaleResults(f"{path} was written with parameters {payload['fingerprint'].get('parameters')}, but the "
                           f"chapter's defaults are {now['parameters']}; committed results come from the defaults "
                           f"(python scripts/execute_chapters.py {chapter})")
    if changed:
        raise StaleResults(f"{path} is stale: {', '.join(changed)} changed since chapter {chapter!r} last executed; "
                           f"execute it again (python scripts/execute_chapters.py {chapter})")
    return payload
