"""The built book in a real browser, as a reader meets it: every page of _toc.yml opened in headless Chromium from
a local server on 127.0.0.1, with the network beyond that server cut off.

Per page: the reader checks of browser.reader_problems (no console error or failed request, nothing fetched from
outside the book, every image decoded and described by alt text, every formula typeset by the book's own MathJax,
no traceback in any output, every figure with a numbered caption, no object repr printed as a result, no check table
wider than its column, every link to the book's own pages and #anchors resolving), plus: the chapter's HTML check
table shown row by row (on the scorecard, one row per check of every chapter), a download link for the chapter's
notebook, repository links exactly when a repository is configured, no page wider than a 400 px phone screen, and
full-page screenshots at 1280 px and 400 px in _build/screenshots/. The search page must find each law by name.

Needs Chromium (`make browser` installs Debian's). Without it these tests are skipped with a loud reason, except
under CI=true, where they fail."""
import json
import re
import time
from pathlib import Path

import pytest
import yaml

from browser import page_width_problems, reader_problems
from reprobook.paths import toc_files

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "_build" / "screenshots"
BOOK_CONFIG = ROOT / "_build" / "book_config.yml"     # what the book was built with (scripts/book_config.py)
PAGES = toc_files()                                   # "intro", "chapters/kaplan", ..., "references"
REPORTS = [p for p in PAGES if (ROOT / "results" / f"{Path(p).name}.json").exists()]
# The name a reader would type for each law, and the chapter the search must return among its first three results.
SEARCHES = {"Chinchilla": "chapters/chinchilla", "Kaplan": "chapters/kaplan", "Muennighoff": "chapters/muennighoff",
            "Monkeys": "chapters/brown", "broken": "chapters/bnsl", "Krajewski": "chapters/krajewski",
            "precision": "chapters/kumar", "routing": "chapters/clark",
            "over-training": "chapters/gadre", "ladder": "chapters/bhagia", "Hitchhiker": "chapters/choshen",
            "RegMix": "chapters/regmix", "rectified": "chapters/lin", "workbench": "chapters/workbench"}
timings: dict[str, float] = {}


@pytest.fixture(scope="module", autouse=True)
def browser_report(chromium):
    """Writes _build/screenshots/browser_report.json: the pages tested and how long each took."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    yield
    report = {"pages": timings, "total_seconds": round(time.perf_counter() - started, 1), "chromium": chromium}
    (SCREENSHOTS / "browser_report.json").write_text(json.dumps(report, indent=2) + "\n")


@pytest.fixture(scope="session")
def repository(html_dir) -> dict:
    """The repository section the book was built with ({} when no repository URL was configured)."""
    if not BOOK_CONFIG.exists():
        pytest.fail(f"{BOOK_CONFIG} is missing: build the book with `make html`")
    return yaml.safe_load(BOOK_CONFIG.read_text()).get("repository") or {}


def source_of(path: str) -> Path:
    return ROOT / f"{path}.ipynb" if (ROOT / f"{path}.ipynb").exists() else ROOT / f"{path}.md"


def source_has_math(path: str) -> bool:
    source = source_of(path)
    text = source.read_text()
    if source.suffix == ".ipynb":
        text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"] if c["cell_type"] == "markdown")
    return re.search(r"\$[^$\n]+\$", text) is not None


def check_rows_missing(row_texts: list[str], checks: list[dict]) -> list[str]:
    """Check rows (as the chapter saved them) whose strings no single row of the page's HTML check table shows."""
    def shown(values):
        return any(all(v in row for v in values if v != "-") for row in row_texts)
    return [c["text"]["quantity"] for c in checks if not shown(list(c["text"].values()))]


def repository_link_problems(hrefs: list[str], path: str, repository: dict) -> list[str]:
    """With a repository configured, a page offers edit and issue links (a notebook also a Binder launch);
    without one, no page links to a repository or launch service (Jupyter Book's default would point at its own
    repository)."""
    if not repository:
        stray = [h for h in hrefs if "executablebooks/jupyter-book" in h or "mybinder.org" in h or "colab." in h]
        return [f"repository link although none is configured: {h}" for h in stray]
    owner_repo = repository["url"].removeprefix("https://github.com/")
    expected = {"edit link": f"{repository['url']}/edit/{repository['branch']}/{source_of(path).relative_to(ROOT)}",
                "issue link": f"{repository['url']}/issues/new"}
    if source_of(path).suffix == ".ipynb":
        expected["Binder launch"] = f"https://mybinder.org/v2/gh/{owner_repo}/{repository['branch']}?"
    return [f"no {what} ({prefix}...)" for what, prefix in expected.items()
            if not any(h.startswith(prefix) for h in hrefs)]


@pytest.mark.parametrize("path", PAGES)
def test_page_works_in_the_browser(path, open_page, book_server, repository):
    started = time.perf_counter()
    visit = open_page(book_server, f"{path}.html")
    page = visit.page
    assert visit.response is not None and visit.response.status == 200, f"{path}.html did not load"
    problems = reader_problems(visit, expect_math=source_has_math(path))

    if path in REPORTS:
        saved = json.loads((ROOT / "results" / f"{Path(path).name}.json").read_text())
        captions = page.locator("table.check-table caption").all_inner_texts()
        if not any(saved["summary"] in t for t in captions):
            problems.append(f"the check table's summary line {saved['summary']!r} is not on the page")
        rows = page.locator("table.check-table tbody tr").all_inner_texts()
        problems += [f"check row not shown: {q!r}" for q in check_rows_missing(rows, saved["checks"])]
    if path == "chapters/scorecard":      # the book-wide table: one row per check of every chapter
        expected = sum(len(json.loads((ROOT / "results" / f"{Path(r).name}.json").read_text())["checks"])
                       for r in REPORTS)
        shown = page.locator("table.scorecard tbody tr").count()
        if shown != expected:
            problems.append(f"the scorecard shows {shown} check rows, the chapters saved {expected}")
    if source_of(path).suffix == ".ipynb":
        download = f"_sources/{path}.ipynb"
        if not page.locator(f'a[href$="{download}"]').count():
            problems.append(f"no download link for the notebook ({download})")
        else:
            status, body = book_server.get(book_server.base + download)
            if status != 200 or json.loads(body).get("nbformat") != 4:
                problems.append(f"{download} is not a notebook (HTTP {status})")
    problems += repository_link_problems(visit.hrefs(), path, repository)

    page.screenshot(path=str(SCREENSHOTS / f"{path.replace('/', '-')}.png"), full_page=True)
    phone = open_page(book_server, f"{path}.html", width=400)
    problems += [f"at 400 px: {p}" for p in page_width_problems(phone.page)]
    phone.page.screenshot(path=str(SCREENSHOTS / f"{path.replace('/', '-')}-phone.png"), full_page=True)
    timings[path] = round(time.perf_counter() - started, 2)
    assert not problems, f"{path}.html:\n  " + "\n  ".join(dict.fromkeys(problems))


@pytest.mark.parametrize("query", SEARCHES)
def test_search_finds_the_law_by_name(query, open_page, book_server):
    visit = open_page(book_server, f"search.html?q={query}")
    results = visit.page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=20_000)
    found = [re.sub(r"\.html.*$", "", href.removeprefix(book_server.base))
             for href in results.evaluate_all("links => links.map(a => a.href)")]
    assert SEARCHES[query] in found[:3], f"searching {query!r} returns {found[:5]}"
    assert not visit.problems and not visit.external, visit.problems + visit.external


def test_the_root_page_leads_to_the_introduction(open_page, book_server):
    visit = open_page(book_server, "")
    visit.page.wait_for_url("**/intro.html", timeout=10_000)
    assert "Scaling Laws, Reproduced" in visit.page.title()
