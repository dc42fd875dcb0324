"""The survey map (chapters/survey.ipynb, reprobook.survey): every chapter is mapped to the survey, every law of the
survey's Tables 10 and 11 has a row, and every verdict the page shows is the one its chapter's results file gives."""
import json
import re
from html import unescape
from pathlib import Path

import pytest

from reprobook import data
from reprobook.results import load_results, result_chapters
from reprobook.scorecard import one_line
from reprobook.survey import LAWS, PARTS, mapped_chapters, survey_rows

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "chapters" / "survey.ipynb"
VERDICT = re.compile(r'<div class="survey-verdict" data-chapter="([\w-]+)">.*?</a>: (.*?)</div>', re.S)


def page_verdicts(page: Path = PAGE) -> list[tuple[str, str]]:
    """(chapter, verdict text) for every verdict the page's stored outputs show."""
    nb = json.loads(page.read_text())
    html = "".join("".join(o.get("data", {}).get("text/html", "")) for c in nb["cells"] for o in c.get("outputs", []))
    return [(chapter, unescape(text)) for chapter, text in VERDICT.findall(html)]


def test_every_chapter_with_results_is_mapped_to_the_survey():
    unmapped = sorted(set(result_chapters()) - mapped_chapters())
    assert not unmapped, f"chapters the survey map does not place (add a row to reprobook.survey.LAWS): {unmapped}"


def test_every_mapped_chapter_exists():
    assert mapped_chapters() <= set(result_chapters())


def test_every_law_of_the_survey_tables_has_a_row():
    named = {law.paper for law in LAWS}
    for name in ("survey_laws", "survey_reproducibility"):
        missing = sorted(set(data.load(name).paper) - named)
        assert not missing, f"{name}: papers without a row in reprobook.survey.LAWS: {missing}"


def test_every_row_is_tested_or_says_why_not_and_sits_in_a_part():
    rows = survey_rows({c: load_results(c) for c in mapped_chapters()}, data.load("survey_reproducibility"))
    for row in rows:
        assert row["part"] in PARTS, row["paper"]
        assert row["chapters"] or row["why not"], f"{row['paper']}: neither a chapter nor a reason"


def test_the_page_shows_each_chapters_verdict_as_its_results_file_gives_it():
    shown = page_verdicts()
    assert {c for c, _ in shown} == mapped_chapters(), "the page does not show a verdict for every mapped chapter"
    wrong = [(c, text, one_line(load_results(c))) for c, text in shown if text != one_line(load_results(c))]
    assert not wrong, f"verdicts on the page differ from results/: {wrong}"


def test_the_verdict_check_can_fail(tmp_path):
    """A page whose stored verdict was edited by hand is caught."""
    nb = json.loads(PAGE.read_text())
    chapter, text = page_verdicts()[0]
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            html = out.get("data", {}).get("text/html")
            if html:
                out["data"]["text/html"] = "".join(html).replace(": " + text.split(";")[0], ": 999 of 999 reproduce", 1)
    edited = tmp_path / "survey.ipynb"
    edited.write_text(json.dumps(nb))
    changed = dict(page_verdicts(edited))
    assert changed[chapter] != one_line(load_results(chapter))


@pytest.mark.parametrize("law", [law for law in LAWS if not law.in_survey], ids=lambda law: law.paper)
def test_rows_beyond_the_survey_carry_a_chapter(law):
    assert law.chapters, f"{law.paper}: a row outside the survey's lists exists only to place a chapter"
