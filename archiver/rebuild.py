"""`archiver extract`: rebuild article records from WARC files, without crawling again.

Enters the one-way flow at extraction: the pages come out of WARCs (ours or anyone's) instead of
the downloader, and go through the very same record building as a crawl.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from archiver.crawl.captured import CapturedPage
from archiver.export.jsonl import RecordLine, RecordWriter, read_records
from archiver.extraction_pool import Extracted, ExtractionPool, Outcome, PageOutcome, RangeItem
from archiver.issue_pages import IssuePages
from archiver.settings import ARCHIVER_MAX_DECOMPRESSED
from archiver.warc.ranges import record_ranges
from archiver.warc.reader import Revisit, Skipped, WarcProblem, expand_paths, read_pages

# Ranges in flight per worker, and pages when a range is taken page by page: enough to keep
# every worker busy, few enough to bound memory.
_RANGES_PER_WORKER = 3
_PAGES_PER_WORKER = 8
logger = logging.getLogger(__name__)


@dataclass
class ExtractReport:
    files: int = 0
    pages: int = 0
    records_written: int = 0
    records_unchanged: int = 0
    not_articles: int = 0
    issue_archives: int = 0
    """Issue-archive pages read: their articles' records get `issue_page`."""
    issue_pages_added: int = 0
    """Records written again with `issue_page`, their issue page read after them."""
    revisits: int = 0
    problems: list[WarcProblem] = field(default_factory=list)
    blocked: dict[str, int] = field(default_factory=dict)
    """Pages that were bot challenges or login walls, by kind (they count as not articles)."""
    failures: list[str] = field(default_factory=list)
    """Pages whose extraction failed (time limit, a crash) or that were not extracted (a body
    over the size limit, a response archived cut short): no record, the rest goes on."""


def extract_warcs(
    paths: Sequence[str],
    output: Path,
    *,
    workers: int = 0,
    timeout: float = 10.0,
    max_size: int = ARCHIVER_MAX_DECOMPRESSED,
) -> ExtractReport:
    """Appends the records of every article page in `paths` to `output`, each record once.

    Each file is cut into ranges of whole records (`record_ranges`), which worker processes
    (`workers`, 0: one per core) read and extract, a window of them at a time; their records
    are written in the order of the input, as one process would. A range that fails as a whole
    (a page past the time limit, a worker killed) is taken again page by page, so that it costs
    only the pages that fail on their own. A page whose body is longer than `max_size` bytes
    decompressed is not extracted (and said so). Issue-archive pages give the articles they
    list their `issue_page`, as in a crawl.
    """
    files, problems = expand_paths(paths)
    report = ExtractReport(files=len(files), problems=problems)
    out = RecordWriter(output, read_records(output) if output.exists() else ())
    workers = workers or os.cpu_count() or 1
    pool = ExtractionPool(workers, timeout)
    issues = IssuePages()
    pending: deque[_Range] = deque()
    damaged: set[str] = set()
    """Files a problem ended: as in one pass, nothing after the damage is read."""

    def take(item: RangeItem) -> None:
        if isinstance(item, WarcProblem):
            report.problems.append(item)
            damaged.add(item.path)
        elif isinstance(item, Skipped):
            report.failures.append(f"{item.url}: not extracted ({item.reason})")
        elif isinstance(item, Revisit):
            report.revisits += 1
        else:
            report.pages += 1
            record(item.url, item.extracted, item.line)

    def record(url: str, outcome: Extracted, line: RecordLine | None = None) -> None:
        if outcome.failure is not None:
            report.failures.append(f"{url}: extraction {outcome.failure}")
        elif outcome.listing is not None:
            report.issue_archives += 1
            issues.learn(outcome.listing)
        elif outcome.record is None:
            report.not_articles += 1
            if outcome.skipped != "not-article":
                report.blocked[outcome.skipped] = report.blocked.get(outcome.skipped, 0) + 1
        else:
            filled = issues.fill(outcome.record)
            if out.write(line if line is not None and filled is outcome.record else filled):
                report.records_written += 1
            else:
                report.records_unchanged += 1

    def finish_oldest() -> None:
        chunk = pending.popleft()
        if chunk.path in damaged:
            return
        items = pool.range_items(chunk.future)
        if isinstance(items, str):
            logger.warning(
                "%s: bytes %d on: %s; extracting them page by page", chunk.path, chunk.start, items
            )
            items = _page_by_page(pool, chunk, max_size, workers)
        for item in items:
            take(item)

    try:
        for path in files:
            for start, stop in record_ranges(path):
                if path in damaged:
                    break
                future = pool.submit_range(path, start, stop, max_size)
                pending.append(_Range(path, start, stop, future))
                if len(pending) >= workers * _RANGES_PER_WORKER:
                    finish_oldest()
        while pending:
            finish_oldest()
        report.issue_pages_added = issues.amend(out, out.start)
    finally:
        out.close()
        pool.close()
    return report


@dataclass(frozen=True, slots=True)
class _Range:
    path: str
    start: int
    stop: int | None
    future: Future[list[RangeItem]]


def _page_by_page(
    pool: ExtractionPool, chunk: _Range, max_size: int, workers: int
) -> Iterator[RangeItem]:
    """The range read here and its pages extracted each on its own, under its own time limit."""
    window: deque[tuple[str, Future[Outcome]]] = deque()
    for item in read_pages(chunk.path, max_size, chunk.start, chunk.stop):
        if not isinstance(item, CapturedPage):
            while window:  # in order: what came before the item first
                url, future = window.popleft()
                yield PageOutcome(url, pool.outcome(future))
            yield item
            continue
        window.append((item.page.url, pool.submit(item.page, item.warc)))
        if len(window) >= workers * _PAGES_PER_WORKER:
            url, future = window.popleft()
            yield PageOutcome(url, pool.outcome(future))
    for url, future in window:
        yield PageOutcome(url, pool.outcome(future))
