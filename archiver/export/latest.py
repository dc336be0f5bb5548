"""One record per article: the collection's records de-duplicated by id, and sorted.

A collection gathers several records of one article over time: a later crawl of a changed page
(a new capture), `archiver extract` run again with a newer archiver (the same capture, a newer
extractor). Export and report want the one a researcher should read: the record of the newest
capture, and for the same capture the one of the newest extractor version (compared as versions,
so 0.10 is newer than 0.9), and of equal ones the one written last (archiver/issue_pages.py
writes a record again once its issue page is read). Capture time is the response record's
WARC-Date, read through the pointer only where an id has records of different captures.

Sorted by publication, then by the date as printed (the day), then by the moment it gives, so a
table reads like the paper's own archive; undated records and those of no publication come last.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from archiver.errors import UsageError
from archiver.export.jsonl import collection_records
from archiver.export.warc_pointer import WarcPointerResolver

_EARLIEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class LatestRecords:
    records: list[dict[str, Any]]
    """One per id, sorted by publication and date."""
    lines_read: int
    """Records read from the collection's `.jsonl` files, superseded ones included."""


def latest_records(collection: Path) -> LatestRecords:
    """The newest record of every article in a collection folder, sorted."""
    if not collection.is_dir():
        raise UsageError(f"{collection} is not a folder (give a crawl's output folder)")
    by_id: dict[str, list[dict[str, Any]]] = {}
    read = 0
    for record in collection_records(collection):
        read += 1
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            by_id.setdefault(record["id"], []).append(record)
    if not by_id:
        raise UsageError(f"no article records (*.jsonl) in {collection}")
    resolver = WarcPointerResolver(collection)
    newest = [_newest(versions, resolver) for versions in by_id.values()]
    return LatestRecords(sorted(newest, key=_reading_order), read)


def _newest(records: list[dict[str, Any]], resolver: WarcPointerResolver) -> dict[str, Any]:
    captured: dict[str, datetime] = {}
    if len({_capture(r) for r in records}) > 1:
        for record in records:  # each capture's WARC-Date is read once
            if _capture(record) not in captured:
                captured[_capture(record)] = resolver.captured_at(_warc(record))
    # Of equal ones, the one written last: a record written again with its issue page.
    newest = max(
        enumerate(records),
        key=lambda item: (
            captured.get(_capture(item[1]), _EARLIEST),
            _version(item[1]),
            _instant(item[1].get("extracted_at")),
            item[0],
        ),
    )
    return newest[1]


def _warc(record: dict[str, Any]) -> dict[str, Any]:
    warc = record.get("warc")
    return warc if isinstance(warc, dict) else {}


def _capture(record: dict[str, Any]) -> str:
    """The response record a record was extracted from: the same id in any copy of its WARC."""
    warc = _warc(record)
    return str(warc.get("record_id") or f"{warc.get('filename')}@{warc.get('offset')}")


def _version(record: dict[str, Any]) -> tuple[bool, Version]:
    extractor = record.get("extractor")
    text = extractor.get("version") if isinstance(extractor, dict) else None
    try:
        return True, Version(str(text))
    except InvalidVersion:
        return False, Version("0")  # an unreadable version is older than any readable one


def _instant(text: object) -> datetime:
    """An ISO 8601 date or date-time as a moment in UTC (a day or a naive time taken as UTC)."""
    if not isinstance(text, str):
        return _EARLIEST
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return _EARLIEST
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _reading_order(record: dict[str, Any]) -> tuple[Any, ...]:
    publication = record.get("publication")
    date = record.get("date")
    return (
        not isinstance(publication, str),
        publication.casefold() if isinstance(publication, str) else "",
        publication if isinstance(publication, str) else "",
        not isinstance(date, str),
        date[:10] if isinstance(date, str) else "",
        _instant(date),
        str(record.get("id")),
    )
