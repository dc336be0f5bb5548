"""Reading captured pages back out of WARC files made by archiver or anyone else.

Damage is reported, not raised: a file that is not a WARC, or that breaks off in the middle,
yields what it holds up to the damage and a WarcProblem naming the file and the byte offset,
and the caller goes on with the next file.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Generic, TypeVar

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.recordloader import ArcWarcRecord
from warcio.timeutils import iso_date_to_datetime

from archiver.crawl.captured import CapturedPage
from archiver.page import Page
from archiver.warc.writer import WarcPointer

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class WarcProblem:
    path: str
    offset: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}: at byte offset {self.offset}: {self.message}"


@dataclass(frozen=True, slots=True)
class Revisit:
    url: str


def expand_paths(paths: Iterable[str]) -> tuple[list[str], list[WarcProblem]]:
    """WARC files named or found under folders, in a stable order; missing paths are problems."""
    found: list[str] = []
    problems: list[WarcProblem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = sorted(
                p for p in path.rglob("*") if p.is_file() and p.name.endswith(WARC_SUFFIXES)
            )
            found.extend(str(p) for p in inside)
            if not inside:
                problems.append(WarcProblem(given, 0, "no WARC files (*.warc, *.warc.gz) here"))
        elif path.is_file():
            found.append(given)
        else:
            problems.append(WarcProblem(given, 0, "no such file or folder"))
    return found, problems


def looks_like_archive(path: str) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(64 * 1024)
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, 64)
        except zlib.error:
            return False
    return head.startswith((b"WARC/", b"filedesc://"))


def _is_html(record: ArcWarcRecord) -> bool:
    headers = record.http_headers
    if headers is None:
        return False
    content_type = (headers.get_header("Content-Type") or "").lower()
    return "html" in content_type


def _status(record: ArcWarcRecord) -> int:
    code = record.http_headers.get_statuscode() if record.http_headers else ""
    return int(code) if code and code.isdigit() else 0


def _captured_at(record: ArcWarcRecord) -> datetime:
    date = record.rec_headers.get_header("WARC-Date") or ""
    try:
        return iso_date_to_datetime(date).replace(tzinfo=UTC)
    except ValueError:
        return datetime.fromtimestamp(0, UTC)


def missing_bytes(record: ArcWarcRecord) -> int:
    """Reads the record's block to its end and returns how many of its declared bytes are missing.

    warcio stops quietly at the end of a truncated file, handing out a short record as if whole;
    comparing what the block held with its Content-Length is what reveals the damage.
    """
    stream = record.raw_stream
    while stream.read(1 << 16):
        pass
    return stream.limit if isinstance(stream, LimitReader) else 0


def gzip_member_unfinished(iterator: ArchiveIterator) -> bool:
    """True when the record's gzip member ended before its trailer: the file was cut there."""
    reader = iterator.reader
    decompressor = getattr(reader, "decompressor", None) if reader is not None else None
    return decompressor is not None and not decompressor.eof


@dataclass(frozen=True, slots=True)
class WholeRecord(Generic[T]):
    """A record read to its declared end; `value` is what was made of its content on the way."""

    record: ArcWarcRecord
    offset: int
    end: int
    value: T


def iter_whole_records(
    path: str, read: Callable[[ArcWarcRecord], T]
) -> Iterator[WholeRecord[T] | WarcProblem]:
    """Every complete record of a file, then a WarcProblem where the file is damaged, if it is.

    `read` sees each record while its content can still be read (the completeness check drains
    it afterwards).
    """
    if not looks_like_archive(path):
        yield WarcProblem(path, 0, "not a WARC file (no WARC/ header at its start)")
        return
    offset = end = 0
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(stream)
        try:
            for record in iterator:
                value = read(record)
                missing = missing_bytes(record)
                # Only now: warcio reads the record to its end to tell where it began.
                offset = iterator.get_record_offset()
                if missing:
                    yield WarcProblem(path, offset, f"record cut short: {missing} bytes missing")
                    return
                if gzip_member_unfinished(iterator):
                    yield WarcProblem(path, offset, "gzip member cut short (its end is missing)")
                    return
                end = offset + iterator.get_record_length()
                yield WholeRecord(record, offset, end, value)
        except (ArchiveLoadFailed, zlib.error, EOFError, gzip.BadGzipFile, ValueError) as exc:
            # After a whole record, warcio's offset is where the damaged one begins.
            where = max(end, getattr(iterator, "offset", end))
            reason = repr(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)[:120]
            yield WarcProblem(path, where, f"damaged record ({type(exc).__name__}: {reason})")
            return
        # warcio ends quietly where a record's head is cut off: bytes left after the last whole
        # record (other than the blank lines that end records) are the start of a lost one.
        stream.seek(end)
        if stream.read(1 << 16).strip():
            yield WarcProblem(path, end, "the file ends inside a record (cut short?)")


def read_pages(path: str) -> Iterator[CapturedPage | Revisit | WarcProblem]:
    """HTML pages (status 200) and revisits in one file, then a problem if it is damaged."""
    for item in iter_whole_records(path, _page):
        if isinstance(item, WarcProblem):
            yield item
            continue
        headers = item.record.rec_headers
        if item.record.rec_type == "revisit":
            yield Revisit(headers.get_header("WARC-Target-URI") or "")
        elif item.value is not None:
            yield CapturedPage(
                page=item.value,
                warc=WarcPointer(
                    filename=path,
                    offset=item.offset,
                    record_id=headers.get_header("WARC-Record-ID") or "",
                    payload_digest=headers.get_header("WARC-Payload-Digest"),
                ),
            )


def _page(record: ArcWarcRecord) -> Page | None:
    if record.rec_type != "response" or _status(record) != 200 or not _is_html(record):
        return None
    return Page(
        url=record.rec_headers.get_header("WARC-Target-URI") or "",
        body=record.content_stream().read(),
        content_type=record.http_headers.get_header("Content-Type"),
        captured_at=_captured_at(record),
    )
