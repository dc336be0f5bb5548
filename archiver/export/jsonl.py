"""JSON Lines files of records: appended one flushed line at a time, read back tolerantly, and
written whole by `archiver export`.

A crawl killed mid-write can leave a torn last line; it is cut off before appending, so one bad
line never glues itself to the next good record. The page itself is safe in the WARC and can be
extracted again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from archiver.records import Record, content_key

logger = logging.getLogger(__name__)


def _cut_torn_tail(path: Path) -> None:
    with open(path, "rb+") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        if size == 0:
            return
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return
        step = min(size, 1 << 16)
        position = size
        while position > 0:
            position = max(0, position - step)
            handle.seek(position)
            chunk = handle.read(min(step, size - position))
            newline = chunk.rfind(b"\n")
            if newline >= 0:
                handle.truncate(position + newline + 1)
                break
        else:
            handle.truncate(0)
    logger.warning("Cut an incomplete last line off %s (left by an interrupted run)", path)


@dataclass(frozen=True, slots=True)
class RecordLine:
    """A record as its file holds it, with the key that tells a repeat: made where the record is
    built (an extraction worker of `archiver extract`), so that the process writing the file
    only appends lines."""

    key: tuple[str, str]
    line: str

    @classmethod
    def of(cls, record: Record) -> RecordLine:
        data = record.as_dict()
        return cls(content_key(data), _line(data))


class RecordWriter:
    """Appends records to a JSON Lines file, skipping those the collection holds unchanged.

    A later run over the same pages (a re-crawl, `extract` run twice) then adds only what is new
    or changed, and the file stays free of duplicate records.
    """

    def __init__(self, path: Path, existing: Iterable[dict[str, Any]]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            _cut_torn_tail(path)
        self._known = {content_key(r) for r in existing if "id" in r}
        self.path = path
        self.start = path.stat().st_size if path.exists() else 0
        """Where this writer's first record goes: what it appends lies from here on."""
        self._handle: TextIO = open(path, "a", encoding="utf-8")  # noqa: SIM115

    def write(self, record: Record | RecordLine) -> bool:
        """Appends the record and returns True, or returns False if it is already there."""
        written = record if isinstance(record, RecordLine) else RecordLine.of(record)
        if written.key in self._known:
            return False
        self._known.add(written.key)
        self._handle.write(written.line)
        self._handle.flush()
        return True

    def close(self) -> None:
        self._handle.close()


def write_records(records: Iterable[dict[str, Any]], path: Path) -> None:
    """Writes records to a new JSON Lines file, one compact line each, as a crawl writes them."""
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(_line(record))


def _line(record: dict[str, Any]) -> str:
    """One record as a line: compact, UTF-8 as it is (no \\u escapes)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """Every record in a JSON Lines file, skipping (and logging) lines that are not JSON."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                logger.warning("%s line %d is not a JSON record; skipped", path, number)


def collection_records(folder: Path) -> Iterator[dict[str, Any]]:
    """Every record of a collection folder: every `.jsonl` file under it holds records."""
    for path in sorted(folder.rglob("*.jsonl")):
        yield from read_records(path)
