"""Which issue-archive page lists which article: the `issue_page` of the records.

A profile's issue-archive pages (Socialist Worker's /issue/996: "Issue: 2637", "Dated: 15 Jan
2019") list one print issue's articles. A crawl, and `archiver extract` over WARCs, read them as
they come and give every article they list its `issue_page` {url, issue, date}, and its `issue`
where the article page itself prints none. Pages arrive in crawl order, so an article can be
written before the issue page that lists it is read: at the end of the run such records are
written once more, with `issue_page`; the collection keeps both lines, and export and report
take the later one (the same capture, read later).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from archiver.export.jsonl import RecordWriter
from archiver.records import Record, record_id

if TYPE_CHECKING:
    from archiver.extract import IssueArchive


class IssuePages:
    """Issue pages read so far, by the id of each article they list.

    An article listed by several issue pages (a reprint, a corrected contents page) keeps the
    first one read. Each issue's `issue_page` is one shared dict, so an archive of many issues
    costs a key per listed article.
    """

    def __init__(self) -> None:
        self._by_id: dict[str, dict[str, str | None]] = {}

    def learn(self, archive: IssueArchive) -> None:
        issue_page = archive.issue_page()
        for url in archive.articles:
            self._by_id.setdefault(record_id(url), issue_page)

    def lookup(self, url: str, canonical_url: str) -> dict[str, str | None] | None:
        if not self._by_id:  # most collections: no profile with issue archives
            return None
        return self._by_id.get(record_id(canonical_url)) or self._by_id.get(record_id(url))

    def fill(self, record: Record) -> Record:
        """The record with the issue page that lists it, if one was read."""
        if record.issue_page is not None:
            return record
        issue_page = self.lookup(record.url, record.canonical_url)
        if issue_page is None:
            return record
        return dataclasses.replace(
            record, issue_page=dict(issue_page), issue=record.issue or issue_page["issue"]
        )

    def amend(self, writer: RecordWriter, since: int) -> int:
        """Writes again, with their issue page, the records this run wrote (from byte `since`
        of the writer's file) before the issue page listing them was read; returns how many."""
        if not self._by_id:
            return 0
        end = writer.path.stat().st_size  # what is appended below is not read again
        amended = 0
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with open(writer.path, "rb") as handle:
            handle.seek(since)
            while handle.tell() < end:
                line = handle.readline()
                record = _record(line)
                if record is None or record.issue_page is not None:
                    continue
                filled = self.fill(record)
                if filled is not record and writer.write(
                    dataclasses.replace(filled, extracted_at=now)
                ):
                    amended += 1
        return amended


def _record(line: bytes) -> Record | None:
    try:
        return Record(**json.loads(line))
    except (ValueError, TypeError):
        return None  # a line of another shape is left as it is
