"""`archiver report` opened in a real headless Chromium: it renders, its charts hold the
collection's numbers, and the browser logs no error and fetches nothing.

Debian's chromium and chromium-driver (installed by .ci/run), driven by their paths through
selenium: no tool that downloads a browser of its own. The screenshot is kept as a test artefact
in the test's pytest folder: /tmp/pytest-of-$USER/pytest-current/<this test>0/report.png (pytest
keeps the last three runs); the path is printed and recorded as the test's `screenshot` property.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from archiver.crawl.stats_file import read_runs
from archiver.export.report import write_report
from tests.conftest import CrawlRun
from tests.export_data import record, write_jsonl

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1200,900",
)
# A name straight from a crawled page, as hostile as a page can make it: were it not escaped,
# the browser would try to load the image (refused by the page's policy: a console error).
HOSTILE_AUTHOR = '<img src="https://evil.example/x.png">'


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[WebDriver]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("Debian's chromium and chromium-driver are needed (.ci/run installs them)")
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def _second_publication() -> list[dict[str, Any]]:
    """Another paper in the same collection: other months, issues 1-3 and 7-8, an undated
    article, and an author name that is markup."""
    made = [
        ("jan-1", "2006-01-10", "1", ["Ann Example"]),
        ("jan-2", "2006-01-24", "2", ["Ann Example", "Bob Writer"]),
        ("feb-1", "2006-02-07T10:00:00+00:00", "3", ["Bob Writer"]),
        ("apr-1", "2006-04-04", "7", [HOSTILE_AUTHOR]),
        ("apr-2", "2006-04-11", "8", ["Ann Example"]),
        ("apr-3", "2006-04-18", "8", []),
        ("undated", None, None, ["Cy Columnist"]),
    ]
    return [
        record(f"https://ms.example/{slug}", date=date, issue=issue, authors=authors)
        for slug, date, issue, authors in made
    ]


def _expected(records: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    months: dict[str, Counter[str]] = {}
    for r in records:
        if r["date"]:
            months.setdefault(r["publication"], Counter())[r["date"][:7]] += 1
    return months


def _timed(timings: dict[str, float], name: str, step: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = step()
    timings[name] = time.perf_counter() - start
    return result


def test_report_renders_in_chromium_with_charts_of_the_collection_and_no_console_errors(
    demo_crawl: CrawlRun,
    tmp_path: Path,
    chromium: WebDriver,
    record_property: Callable[[str, object], None],
) -> None:
    collection = tmp_path / "collection"
    shutil.copytree(demo_crawl.output, collection)
    write_jsonl(collection / "morning-star.jsonl", _second_publication())
    records = demo_crawl.records() + _second_publication()
    report = tmp_path / "report.html"
    timings: dict[str, float] = {}
    _timed(timings, "write report", lambda: write_report(collection, report))

    _timed(timings, "load page", lambda: chromium.get(report.as_uri()))

    assert chromium.find_element(By.TAG_NAME, "h1").text == "collection"
    # Articles per month: a chart per publication, a bar per month with articles.
    expected = _expected(records)
    charts = chromium.find_elements(By.CSS_SELECTOR, 'svg[data-chart="months"]')
    assert len(charts) == len(expected) == 2
    for chart in charts:
        publication = chart.get_attribute("aria-label").removeprefix("Articles per month: ")
        bars = chart.find_elements(By.CSS_SELECTOR, "rect.bar")
        shown = {b.get_attribute("data-key"): int(b.get_attribute("data-value")) for b in bars}
        assert shown == dict(expected[publication])
        assert all(b.size["height"] > 0 and b.size["width"] > 0 for b in bars)
    # Print issues: the demo paper's 1989-1990 in one run; the other's 1-3 and 7-8, gap 4-6.
    strips = chromium.find_elements(By.CSS_SELECTOR, 'svg[data-chart="issues"]')
    runs = [
        [b.get_attribute("data-key") for b in s.find_elements(By.CSS_SELECTOR, "rect.bar")]
        for s in strips
    ]
    assert sorted(runs) == [["1-3", "7-8"], ["1989-1990"]]
    assert "Missing: 3 issues: 4\u20136." in chromium.find_element(By.ID, "issues").text
    # Crawl errors by kind, from crawl-stats.json: the demo site's 404.
    statuses = Counter[str]()
    for run in read_runs(collection):
        for key, value in run.items():
            if key.startswith("downloader/response_status_count/") and int(key[-3:]) >= 400:
                statuses[f"HTTP {key[-3:]}"] += value
    errors = chromium.find_elements(By.CSS_SELECTOR, 'svg[data-chart="errors"] rect.bar')
    assert statuses and {
        e.get_attribute("data-key"): int(e.get_attribute("data-value")) for e in errors
    } == dict(statuses)
    # Top authors: every distinct author here (fewer than 20), the most frequent first.
    authors = Counter(name for r in records for name in r["authors"])
    bars = chromium.find_elements(By.CSS_SELECTOR, 'svg[data-chart="authors"] rect.bar')
    assert len(bars) == min(20, len(authors))
    assert bars[0].get_attribute("data-key") == authors.most_common(1)[0][0]
    assert HOSTILE_AUTHOR in chromium.find_element(By.ID, "authors").get_attribute("textContent")
    # Field completeness: the other paper found a date on 6 of its 7 articles.
    cell = chromium.find_element(
        By.CSS_SELECTOR, '#completeness td[data-field="date"][data-publication="Morning Star"]'
    )
    assert (cell.get_attribute("data-found"), cell.get_attribute("data-total")) == ("6", "7")
    assert cell.text == "86%"

    # Nothing fetched, nothing logged.
    assert chromium.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert chromium.get_log("browser") == []

    height = chromium.execute_script("return document.documentElement.scrollHeight")
    chromium.set_window_size(1200, height)
    screenshot = tmp_path / "report.png"
    _timed(timings, "screenshot", lambda: chromium.save_screenshot(str(screenshot)))
    assert screenshot.stat().st_size > 10_000
    record_property("screenshot", str(screenshot))
    print(f"screenshot: {screenshot}; " + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items()))
