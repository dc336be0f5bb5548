"""What the extraction workers run: a page to its record, a range of a WARC file to the records
of its pages.

Only the workers import this module (the pool hands them tasks by name, `run_task`): the process
handing out the work, `archiver extract`'s own above all, then loads neither the extraction rules
nor trafilatura, and its workers start without waiting on it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from archiver.crawl.captured import CapturedPage
from archiver.export.jsonl import RecordLine
from archiver.extract import IssueArchive, read_issue_archive
from archiver.extraction_pool import Extracted, Outcome, PageOutcome, RangeItem, error_reason
from archiver.page import Page
from archiver.page_records import not_article_reason, record_from_page
from archiver.profile import profile_for_url
from archiver.warc.reader import read_pages
from archiver.warc.writer import WarcPointer

_WARM_UP_PAGE = Page(
    url="https://example.org/warm-up",
    body=b"<html lang='en'><h1>Warm up</h1><p>Published Sat 25 Feb 2006, 00:00 GMT</p>"
    b"<p>" + b"Words of a warm-up page. " * 40 + b"</p></html>",
    content_type="text/html; charset=utf-8",
    captured_at=datetime(2006, 2, 25, tzinfo=UTC),
)


def warm_up() -> None:
    """Load what extraction loads on first use (trafilatura, dateparser's English), so that the
    first real page of a worker is not charged for it against the time limit."""
    record_from_page(_WARM_UP_PAGE, WarcPointer("warm-up", 0, "<urn:uuid:0>", None))


def read_listing(page: Page) -> IssueArchive | None:
    """The issue a page lists, when its publication's profile calls it an issue archive."""
    profile = profile_for_url(page.url)
    return read_issue_archive(page, profile) if profile is not None else None


def extract_or_explain(page: Page, warc: WarcPointer) -> Outcome:
    """The page's record; the issue it lists, for an issue-archive page; or why it has none
    ("not-article", "bot-challenge", "login-wall")."""
    listing = read_listing(page)
    if listing is not None:
        return listing
    record = record_from_page(page, warc)
    return record if record is not None else not_article_reason(page)


def extract_range(path: str, start: int, stop: int | None, max_size: int) -> list[RangeItem]:
    """What `read_pages` finds in the range, each page extracted: one worker's task in
    `archiver extract`, the reading of the file included."""
    items: list[RangeItem] = []
    for item in read_pages(path, max_size, start, stop):
        if not isinstance(item, CapturedPage):
            items.append(item)
            continue
        try:
            extracted = Extracted.of(extract_or_explain(item.page, item.warc))
        except Exception as exc:  # as in a task of its own: the page fails, the range goes on
            extracted = Extracted(None, failure=error_reason(exc))
        line = RecordLine.of(extracted.record) if extracted.record is not None else None
        items.append(PageOutcome(item.page.url, extracted, line))
    return items
