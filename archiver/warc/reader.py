"""Reading captured pages back out of WARC files made by archiver or anyone else.

Damage is reported, not raised: a file that is not a WARC, or that breaks off in the middle,
yields what it holds up to the damage and a WarcProblem naming the file and the byte offset,
and the caller goes on with the next file.

Hostile files cost bounded memory: a record's headers are read within a size limit (warcio would
hold a header line of any length, and a 1 MB gzip member inflates to a 1 GB line), and a page's
body is decompressed only up to a size limit (a compression bomb is skipped, not inflated).
"""

from __future__ import annotations

import contextlib
import functools
import io
import itertools
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Generic, Protocol, TypeVar, cast

import brotli
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.recordloader import ArcWarcRecord
from warcio.timeutils import iso_date_to_datetime
from warcio.utils import BUFF_SIZE

from archiver.crawl.captured import CapturedPage
from archiver.page import Page
from archiver.settings import ARCHIVER_MAX_DECOMPRESSED
from archiver.warc.writer import WarcPointer

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
T = TypeVar("T")
# A record's WARC and HTTP headers together, at most. Real ones hold a few kilobytes; servers
# refuse HTTP headers past 8-64 KB.
MAX_HEADER_BYTES = 1 << 20
_BLOCK = 1 << 16


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


@dataclass(frozen=True, slots=True)
class Skipped:
    """An HTML page not handed to extraction, and why: its body is longer than the size limit
    once decompressed (a compression bomb), or it was archived cut short."""

    url: str
    offset: int
    reason: str


class _HeaderBoundedReader(DecompressingBufferedReader):
    """warcio's reader of a WARC file, with a limit on the lines read one after another (a
    record's WARC and HTTP headers, the blank lines between records): past it the record is
    damaged, instead of held in memory however long it is. Reading content ends the run."""

    def __init__(self, stream: IO[bytes], **kwargs: Any) -> None:
        super().__init__(stream, **kwargs)
        self._line_bytes = 0

    def read(self, length: int | None = None) -> bytes:
        self._line_bytes = 0
        data: bytes = super().read(length)
        return data

    def readline(self, length: int | None = None) -> bytes:
        room = MAX_HEADER_BYTES - self._line_bytes + 1
        line: bytes = super().readline(room if length is None else min(length, room))
        self._line_bytes += len(line)
        if self._line_bytes > MAX_HEADER_BYTES:
            raise ArchiveLoadFailed(f"headers longer than {MAX_HEADER_BYTES} bytes")
        return line

    decompress_failed = False
    """Set when a gzip member failed to decompress: warcio then prints the error and reads on
    without the bad part, or (on a member's first block) takes the bytes as uncompressed."""

    def _decompress(self, data: bytes) -> bytes:
        decompressor = self.decompressor
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors):
            decompressed: bytes = super()._decompress(data)
        if decompressor is not None and (self.decompressor is None or errors.getvalue()):
            self.decompress_failed = True
        return decompressed


class BoundedArchiveIterator(ArchiveIterator):
    """warcio's ArchiveIterator reading through a _HeaderBoundedReader, its framing warnings
    counted in `err_count` and kept off stderr (callers report them, with the file's name)."""

    def __init__(self, stream: IO[bytes], **kwargs: Any) -> None:
        super().__init__(stream, **kwargs)
        self.reader = _HeaderBoundedReader(self.fh)

    def _consume_blanklines(self) -> tuple[bytes | None, int]:
        with contextlib.redirect_stderr(io.StringIO()):
            consumed: tuple[bytes | None, int] = super()._consume_blanklines()
        return consumed


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
    except (ValueError, TypeError, OverflowError):  # warcio's reading of a malformed date
        return datetime.fromtimestamp(0, UTC)


def _declares_length(record: ArcWarcRecord) -> bool:
    if record.format != "warc":
        return record.length is not None
    value = record.rec_headers.get_header("Content-Length")
    try:
        return value is not None and int(value) >= 0
    except ValueError:
        return False


def missing_bytes(record: ArcWarcRecord) -> int:
    """Reads the record's block to its end and returns how many of its declared bytes are missing.

    warcio stops quietly at the end of a truncated file, handing out a short record as if whole;
    comparing what the block held with its Content-Length is what reveals the damage.
    """
    stream = record.raw_stream
    while stream.read(1 << 16):
        pass
    return stream.limit if isinstance(stream, LimitReader) else 0


def shares_gzip_member(iterator: ArchiveIterator) -> bool:
    """True when warcio found the start of another record before the end of this record's gzip
    member (in an uncompressed file, the next record follows as it should)."""
    reader = iterator.reader
    gzipped = reader is not None and reader.decompressor is not None
    return gzipped and iterator.next_line is not None


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


class _Window:
    """A file read from a record inside it, in the blocks a reader from its start would read,
    and ending at byte `end` (None: its end), offsets unchanged.

    warcio takes a gzip member whose first block fails to inflate as uncompressed, and one that
    fails later as cut short: its reading of damage depends on where its reads of the file
    fall. Read in the same blocks, a range reads its damage as the whole file does."""

    def __init__(self, handle: IO[bytes], end: int | None) -> None:
        self._handle = handle
        self._end = end

    def read(self, size: int | None = -1) -> bytes:
        position = self._handle.tell()
        room = (self._end - position) if self._end is not None else BUFF_SIZE
        if room <= 0:
            return b""
        wanted = BUFF_SIZE if size is None or size < 0 else size
        return self._handle.read(min(wanted, room, BUFF_SIZE - position % BUFF_SIZE))

    def tell(self) -> int:
        return self._handle.tell()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._handle.seek(offset, whence)


def iter_whole_records(
    path: str, read: Callable[[ArcWarcRecord], T], start: int = 0, stop: int | None = None
) -> Iterator[WholeRecord[T] | WarcProblem]:
    """Every complete record of a file, then a WarcProblem where the file is damaged, if it is.

    `read` sees each record while its content can still be read (the completeness check drains
    it afterwards). With `start` and `stop`, only the records from byte `start` (where a record
    begins) up to byte `stop` are read, as if the file held no others: `record_ranges` finds
    where a file can be cut so.
    """
    if start == 0 and not looks_like_archive(path):
        yield WarcProblem(path, 0, "not a WARC file (no WARC/ header at its start)")
        return
    offset = end = start
    with open(path, "rb") as handle:
        gzipped = handle.read(2) == b"\x1f\x8b"
        handle.seek(start)
        stream = handle if start == 0 and stop is None else cast(IO[bytes], _Window(handle, stop))
        iterator = BoundedArchiveIterator(stream)
        if start:  # as warcio knows it once past the first record, so damage reads the same
            iterator.known_format = "warc"
        try:
            for record in iterator:
                if not _declares_length(record):
                    # warcio would read such a record to the end of the file, or take it as empty.
                    message = "record without a valid Content-Length"
                    yield WarcProblem(path, iterator.offset, message)
                    return
                framing_warnings = iterator.err_count
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
                if gzipped and iterator.reader.decompress_failed:
                    message = "gzip member damaged (its data or checksum does not decompress)"
                    yield WarcProblem(path, offset, message)
                    return
                if iterator.err_count > framing_warnings:
                    length = record.rec_headers.get_header("Content-Length")
                    yield WarcProblem(
                        path, offset, f"Content-Length {length} does not match the record"
                    )
                    return
                if shares_gzip_member(iterator):
                    # Where such a record ends, warcio cannot tell: its offsets go wrong from here.
                    message = "more than one record in one gzip member"
                    yield WarcProblem(path, offset, message)
                    return
                end = offset + iterator.get_record_length()
                yield WholeRecord(record, offset, end, value)
        except Exception as exc:
            # warcio fails on damaged bytes in many ways: ArchiveLoadFailed, zlib and gzip
            # errors, but also AttributeError (a response without a WARC-Target-URI) and others.
            # After a whole record, warcio's offset is where the damaged one begins.
            where = max(end, getattr(iterator, "offset", end))
            reason = repr(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)[:120]
            yield WarcProblem(path, where, f"damaged record ({type(exc).__name__}: {reason})")
            return
        # warcio ends quietly where a record's head is cut off: bytes left after the last whole
        # record (other than the blank lines that end records) are the start of a lost one. A
        # range ends where a record starts: what warcio passed over before it (an empty gzip
        # member) it passes over in the whole file too.
        handle.seek(end)
        if stop is None and handle.read(1 << 16).strip():
            yield WarcProblem(path, end, "the file ends inside a record (cut short?)")


def read_pages(
    path: str, max_size: int = ARCHIVER_MAX_DECOMPRESSED, start: int = 0, stop: int | None = None
) -> Iterator[CapturedPage | Revisit | Skipped | WarcProblem]:
    """HTML pages (status 200) and revisits in one file (or the range of it from `start` to
    `stop`), then a problem if it is damaged.

    A page whose body is longer than `max_size` bytes once decompressed (by default the limit
    of a crawl's own decompression), or that was archived cut short, is Skipped: a crawl would
    not have extracted it either.
    """
    for item in iter_whole_records(path, functools.partial(_page, max_size=max_size), start, stop):
        if isinstance(item, WarcProblem):
            yield item
            continue
        headers = item.record.rec_headers
        url = headers.get_header("WARC-Target-URI") or ""
        if item.record.rec_type == "revisit":
            yield Revisit(url)
        elif isinstance(item.value, str):
            yield Skipped(url, item.offset, item.value)
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


def _page(record: ArcWarcRecord, max_size: int) -> Page | str | None:
    """The page a record holds, None if it holds none, or why it is not to be extracted."""
    if record.rec_type != "response" or _status(record) != 200 or not _is_html(record):
        return None
    truncated = record.rec_headers.get_header("WARC-Truncated")
    if truncated:
        return f"archived cut short, WARC-Truncated: {truncated}"
    body = _body(record, max_size)
    if body is None:
        return f"body longer than {max_size} bytes decompressed"
    return Page(
        url=record.rec_headers.get_header("WARC-Target-URI") or "",
        body=body,
        content_type=record.http_headers.get_header("Content-Type"),
        captured_at=_captured_at(record),
    )


class _Decoder(Protocol):
    def feed(self, data: bytes, most: int) -> Iterator[bytes]:
        """What `data` decodes to, in pieces of at most `most` bytes each."""
        ...


class _Inflate:
    def __init__(self, wbits: int) -> None:
        self._decompressor = zlib.decompressobj(wbits)

    def feed(self, data: bytes, most: int) -> Iterator[bytes]:
        while data and not self._decompressor.eof:
            yield self._decompressor.decompress(data, most)
            data = self._decompressor.unconsumed_tail


class _Unbrotli:
    def __init__(self) -> None:
        self._decompressor = brotli.Decompressor()

    def feed(self, data: bytes, most: int) -> Iterator[bytes]:
        if self._decompressor.is_finished():
            return
        yield self._decompressor.process(data, output_buffer_limit=most)
        while not self._decompressor.can_accept_more_data():
            yield self._decompressor.process(b"", output_buffer_limit=most)


# The content codings warcio's content_stream() decodes, each with the decoders to try in turn.
_CODINGS: dict[str, tuple[Callable[[], _Decoder], ...]] = {
    "gzip": (lambda: _Inflate(16 + zlib.MAX_WBITS),),
    "deflate": (lambda: _Inflate(zlib.MAX_WBITS), lambda: _Inflate(-zlib.MAX_WBITS)),
    "br": (_Unbrotli,),
}


class _NotThisCoding(Exception):
    """The body's first bytes do not decode: `read` gives them back for the next try."""

    def __init__(self, read: bytes) -> None:
        super().__init__()
        self.read = read


def _body(record: ArcWarcRecord, max_size: int) -> bytes | None:
    """The payload de-chunked and decoded as warcio's content_stream() gives it (a body that
    does not decode from its start is taken as sent), or None when longer than `max_size`.

    warcio inflates each 16 KB it reads in one call, and 16 KB of brotli can hold gigabytes, so
    decoding happens here, in steps that never produce more than the room left.
    """
    headers = record.http_headers
    chunked = headers.get_header("Transfer-Encoding") == "chunked"
    blocks = _dechunked(record.raw_stream) if chunked else _blocks(record.raw_stream)
    for decoder in _CODINGS.get((headers.get_header("Content-Encoding") or "").lower(), ()):
        try:
            return _decoded(blocks, decoder(), max_size)
        except _NotThisCoding as wrong:
            blocks = itertools.chain([wrong.read], blocks)
    body = bytearray()
    for block in blocks:
        body += block
        if len(body) > max_size:
            return None
    return bytes(body)


def _decoded(blocks: Iterator[bytes], decoder: _Decoder, max_size: int) -> bytes | None:
    body = bytearray()
    read = bytearray()  # until the first output shows the coding is right
    for block in blocks:
        if not body:
            read += block
            if len(read) > max_size:
                return None
        try:
            for piece in decoder.feed(block, max_size + 1 - len(body)):
                body += piece
                if len(body) > max_size:
                    return None
        except (zlib.error, brotli.error) as exc:
            if not body:
                raise _NotThisCoding(bytes(read)) from exc
            break  # damaged further on: the body is what decodes, as with warcio
    return bytes(body)


def _blocks(stream: IO[bytes]) -> Iterator[bytes]:
    while block := stream.read(_BLOCK):
        yield block


def _dechunked(stream: IO[bytes]) -> Iterator[bytes]:
    """A chunked body's data, block by block. From a size line that does not parse on, the
    bytes are taken as they are, as warcio does (servers mark unchunked bodies chunked)."""
    while True:
        line = stream.readline(64)
        try:
            size = int(line.split(b";")[0], 16) if line.endswith(b"\r\n") else -1
        except ValueError:
            size = -1
        if size < 0:
            yield line
            yield from _blocks(stream)
            return
        if size == 0:
            return
        while size > 0 and (block := stream.read(min(size, _BLOCK))):
            size -= len(block)
            yield block
        stream.read(2)  # the CRLF after the chunk
