"""`archiver extract`: rebuild article records from WARC files, without crawling again.

Enters the one-way flow at extraction: the pages come out of WARCs (ours or anyone's) instead of
the downloader, and go through the very same record building as a crawl.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from archiver.crawl.captured import CapturedPage
from archiver.export.jsonl import RecordWriter, read_records
from archiver.extraction_pool import ExtractionPool, Outcome
from archiver.issue_pages import IssuePages
from archiver.settings import ARCHIVER_MAX_DECOMPRESSED
from archiver.warc.reader import Revisit, Skipped, WarcProblem, expand_paths, read_pages

# Pages in flight per worker: enough to keep every worker busy, few enough to bound memory.
_WINDOW_PER_WORKER = 8


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

    Pages are extracted in worker processes (`workers`, 0: one per core), a window of them at a
    time, and their records written in the order of the input, as one process would. A page
    whose body is longer than `max_size` bytes decompressed is not extracted (and said so).
    Issue-archive pages give the articles they list their `issue_page`, as in a crawl.
    """
    files, problems = expand_paths(paths)
    report = ExtractReport(files=len(files), problems=problems)
    out = RecordWriter(output, read_records(output) if output.exists() else ())
    workers = workers or os.cpu_count() or 1
    pool = ExtractionPool(workers, timeout)
    issues = IssuePages()
    pending: deque[tuple[CapturedPage, Future[Outcome]]] = deque()

    def finish_oldest() -> None:
        page, future = pending.popleft()
        outcome = pool.outcome(future)
        if outcome.failure is not None:
            report.failures.append(f"{page.page.url}: extraction {outcome.failure}")
        elif outcome.listing is not None:
            report.issue_archives += 1
            issues.learn(outcome.listing)
        elif outcome.record is None:
            report.not_articles += 1
            if outcome.skipped != "not-article":
                report.blocked[outcome.skipped] = report.blocked.get(outcome.skipped, 0) + 1
        elif out.write(issues.fill(outcome.record)):
            report.records_written += 1
        else:
            report.records_unchanged += 1

    try:
        for path in files:
            for item in read_pages(path, max_size):
                if isinstance(item, WarcProblem):
                    report.problems.append(item)
                elif isinstance(item, Skipped):
                    report.failures.append(f"{item.url}: not extracted ({item.reason})")
                elif isinstance(item, Revisit):
                    report.revisits += 1
                else:
                    report.pages += 1
                    pending.append((item, pool.submit(item.page, item.warc)))
                    if len(pending) >= workers * _WINDOW_PER_WORKER:
                        finish_oldest()
        while pending:
            finish_oldest()
        report.issue_pages_added = issues.amend(out, out.start)
    finally:
        out.close()
        pool.close()
    return report
