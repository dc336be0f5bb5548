"""`archiver extract`: rebuild article records from WARC files, without crawling again.

Enters the one-way flow at extraction: the pages come out of WARCs (ours or anyone's) instead of
the downloader, and go through the very same record building as a crawl.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from archiver.crawl.captured import CapturedPage
from archiver.export.jsonl import RecordWriter, read_records
from archiver.records import record_from_page
from archiver.warc.reader import Revisit, WarcProblem, expand_paths, read_pages


@dataclass
class ExtractReport:
    files: int = 0
    pages: int = 0
    records_written: int = 0
    records_unchanged: int = 0
    not_articles: int = 0
    revisits: int = 0
    problems: list[WarcProblem] = field(default_factory=list)


def extract_warcs(paths: Sequence[str], output: Path) -> ExtractReport:
    """Appends the records of every article page in `paths` to `output`, each record once."""
    files, problems = expand_paths(paths)
    report = ExtractReport(files=len(files), problems=problems)
    out = RecordWriter(output, read_records(output) if output.exists() else ())
    try:
        for path in files:
            for item in read_pages(path):
                if isinstance(item, WarcProblem):
                    report.problems.append(item)
                elif isinstance(item, Revisit):
                    report.revisits += 1
                elif isinstance(item, CapturedPage):
                    report.pages += 1
                    record = record_from_page(item.page, item.warc)
                    if record is None:
                        report.not_articles += 1
                        continue
                    if out.write(record):
                        report.records_written += 1
                    else:
                        report.records_unchanged += 1
    finally:
        out.close()
    return report
