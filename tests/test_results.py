"""The committed results files: present, fresh, and the same rows as the chapters' printed check tables;
the scorecard and the citing page show exactly what the results files hold."""
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reprobook.check import KINDS, STATUSES
from reprobook.errors import StaleResults
from reprobook.results import chapter_fingerprint, content_digest, load_all, load_results, result_chapters

ROOT = Path(__file__).resolve().parents[1]


def stored_outputs(page: str) -> list[dict]:
    nb = json.loads((ROOT / "chapters" / f"{page}.ipynb").read_text())
    return [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]


def glued(page: str) -> dict:
    return {o["metadata"]["scrapbook"]["name"]: next(iter(o["data"].values()))
            for o in stored_outputs(page) if "scrapbook" in o.get("metadata", {})}


def printed_check_table(chapter: str) -> list[str]:
    nb = json.loads((ROOT / "chapters" / f"{chapter}.ipynb").read_text())
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code" and "NBVAL_CHECK_OUTPUT" in "".join(c["source"]))
    return "".join("".join(o.get("text", "")) for o in cell["outputs"] if o["output_type"] == "stream").splitlines()


class TableRows(HTMLParser):
    """The cell texts of every <tr> in an HTML fragment."""
    def __init__(self):
        super().__init__()
        self.rows, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(self._cell.strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


CHAPTERS = result_chapters()


def test_every_reporting_chapter_has_results():
    assert len(CHAPTERS) >= 8, CHAPTERS
    load_all()      # raises StaleResults naming every missing or stale file


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_results_rows_are_the_printed_check_table(chapter):
    results = load_results(chapter)
    lines = printed_check_table(chapter)
    header, rule, body = lines[0], lines[1], lines[2:]
    summary = body[-1]
    body = [b for b in body[:-1] if b.strip()]
    assert summary == results["summary"]
    assert len(body) == len(results["checks"]), "results and printed table have different row counts"
    columns = header.split()
    assert columns[0] == "quantity"
    starts = [m.start() for m in re.finditer(r"-+", rule)]
    for line, record in zip(body, results["checks"]):
        cells = [line[a:b].strip() for a, b in zip(starts, starts[1:] + [None])]
        assert cells == list(record["text"].values()), f"{chapter}: printed {cells} but results hold {record['text']}"
        assert record["status"] in STATUSES
        assert record["verdict_kind"] in KINDS and KINDS[record["verdict_kind"]] == record["status"]
    counts = {s: sum(r["status"] == s for r in results["checks"]) for s in STATUSES}
    assert counts == results["counts"]


def test_a_stale_results_file_is_refused(tmp_path):
    chapter = CHAPTERS[0]
    payload = json.loads((ROOT / "results" / f"{chapter}.json").read_text())
    payload["fingerprint"]["chapter_code_sha256"] = "0" * 64
    payload["content_sha256"] = content_digest(payload)          # as if re-written with another chapter's code
    (tmp_path / f"{chapter}.json").write_text(json.dumps(payload))
    with pytest.raises(StaleResults, match="stale: chapter_code_sha256"):
        load_results(chapter, folder=tmp_path)
    with pytest.raises(StaleResults, match="missing"):
        load_results(CHAPTERS[1], folder=tmp_path)


def test_fingerprint_follows_the_chapter_code(tmp_path):
    for sub in ("chapters", "scalinglib", "reprobook", "data"):
        (tmp_path / sub).mkdir()
    nb = json.loads((ROOT / "chapters" / "kumar.ipynb").read_text())
    (tmp_path / "chapters" / "kumar.ipynb").write_text(json.dumps(nb))
    (tmp_path / "scalinglib" / "a.py").write_text("x = 1\n")
    (tmp_path / "data" / "manifest.yaml").write_text("datasets: {}\n")
    (tmp_path / "data" / "published.yaml").write_text("quantities: []\n")
    before = chapter_fingerprint("kumar", tmp_path)
    nb["cells"][-1]["source"] = ["changed prose only\n"] if nb["cells"][-1]["cell_type"] == "markdown" else nb["cells"][-1]["source"]
    (tmp_path / "chapters" / "kumar.ipynb").write_text(json.dumps(nb))
    assert chapter_fingerprint("kumar", tmp_path) == before, "prose edits must not make results stale"
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["source"] = code["source"] + ["\n# edited\n"]
    (tmp_path / "chapters" / "kumar.ipynb").write_text(json.dumps(nb))
    assert chapter_fingerprint("kumar", tmp_path)["chapter_code_sha256"] != before["chapter_code_sha256"]
    (tmp_path / "scalinglib" / "a.py").write_text("x = 2\n")
    assert chapter_fingerprint("kumar", tmp_path)["scalinglib_sha256"] != before["scalinglib_sha256"]
    (tmp_path / "data" / "published.yaml").write_text("quantities: [{id: x, value: 1, paper: p, location: Eq. 1}]\n")
    assert chapter_fingerprint("kumar", tmp_path)["published_sha256"] != before["published_sha256"]


def test_an_edited_results_file_is_refused(tmp_path):
    chapter = CHAPTERS[0]
    payload = json.loads((ROOT / "results" / f"{chapter}.json").read_text())
    edited = json.loads(json.dumps(payload))
    edited["checks"][0]["reproduced"] = 123.0
    (tmp_path / f"{chapter}.json").write_text(json.dumps(edited))
    with pytest.raises(StaleResults, match="was edited after the chapter wrote it"):
        load_results(chapter, folder=tmp_path)
    recounted = json.loads(json.dumps(payload))
    recounted["counts"]["reproduced"] += 1
    recounted["content_sha256"] = content_digest(recounted)
    (tmp_path / f"{chapter}.json").write_text(json.dumps(recounted))
    with pytest.raises(StaleResults, match="do not match its rows"):
        load_results(chapter, folder=tmp_path)
    (tmp_path / f"{chapter}.json").write_text(json.dumps(payload)[:200])
    with pytest.raises(StaleResults, match="is not valid JSON"):
        load_results(chapter, folder=tmp_path)


def test_scorecard_shows_every_check_row_and_the_right_totals():
    results = load_all()
    html = ["".join(o["data"]["text/html"]) for o in stored_outputs("scorecard")
            if 'class="scorecard-chapter"' in "".join(o.get("data", {}).get("text/html", ""))]
    assert len(html) == 1, "the scorecard page has no stored list of every check"
    sections = html[0].split('<details class="scorecard-chapter">')[1:]
    assert [re.search(r'href="([\w-]+)\.html"', s).group(1) for s in sections] == [r["chapter"] for r in results]
    for section, r in zip(sections, results):
        parser = TableRows()
        parser.feed(section)
        header, rows = parser.rows[0], parser.rows[1:]
        assert header == ["quantity", "published (where)", "reproduced [interval]", "criterion", "verdict"]
        expected = [[t["quantity"], t["published"] + ("" if t["where"] == "-" else t["where"]),
                     t["reproduced [interval]"], t["tolerance"], t["verdict"]] for t in (c["text"] for c in r["checks"])]
        assert rows == expected, f"the scorecard's section for {r['chapter']} differs from its results file"
    g = glued("scorecard")
    total = {s: sum(r["counts"][s] for r in results) for s in STATUSES}
    assert int(g["sc_n_checks"]) == sum(len(r["checks"]) for r in results)
    assert int(g["sc_n_reproduced"]) == total["reproduced"]
    assert int(g["sc_n_differs"]) == total["differs"]
    assert int(g["sc_n_not_checkable"]) == total["not checkable"]
    assert int(g["sc_n_not_determined"]) == total["not determined"]
    assert int(g["sc_n_chapters"]) == len(results)


def test_citing_page_counts_every_fit():
    results = load_all()
    fits = [f for r in results for f in r["fits"]]
    assert len({f["id"] for f in fits}) == len(fits), "fit identifiers must be unique across the book"
    assert int(glued("citing")["cite_n_fits"]) == len(fits)


def test_the_verdict_figure_has_a_colour_for_every_verdict_kind():
    from reprobook.scorecard import VERDICT_COLOURS
    assert set(VERDICT_COLOURS) == set(KINDS)
