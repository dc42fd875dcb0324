"""The browser checks can fail: a small site with one clean page and pages broken in every way a reader would
notice, served and opened exactly as the book is. Each fault must be reported, and the clean page must pass."""
import importlib.util
import shutil
from pathlib import Path

import pytest
from PIL import Image

from browser import SiteServer, Visit, page_width_problems, reader_problems

MATHJAX = Path(importlib.util.find_spec("sphinx-mathjax-offline").origin).parent / "static" / "mathjax"
HEAD = '<html><head><title>{title}</title>{scripts}</head><body>{body}</body></html>'
WITH_MATHJAX = '<script defer src="mathjax/tex-chtml.js"></script>'


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(MATHJAX, root / "mathjax")
    Image.new("RGB", (4, 3), "white").save(root / "figure.png")
    Image.new("RGB", (1600, 400), "white").save(root / "wide-figure.png")
    pages = {
        "clean.html": ("clean", WITH_MATHJAX,
                       '<h1 id="top">Clean</h1><span class="math">\\(E = m c^2\\)</span><img src="figure.png" alt="a white rectangle">'
                       '<a href="broken.html">a page</a> <a href="clean.html#top">an anchor</a>'
                       '<div class="cell_output"><pre>4 checks: 4 reproduced</pre></div>'
                       '<div class="cell_output"><figure><img src="figure.png" alt="a white rectangle">'
                       '<figcaption><span class="caption-number">Fig. 1 </span>A caption.</figcaption></figure></div>'),
        "broken.html": ("broken", '<script src="https://cdn.example.org/lib.js"></script>'
                                  '<script>console.error("boom")</script><script>notDefinedAnywhere()</script>',
                        '<span class="math">\\(x^2\\)</span><img src="missing.png"><img src="figure.png" alt="../figure.png">'
                        '<a href="nowhere.html">gone</a> <a href="clean.html#no-such-anchor">bad anchor</a>'
                        '<div class="cell_output"><pre>Traceback (most recent call last):\n  ZeroDivisionError</pre></div>'
                        '<div class="cell_output"><img src="figure.png" alt="a plot without caption"></div>'
                        '<div class="cell_output" style="width:600px"><figure><img src="wide-figure.png" '
                        'alt="a figure drawn too wide" style="max-width:100%"><figcaption><span class="caption-number">'
                        'Fig. 2 </span>Too wide.</figcaption></figure></div>'
                        '<div class="cell_output"><pre>&lt;matplotlib.legend.Legend at 0x7f0a665e6390&gt;</pre></div>'
                        '<div class="check-table-box" style="width:200px;overflow-x:auto">'
                        '<table style="width:900px"><tr><td>x</td></tr></table></div>'),
        "wide.html": ("wide", "", '<pre style="white-space:pre">' + "x" * 300 + "</pre>"),
        "bad-tex.html": ("bad TeX", WITH_MATHJAX, '<span class="math">\\(\\frac{1}\\)</span>'),
        "plain.html": ("plain", WITH_MATHJAX, "<p>No formula here.</p>"),
    }
    for name, (title, scripts, body) in pages.items():
        (root / name).write_text(HEAD.format(title=title, scripts=scripts, body=body))
    server = SiteServer(root)
    yield server
    server.close()


def test_a_clean_page_passes(site, open_page):
    assert reader_problems(open_page(site, "clean.html"), expect_math=True) == []


@pytest.mark.parametrize("fault", [
    "console error: boom", "page error: notDefinedAnywhere is not defined",
    "requested from outside the site: https://cdn.example.org/lib.js",
    "HTTP 404", "image not decoded: missing.png", "image without alt text: missing.png",
    "image without alt text: figure.png", "broken link: {base}nowhere.html -> HTTP 404",
    "broken link: {base}clean.html#no-such-anchor -> no element with id 'no-such-anchor'",
    "a cell output shows a traceback", "the page has formulas but MathJax did not load",
    "formula not typeset: '\\\\(x^2\\\\)'", "figure without a numbered caption: figure.png",
    "an output shows an object's repr: <matplotlib.legend.Legend at 0x7f0a665e6390>",
    "check table wider than its column: ",
    "figure shrunk until its text is unreadable: wide-figure.png: 1600 px shown at "])
def test_a_broken_page_is_reported(site, open_page, fault):
    problems = reader_problems(open_page(site, "broken.html"), expect_math=True)
    assert any(fault.format(base=site.base) in p for p in problems), problems


def test_a_formula_mathjax_cannot_typeset_is_reported(site, open_page):
    problems = reader_problems(open_page(site, "bad-tex.html"), expect_math=True)
    assert any(p.startswith("MathJax error") for p in problems), problems


def test_formulas_expected_but_absent_are_reported(site, open_page):
    assert reader_problems(open_page(site, "plain.html"), expect_math=False) == []
    problems = reader_problems(open_page(site, "plain.html"), expect_math=True)
    assert problems == ["formulas expected but the page has no .math element"]


def test_a_page_wider_than_a_phone_is_reported(site, browser):
    visit = Visit(browser, site, "wide.html", width=400)
    try:
        assert page_width_problems(visit.page) and page_width_problems(visit.page)[0].endswith("in a 400 px viewport")
    finally:
        visit.close()
    visit = Visit(browser, site, "plain.html", width=400)
    try:
        assert page_width_problems(visit.page) == []
    finally:
        visit.close()
