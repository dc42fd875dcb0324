"""Book structure: the table of contents, citations, glue and check cells of every chapter."""
import importlib.util
import json
import re
from pathlib import Path

import pytest

from reprobook.paths import BOOK_WIDE_PAGES
from reprobook.published import all_published

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("execute_chapters", ROOT / "scripts" / "execute_chapters.py")
execute_chapters = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(execute_chapters)

TOC = execute_chapters.toc_files()
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
BOOK_WIDE = {Path(p).name for p in BOOK_WIDE_PAGES}   # pages generated from the chapters' results, no checks of their own
REPORTS = [c for c in CHAPTERS if c.stem not in BOOK_WIDE]
PAGES = [p for f in TOC for p in (ROOT / f"{f}.md", ROOT / f"{f}.ipynb") if p.exists()]


def page_text(path: Path) -> str:
    if path.suffix == ".md":
        return path.read_text()
    nb = json.loads(path.read_text())
    return "\n".join("".join(c["source"]) for c in nb["cells"])


def test_every_toc_entry_exists():
    missing = [f for f in TOC if not ((ROOT / f"{f}.md").exists() or (ROOT / f"{f}.ipynb").exists())]
    assert not missing, f"_toc.yml lists pages that do not exist: {missing}"


def test_every_chapter_is_in_the_toc():
    listed = {f for f in TOC}
    assert [c.name for c in CHAPTERS if f"chapters/{c.stem}" not in listed] == []


def test_every_citation_key_exists_in_references_bib():
    keys = set(re.findall(r"@\w+\{([^,]+),", (ROOT / "references.bib").read_text()))
    cited = {k.strip() for p in PAGES for group in re.findall(r"\{cite[pt]?\}`([^`]+)`", page_text(p))
             for k in group.split(",")}
    assert cited, "no page cites anything"
    assert not cited - keys, f"cited but not in references.bib: {sorted(cited - keys)}"


@pytest.mark.parametrize("chapter", REPORTS, ids=lambda p: p.stem)
def test_chapter_has_one_stored_check_cell_and_saves_results(chapter):
    nb = json.loads(chapter.read_text())
    checks = [c for c in nb["cells"] if c["cell_type"] == "code" and "# NBVAL_CHECK_OUTPUT" in "".join(c["source"])]
    assert len(checks) == 1, "each chapter has exactly one reproduction-check cell marked NBVAL_CHECK_OUTPUT"
    assert ".show()" in "".join(checks[0]["source"])
    printed = "".join("".join(o.get("text", "")) for o in checks[0].get("outputs", [])
                      if o.get("output_type") == "stream")
    assert "checks:" in printed, "the check cell has no stored output to compare"
    assert any(f"finish_chapter({chapter.stem!r}" in "".join(c["source"]).replace('"', "'") for c in nb["cells"]), \
        "the chapter does not save its results for the scorecard (reprobook.chapter.finish_chapter)"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_page_glues_what_it_quotes(chapter):
    nb = json.loads(chapter.read_text())
    assert not any(o.get("output_type") == "error" for c in nb["cells"] for o in c.get("outputs", []))
    glue_outputs = [o for c in nb["cells"] for o in c.get("outputs", [])
                    if "scrapbook" in o.get("metadata", {})]
    glued = {o["metadata"]["scrapbook"]["name"] for o in glue_outputs}
    referenced = set(re.findall(r"\{glue:text\}`(\w+)", page_text(chapter)))
    assert not referenced - glued, f"prose quotes values that the executed chapter never glued: {sorted(referenced - glued)}"
    reprs = [o for o in glue_outputs if "np." in "".join(next(iter(o["data"].values())))]
    assert not reprs, "glued NumPy reprs cannot be formatted; glue Python numbers (reprobook.glue.glue)"
    # a reference closed by two backticks, or not closed on its line, is printed as raw markup in the book
    broken = MALFORMED_GLUE.findall(page_text(chapter))
    assert not broken, f"malformed glue references (printed raw in the book): {broken[:3]}"


MALFORMED_GLUE = re.compile(r"\{glue:text\}`[^`\n]*(?:``|\n)")


def test_the_malformed_glue_pattern_catches_what_it_should():
    assert MALFORMED_GLUE.findall("ratio {glue:text}`lo:.1f`` to") and MALFORMED_GLUE.findall("at {glue:text}`x:.0f}%\n")
    assert not MALFORMED_GLUE.findall("from {glue:text}`lo:.1f` to {glue:text}`hi:.1f` times")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_quotes_only_published_ids_that_exist(chapter):
    known = set(all_published())
    literal_ids = set(re.findall(r"published\(\s*[\"']([^\"'{}]+)[\"']\s*\)", page_text(chapter)))
    assert not literal_ids - known, f"unknown published ids: {sorted(literal_ids - known)}"


def opening_boxes(chapter: Path) -> dict[str, str]:
    """The admonitions of a chapter's first cell, by title."""
    first = "".join(json.loads(chapter.read_text())["cells"][0]["source"])
    return dict(re.findall(r"```\{admonition\} ([^\n]+)\n(.*?)```", first, flags=re.S))


def parameters(chapter: Path) -> dict[str, str]:
    """Names and default values of the chapter's papermill parameters cell."""
    cells = [c for c in json.loads(chapter.read_text())["cells"] if "parameters" in c["metadata"].get("tags", [])]
    source = "".join(cells[0]["source"]) if cells else ""
    return dict(re.findall(r"^(\w+)\s*=\s*([^\s#]+)", source, flags=re.M))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_opens_with_a_summary_and_an_exact_rerun_note(chapter):
    boxes = opening_boxes(chapter)
    assert "Summary" in boxes, "the first cell has no Summary box"
    if chapter in REPORTS:
        for part in ("**Claim.**", "**Data.**", "**Verdict.**"):
            assert part in boxes["Summary"], f"the Summary box has no {part}"
    rerun = next((text for title, text in boxes.items() if title.startswith("Re-run this")), None)
    assert rerun, "the first cell has no 'Re-run this chapter' box"
    assert f"`.venv/bin/papermill chapters/{chapter.name} " in rerun, "the re-run command does not name the notebook"
    defaults = parameters(chapter)
    for name, value in defaults.items():
        assert f"-p {name} {value}" in rerun, f"the re-run note does not give parameter {name} (default {value})"
    if not defaults:
        assert "No parameters" in rerun
    assert "{glue:text}`run_seconds" in rerun, "the re-run note does not state the measured run time"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_figure_has_alt_text(chapter):
    """A figure's alt text is what a screen reader says; without it myst-nb writes the image's file name."""
    nb = json.loads(chapter.read_text())
    missing = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
               and any("image/png" in o.get("data", {}) for o in c.get("outputs", []))
               and len(c["metadata"].get("mystnb", {}).get("image", {}).get("alt", "").split()) < 8]
    assert not missing, f"figure cells {missing} have no alt text (cell metadata mystnb.image.alt, a sentence or more)"


@pytest.mark.parametrize("chapter", REPORTS, ids=lambda p: p.stem)
def test_summary_names_every_verdict_the_chapter_gives(chapter):
    """A chapter with 'not determined' rows says so in its summary box, through the glued count."""
    from reprobook.results import load_results
    counts = load_results(chapter.stem)["counts"]
    summary = opening_boxes(chapter).get("Summary", "")
    if counts["not determined"]:
        assert "n_not_determined" in summary, f"{chapter.stem}: the summary hides its 'not determined' rows"


FOLDED = ("hide-input", "remove-input", "remove-cell", "hide-cell")   # code a reader does not see unfolded
MAX_VISIBLE_LINES = 15        # a longer cell is folded (hide-input): its output shows, its code opens on a click
MAX_LINE_CHARS = 100          # wider lines scroll sideways in the text column
BOOKKEEPING = re.compile(r'^(finish_chapter\(|glue\("run_seconds")')   # cells that only save or time the chapter


def code_cells(chapter: Path):
    nb = json.loads(chapter.read_text())
    return [(i, "".join(c["source"]), c["metadata"].get("tags", []))
            for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_code_is_folded_where_long_and_bookkeeping_is_off_the_page(chapter):
    problems = []
    for i, source, tags in code_cells(chapter):
        folded = any(t in tags for t in FOLDED)
        if BOOKKEEPING.match(source) and "remove-input" not in tags and "remove-cell" not in tags:
            problems.append(f"cell {i} is bookkeeping ({source.splitlines()[0][:40]}...): tag it remove-input")
        if folded or "parameters" in tags:
            continue
        lines = source.splitlines()
        if len(lines) > MAX_VISIBLE_LINES:
            problems.append(f"cell {i} shows {len(lines)} lines of code: tag it hide-input")
        problems += [f"cell {i}, line {n + 1} is {len(line)} characters (at most {MAX_LINE_CHARS})"
                     for n, line in enumerate(lines) if len(line) > MAX_LINE_CHARS]
    assert not problems, f"{chapter.name}:\n  " + "\n  ".join(problems)


def test_pasted_values_from_other_pages_exist():
    """`{glue:text}`chapters/scorecard::key`` (and glue directives) on any page name a key that page glued."""
    problems = []
    for page in PAGES:
        for doc, key in re.findall(r"\{glue(?::\w*)?\}`?\s*([\w/]+)::(\w+)", page_text(page)):
            nb = json.loads((ROOT / f"{doc}.ipynb").read_text())
            glued = {o["metadata"]["scrapbook"]["name"] for c in nb["cells"] for o in c.get("outputs", [])
                     if "scrapbook" in o.get("metadata", {})}
            if key not in glued:
                problems.append(f"{page.name} pastes {doc}::{key}, which {doc}.ipynb never glued")
    assert not problems, problems
