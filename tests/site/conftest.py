"""Tests of the built book (_build/html): run after `make html`, as the last step of `make test`."""
import json
import os
import time
from pathlib import Path

import pytest

from browser import CHROMIUM_ARGS, SiteServer, Visit, chromium_executable

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
BROWSER_REPORT = ROOT / "_build" / "screenshots" / "browser_report.json"     # written by test_browser.py
STARTED = time.time()


def pytest_terminal_summary(terminalreporter):
    """One line in the test output: pages tested in the browser and the time it took."""
    if BROWSER_REPORT.exists() and BROWSER_REPORT.stat().st_mtime >= STARTED:
        report = json.loads(BROWSER_REPORT.read_text())
        terminalreporter.write_line(f"browser tests: {len(report['pages'])} pages in {report['total_seconds']} s "
                                    f"with {report['chromium']}; screenshots and timings in "
                                    f"{BROWSER_REPORT.parent.relative_to(ROOT)}/")


@pytest.fixture(scope="session")
def html_dir() -> Path:
    if not (HTML / "index.html").exists():
        pytest.fail(f"{HTML} has no built book: run `make html` (or `make book`) first")
    return HTML


@pytest.fixture(scope="session")
def chromium() -> str:
    executable = chromium_executable()
    if executable is None:
        message = ("Chromium is not installed, so the browser tests cannot run. Install it with `make browser` "
                   "(Debian's chromium package) or set CHROMIUM=/path/to/chromium.")
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message + " Under CI=true this is a failure: CI must install Chromium.")
        print("\n" + "!" * 100 + f"\nSKIPPING THE BROWSER TESTS: {message}\n" + "!" * 100)
        pytest.skip(message)
    return executable


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def book_server(html_dir):
    served = SiteServer(html_dir)
    yield served
    served.close()


@pytest.fixture
def open_page(browser):
    """open_page(server, path) -> Visit; every context is closed after the test."""
    opened = []

    def open_(server: SiteServer, path: str, width: int = 1280) -> Visit:
        opened.append(Visit(browser, server, path, width))
        return opened[-1]
    yield open_
    for visit in opened:
        visit.close()
