"""Following a record's `warc` pointer back to the response record it was extracted from.

Export needs the capture time of a record (the response's WARC-Date) to tell an old capture
from a new one; records do not carry it, the WARC does. A pointer's filename is relative to the
collection folder for a crawl's records and as typed on the command line for `archiver extract`'s,
so it is looked for in both places, then by its name under the collection: WARC file names are
unique (timestamp, serial, host and process id), and a collection moved to another disk still
resolves.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.timeutils import iso_date_to_datetime

from archiver.errors import WarcPointerError
from archiver.warc.reader import WARC_SUFFIXES


class WarcPointerResolver:
    """Finds the WARC files of one collection's pointers; the folder is searched once, lazily."""

    def __init__(self, collection: Path) -> None:
        self.collection = collection
        self._by_name: dict[str, list[Path]] | None = None

    def path(self, warc: dict[str, Any]) -> Path:
        """The WARC file the pointer names; WarcPointerError when there is none or two."""
        filename = str(warc.get("filename") or "")
        if not filename:
            raise WarcPointerError(f"a record in {self.collection} has no warc.filename")
        given = Path(filename)
        candidates = [given] if given.is_absolute() else [self.collection / given, given]
        for candidate in candidates:
            if candidate.is_file():
                return candidate
        found = self._files_named(given.name)
        if len(found) == 1:
            return found[0]
        where = "no file" if not found else f"{len(found)} files"
        raise WarcPointerError(f"{filename}: {where} of that name in {self.collection}")

    def captured_at(self, warc: dict[str, Any]) -> datetime:
        """When the cited response was captured: its WARC-Date, in UTC.

        The record at the offset must be a response with the record id cited: anything else
        means the pointer is stale (a WARC rewritten or replaced), and a date read there would
        be some other capture's.
        """
        path = self.path(warc)
        offset = warc.get("offset")
        if not isinstance(offset, int) or offset < 0:
            raise WarcPointerError(f"{path}: bad warc.offset {offset!r}")
        where = f"{path} at offset {offset}"
        with open(path, "rb") as stream:
            stream.seek(offset)
            try:
                record = next(iter(ArchiveIterator(stream)), None)
            except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
                raise WarcPointerError(f"{where}: no WARC record ({exc})") from exc
        if record is None:
            raise WarcPointerError(f"{where}: no WARC record (end of file)")
        found_id = record.rec_headers.get_header("WARC-Record-ID")
        cited_id = warc.get("record_id")
        if cited_id and found_id != cited_id:
            raise WarcPointerError(f"{where}: record {found_id}, not {cited_id} as cited")
        if record.rec_type != "response":
            raise WarcPointerError(f"{where}: a {record.rec_type} record, not a response")
        date = record.rec_headers.get_header("WARC-Date") or ""
        try:
            return iso_date_to_datetime(date).replace(tzinfo=UTC)
        except ValueError as exc:
            raise WarcPointerError(f"{where}: bad WARC-Date {date!r}") from exc

    def _files_named(self, name: str) -> list[Path]:
        if self._by_name is None:
            self._by_name = {}
            for path in sorted(self.collection.rglob("*")):
                if path.name.endswith(WARC_SUFFIXES) and path.is_file():
                    self._by_name.setdefault(path.name, []).append(path)
        return self._by_name.get(name, [])
