"""A reader's browser for a built site: Debian's headless Chromium driven by Playwright, a local HTTP server on
127.0.0.1, and the checks any page of the book must pass. tests/site/test_browser.py applies them to the book;
tests/site/test_browser_selftest.py shows on a deliberately broken site that each check can fail."""
import os
import re
import shutil
import threading
import urllib.error
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag

# Without the background-networking flags Chromium keeps trying to reach Google's hosts, which this offline
# machine refuses; a fresh --user-data-dir (Playwright makes one) keeps every run alike.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_executable() -> str | None:
    """$CHROMIUM, else Debian's /usr/bin/chromium (installed by `make browser`), else chromium on PATH."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # one line per request would bury pytest's report
        pass


class SiteServer:
    """Serves a folder over HTTP on 127.0.0.1 at a free port, in a background thread."""

    def __init__(self, folder: Path):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self._cache: dict[str, tuple[int, str]] = {}

    def get(self, url: str) -> tuple[int, str]:
        """(status, body) of one URL of this server, fetched once per server."""
        if url not in self._cache:
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    self._cache[url] = (response.status, response.read().decode("utf-8", "replace"))
            except urllib.error.HTTPError as error:
                self._cache[url] = (error.code, "")
        return self._cache[url]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Visit:
    """One page opened in a fresh browser context, with everything the page did recorded. Requests that leave
    the server are recorded and aborted: the site must work offline."""

    def __init__(self, browser, server: SiteServer, path: str, width: int = 1280):
        self.server = server
        self.problems: list[str] = []
        self.external: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console error: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: r.url.startswith(server.base)
                     and self.problems.append(f"request failed: {r.url} ({r.failure})"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        self.response = self.page.goto(server.base + path, wait_until="load")

    def _route(self, route):
        if route.request.url.startswith(self.server.base):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def hrefs(self) -> list[str]:
        return self.page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")

    def close(self):
        self.context.close()


def mathjax_state(page) -> dict:
    """Wait until MathJax (if the page loads it) has typeset, then list formulas it left untypeset or in error."""
    return page.evaluate("""async () => {
        if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
        const formulas = [...document.querySelectorAll('.math')];
        return {loaded: !!(window.MathJax && MathJax.version), formulas: formulas.length,
                untypeset: formulas.filter(f => !f.querySelector('mjx-container')).map(f => f.textContent.slice(0, 80)),
                errors: [...document.querySelectorAll('mjx-merror')].map(e => e.textContent.slice(0, 80))};
    }""")


def image_problems(page) -> list[str]:
    """Images (lazy ones included) that did not decode to a picture, or whose alt text says nothing (missing, or
    a file name, which is what a screen reader would read out)."""
    images = page.evaluate("""async () => {
        const images = [...document.images];
        images.forEach(i => { i.loading = 'eager'; });
        await Promise.all(images.map(i => i.complete ? null : new Promise(done => {
            i.addEventListener('load', done); i.addEventListener('error', done); })));
        return images.map(i => ({src: i.getAttribute('src'), width: i.naturalWidth, alt: i.getAttribute('alt') || ''}));
    }""")
    problems = [f"image not decoded: {i['src']}" for i in images if i["width"] == 0]
    return problems + [f"image without alt text: {i['src']}" for i in images
                       if not i["alt"].strip() or re.search(r"\.(png|jpe?g|svg|gif)$", i["alt"].strip(), re.I)]


STRAY_REPR = re.compile(r"<[\w.]+(?: object)? at 0x[0-9a-f]+>")
# A figure drawn wider than this many times the width it is shown at has its text shrunk below about 10 px
# (10 pt at 110 dpi is 15 px): draw it for the column instead (reprobook.plots.COLUMN_INCHES).
MAX_FIGURE_SHRINK = 1.45


def layout_problems(page) -> list[str]:
    """What makes a page hard to read: a figure in a cell output without a numbered caption, or shrunk to fit the
    column until its text is too small to read, an object's repr printed instead of a result
    (<matplotlib.legend.Legend at 0x...>), a check table wider than its column. Call at a desktop width."""
    found = page.evaluate("""(maxShrink) => ({
        uncaptioned: [...document.querySelectorAll('.cell_output img')].filter(i => {
            const f = i.closest('figure'); const c = f && f.querySelector('figcaption');
            return !(c && c.textContent.trim() && f.querySelector('.caption-number')); }).map(i => i.getAttribute('src')),
        shrunk: [...document.querySelectorAll('.cell_output img')].filter(i => i.clientWidth > 0
                   && i.naturalWidth > maxShrink * i.clientWidth)
                   .map(i => i.getAttribute('src') + ': ' + i.naturalWidth + ' px shown at ' + i.clientWidth + ' px'),
        outputs: [...document.querySelectorAll('.cell_output')].map(o => o.innerText),
        wide_tables: [...document.querySelectorAll('.check-table-box')].filter(b => b.scrollWidth > b.clientWidth + 1)
                       .map(b => b.scrollWidth + ' px in ' + b.clientWidth + ' px'),
    })""", MAX_FIGURE_SHRINK)
    problems = [f"figure without a numbered caption: {src}" for src in found["uncaptioned"]]
    problems += [f"figure shrunk until its text is unreadable: {s}" for s in found["shrunk"]]
    problems += [f"an output shows an object's repr: {m}" for o in found["outputs"] for m in STRAY_REPR.findall(o)]
    problems += [f"check table wider than its column: {w}" for w in found["wide_tables"]]
    return problems


def page_width_problems(page) -> list[str]:
    """At a phone's width, nothing may widen the page itself (tables and code scroll inside their own box)."""
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    return [f"the page is {width[0]} px wide in a {width[1]} px viewport"] if width[0] > width[1] + 1 else []


def broken_links(visit: Visit) -> list[str]:
    """Links to the site's own pages that do not answer 200, or whose #anchor the target page lacks."""
    server, broken = visit.server, []
    for href in sorted(set(visit.hrefs())):
        if not href.startswith(server.base):
            continue
        url, fragment = urldefrag(href)
        status, body = server.get(url)
        if status != 200:
            broken.append(f"{href} -> HTTP {status}")
        elif fragment and url.endswith(".html") and f'id="{fragment}"' not in body:
            broken.append(f"{href} -> no element with id {fragment!r}")
    return broken


def reader_problems(visit: Visit, expect_math: bool) -> list[str]:
    """Everything a reader would notice on the page: errors, requests leaving the site, formulas MathJax did not
    typeset (or no MathJax where formulas are expected), images that do not show or lack alt text, tracebacks in cell outputs,
    broken links. Call after the page has loaded; the checks wait for MathJax and for images."""
    page, problems = visit.page, []
    math = mathjax_state(page)
    if expect_math and not math["formulas"]:
        problems.append("formulas expected but the page has no .math element")
    if math["formulas"] and not math["loaded"]:
        problems.append("the page has formulas but MathJax did not load")
    problems += [f"formula not typeset: {t!r}" for t in math["untypeset"]]
    problems += [f"MathJax error: {t!r}" for t in math["errors"]]
    problems += image_problems(page)
    problems += layout_problems(page)
    outputs = page.locator(".cell_output").all_inner_texts()
    problems += [f"a cell output shows a traceback: {o[:200]!r}" for o in outputs if "Traceback" in o]
    if page.locator(".cell_output .output.traceback, .cell_output .output.error").count():
        problems.append("a cell output is an error")
    problems += [f"broken link: {b}" for b in broken_links(visit)]
    problems += [f"requested from outside the site: {u}" for u in visit.external]
    return visit.problems + problems     # visit.problems: console and network errors, including any just triggered
