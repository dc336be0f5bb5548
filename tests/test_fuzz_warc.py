"""Fuzzing the WARC reader and the validator with damaged copies of a real crawl's WARC.

The seed is a WARC of the project's own crawl of the demo site (the session's `demo_crawl`): its
warcinfo record and a window of the records after it. Hypothesis damages it the ways files are
damaged, at and around record boundaries as much as inside records: records edited (a header
given another value, Content-Length among them; a payload re-encoded with gzip, brotli or
chunks), duplicated, deleted, swapped, two put in one gzip member, one split over two members;
then bytes flipped, cut, inserted or deleted. Half the cases are plain (uncompressed) WARCs.

What must hold, whatever the damage:
- nothing raises: damage comes out as a WarcProblem (reader) or a FileCheck problem (validator);
- nothing hangs: each case has a deadline, and each test a timeout;
- every record the reader yields before a problem is whole: its bytes, read alone, are a
  complete record (a complete gzip member holding the Content-Length it declares), and the file
  cut after the last of them (what crash recovery does) reads again without a problem;
- the reader and the validator agree: a file the reader finds damaged fails validation;
- a file read in the ranges `archiver extract` cuts it into reads as it does whole.

Cases are derandomized (the same every run, so CI is not flaky) and not stored (no example
database in the tree); 2,400 cases here, 1,000 more in test_fuzz_extract.py.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import brotli
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver.warc.ranges import record_ranges
from archiver.warc.reader import (
    Revisit,
    Skipped,
    WarcProblem,
    WholeRecord,
    iter_whole_records,
    read_pages,
)
from archiver.warc.validate import validate_warcs
from tests.conftest import CrawlRun

# Records after the warcinfo record in one case: enough for every kind of record to meet its
# neighbours, few enough for a case to take milliseconds.
WINDOW = 8
# Smaller than some of the demo's pages, so the reader's size limit is met, by plain bodies and by
# re-encoded ones.
MAX_SIZE = 6000
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=timedelta(seconds=3),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True, repr=False)
class Seed:
    records: list[bytes]
    """Each record of the seed WARC as written: its headers, block and the blank lines after."""
    members: list[bytes]
    """Each record's gzip member as archiver wrote it."""

    def __repr__(self) -> str:  # hypothesis prints it with each failing case
        return f"Seed({len(self.records)} records)"


def _members(data: bytes) -> list[bytes]:
    members, offset = [], 0
    while offset < len(data):
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        decompressor.decompress(data[offset:])
        size = len(data) - offset - len(decompressor.unused_data)
        members.append(data[offset : offset + size])
        offset += size
    return members


@pytest.fixture(scope="module")
def seed(demo_crawl: CrawlRun) -> Seed:
    warc = max((demo_crawl.output / "warc").glob("*.warc.gz"), key=lambda p: p.stat().st_size)
    members = _members(warc.read_bytes())
    return Seed([gzip.decompress(member) for member in members], members)


@pytest.fixture(scope="module")
def case_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where each case is written (one file, overwritten): the reader and validator read paths."""
    return tmp_path_factory.mktemp("fuzz") / "case.warc.gz"


# --- damage to records ------------------------------------------------------------------------


@dataclass
class Part:
    """One record of the case, and the gzip member it is written as (None: compress it anew)."""

    record: bytes
    member: bytes | None = None


def _split_head(data: bytes) -> tuple[bytes, bytes]:
    """The head (status line and headers, without the blank line) and what follows it."""
    head, sep, rest = data.partition(b"\r\n\r\n")
    return (head, rest) if sep else (data, b"")


def _with_header(head: bytes, name: bytes, value: bytes | None) -> bytes:
    """`head` with header `name` set to `value` (None: removed); the status line if name is b""."""
    lines = head.split(b"\r\n")
    if not name:
        return b"\r\n".join([value or b"", *lines[1:]])
    key = name.lower() + b":"
    found = [i for i, line in enumerate(lines) if i and line.lower().startswith(key)]
    if value is None:
        return b"\r\n".join(line for i, line in enumerate(lines) if i not in found)
    if found:
        lines[found[0]] = name + b": " + value
    else:
        lines.append(name + b": " + value)
    return b"\r\n".join(lines)


def _length(head: bytes) -> int:
    for line in re.split(rb"\r?\n", head)[1:]:
        if line.lower().startswith(b"content-length:"):
            try:
                return int(line.split(b":", 1)[1])
            except ValueError:
                return 0
    return 0


def _with_block(record: bytes, block: bytes) -> bytes:
    """The record holding `block` instead, its Content-Length made to match."""
    head, _ = _split_head(record)
    head = _with_header(head, b"Content-Length", str(len(block)).encode())
    return head + b"\r\n\r\n" + block + b"\r\n\r\n"


def _block(record: bytes) -> bytes:
    head, rest = _split_head(record)
    return rest[: _length(head)]


def _with_block_unfitted(record: bytes, block: bytes) -> bytes:
    """The record holding `block` instead, its Content-Length left as it was."""
    head, rest = _split_head(record)
    return head + b"\r\n\r\n" + block + rest[len(_block(record)) :]


WARC_HEADERS = [
    b"Content-Length",
    b"WARC-Type",
    b"WARC-Target-URI",
    b"WARC-Date",
    b"WARC-Record-ID",
    b"WARC-Truncated",
    b"WARC-Payload-Digest",
    b"WARC-Block-Digest",
    b"WARC-Concurrent-To",
    b"Content-Type",
]
HTTP_HEADERS = [
    b"",  # the status line
    b"Content-Type",
    b"Content-Encoding",
    b"Transfer-Encoding",
    b"Content-Length",
]
ODD_VALUES = [
    b"",
    b"0",
    b"-1",
    b"10000000000",
    b"99999999999999999999999999",
    b" 12 ",
    b"1_0",
    b"0x10",
    b"response",
    b"revisit",
    b"request",
    b"warcinfo",
    b"metadata",
    b"gzip",
    b"br",
    b"deflate",
    b"gzip, br",
    b"chunked",
    b"identity",
    b"text/html",
    b"text/html; charset=utf-16",
    b"application/http; msgtype=response",
    b"length",
    b"HTTP/1.1 200 OK",
    b"HTTP/1.1 999",
    b"WARC/1.1",
    b"2024-13-45T99:99:99Z",
    b"<urn:uuid:x>",
    b"http://[broken",
    b"dns:example.org",
    b"\x00\xff\xfe",
    "ü€".encode(),
    b"x" * 5000,
]
header_values = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.integers(-5, 100_000).map(lambda n: str(n).encode()),
    st.binary(max_size=24).filter(lambda b: b"\r" not in b and b"\n" not in b),
)


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=1, mtime=0)


def _deflate(data: bytes) -> bytes:
    return zlib.compress(data, 1)


def _chunked(data: bytes) -> bytes:
    pieces = [data[i : i + 700] for i in range(0, len(data), 700)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


CODINGS: dict[str, tuple[bytes, bytes, Callable[[bytes], bytes]]] = {
    "gzip": (b"Content-Encoding", b"gzip", _gzip),
    "br": (b"Content-Encoding", b"br", lambda data: brotli.compress(data, quality=1)),
    "deflate": (b"Content-Encoding", b"deflate", _deflate),
    "raw deflate": (b"Content-Encoding", b"deflate", lambda data: _deflate(data)[2:-4]),
    "chunked": (b"Transfer-Encoding", b"chunked", _chunked),
    "mislabelled": (b"Content-Encoding", b"gzip", lambda data: data),
    # Far past MAX_SIZE once decompressed: a small bomb.
    "bomb": (b"Content-Encoding", b"br", lambda data: brotli.compress(data + bytes(1 << 20))),
}


@st.composite
def record_edits(draw: st.DrawFn, parts: list[Part]) -> list[Part]:
    parts = list(parts)
    i = draw(st.integers(0, len(parts) - 1))
    kind = draw(
        st.sampled_from(
            ["warc header", "http header", "recode", "duplicate", "delete", "swap", "join", "split"]
        )
    )
    record = parts[i].record
    if kind == "warc header":
        head, rest = _split_head(record)
        head = _with_header(
            head, draw(st.sampled_from(WARC_HEADERS)), draw(st.none() | header_values)
        )
        parts[i] = Part(head + b"\r\n\r\n" + rest)
    elif kind in ("http header", "recode"):
        http_head, payload = _split_head(_block(record))
        if kind == "http header":
            name = draw(st.sampled_from(HTTP_HEADERS))
            http_head = _with_header(http_head, name, draw(st.none() | header_values))
        else:
            name, value, encode = CODINGS[draw(st.sampled_from(sorted(CODINGS)))]
            http_head = _with_header(http_head, name, value)
            payload = encode(payload)
            if payload and draw(st.booleans()):  # and the encoded payload damaged too
                at = draw(st.integers(0, max(0, len(payload) - 1)))
                payload = payload[:at] + bytes([payload[at] ^ 0x55]) + payload[at + 1 :]
        block = http_head + b"\r\n\r\n" + payload
        fitted = draw(st.booleans())  # or left with the old Content-Length: framing damage
        parts[i] = Part((_with_block if fitted else _with_block_unfitted)(record, block))
    elif kind == "duplicate":
        parts.insert(draw(st.integers(0, len(parts))), parts[i])
    elif kind == "delete" and len(parts) > 1:
        del parts[i]
    elif kind == "swap":
        j = draw(st.integers(0, len(parts) - 1))
        parts[i], parts[j] = parts[j], parts[i]
    elif kind == "join" and i + 1 < len(parts):
        parts[i : i + 2] = [Part(parts[i].record + parts[i + 1].record)]
    elif kind == "split":
        at = draw(st.integers(0, len(record)))
        halves = [_gzip(record[:at]), _gzip(record[at:])]
        parts[i] = Part(record, b"".join(halves))
    return parts


# --- damage to bytes --------------------------------------------------------------------------

INSERTS = [b"\r\n", b"\r\n\r\n", b"\x1f\x8b\x08\x00", b"WARC/1.1\r\n", b"\x00", b"\xff" * 3]


@st.composite
def positions(draw: st.DrawFn, boundaries: list[int], size: int) -> int:
    """A byte position: at or near a record's boundary, or anywhere."""
    if boundaries and draw(st.booleans()):
        at = draw(st.sampled_from(boundaries)) + draw(st.integers(-12, 12))
    else:
        at = draw(st.integers(0, size))
    return min(max(at, 0), size)


@st.composite
def byte_edits(draw: st.DrawFn, data: bytes, boundaries: list[int]) -> bytes:
    at = draw(positions(boundaries, len(data)))
    kind = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
    if kind == "flip" and at < len(data):
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    if kind == "cut":
        return data[:at]
    if kind == "insert":
        inserted = draw(st.sampled_from(INSERTS) | st.binary(min_size=1, max_size=16))
        return data[:at] + inserted + data[at:]
    return data[:at] + data[at + draw(st.integers(1, 64)) :]


@st.composite
def damaged_warcs(draw: st.DrawFn, seed: Seed) -> bytes:
    start = draw(st.integers(1, len(seed.records) - WINDOW))
    picked = [0, *range(start, start + WINDOW)]
    parts = [Part(seed.records[i], seed.members[i]) for i in picked]
    for _ in range(draw(st.integers(0, 2))):
        parts = draw(record_edits(parts))
    gzipped = draw(st.booleans())
    written = [(p.member or _gzip(p.record)) if gzipped else p.record for p in parts]
    boundaries, offset = [], 0
    for piece in written:
        boundaries.append(offset)
        offset += len(piece)
    data = b"".join(written)
    for _ in range(draw(st.integers(0, 3))):
        data = draw(byte_edits(data, boundaries))
    return data


# --- what must hold ---------------------------------------------------------------------------


_BLANK_LINE = re.compile(rb"\r?\n\r?\n")


def _is_whole(data: bytes, offset: int, end: int) -> bool:
    """Whether data[offset:end], read alone, is one complete record with all the bytes its
    Content-Length declares: gzipped, complete gzip members and nothing more (warcio passes
    over empty members before a record)."""
    chunk = data[offset:end]
    record = b""
    while chunk[:2] == b"\x1f\x8b":
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            record += decompressor.decompress(chunk)
        except zlib.error:
            return False
        if not decompressor.eof:
            return False
        chunk = decompressor.unused_data
    record += chunk
    # Headers end at the first empty line; like warcio (and older tools' WARCs), a line may end
    # in a bare LF.
    blank = _BLANK_LINE.search(record)
    if blank is None:
        return False
    head, block = record[: blank.start()], record[blank.end() :]
    return head[:5].upper() == b"WARC/" and len(block) >= _length(head)


def _read(record: Any) -> None:
    return None


def _reader_items(path: Path) -> list[WholeRecord[None] | WarcProblem]:
    return list(iter_whole_records(str(path), _read))


def _check_reader(path: Path, data: bytes) -> list[WholeRecord[None] | WarcProblem]:
    items = _reader_items(path)
    problems = [i for i, item in enumerate(items) if isinstance(item, WarcProblem)]
    assert problems in ([], [len(items) - 1]), "at most one problem, and it ends the file"
    whole = [item for item in items if isinstance(item, WholeRecord)]
    previous_end = 0
    for item in whole:
        assert previous_end <= item.offset < item.end <= len(data)
        assert _is_whole(data, item.offset, item.end), (item.offset, item.end)
        previous_end = item.end
    for problem in items[len(whole) :]:
        assert isinstance(problem, WarcProblem)
        assert problem.path == str(path) and 0 <= problem.offset <= len(data)
    if problems and whole:
        # What crash recovery keeps: the file cut after the last whole record reads clean.
        path.write_bytes(data[: whole[-1].end])
        again = _reader_items(path)
        assert [(i.offset, i.end) for i in again if isinstance(i, WholeRecord)] == [
            (i.offset, i.end) for i in whole
        ]
        assert not [i for i in again if isinstance(i, WarcProblem)], again
        path.write_bytes(data)
    return items


@pytest.mark.timeout(300)
def test_fuzz_the_reader_never_raises_and_yields_only_whole_records(
    seed: Seed, case_file: Path
) -> None:
    @settings(FUZZ, max_examples=1200)
    @given(data=damaged_warcs(seed))
    def case(data: bytes) -> None:
        case_file.write_bytes(data)
        items = _check_reader(case_file, data)
        whole_offsets = {i.offset for i in items if isinstance(i, WholeRecord)}
        problems = [i for i in items if isinstance(i, WarcProblem)]
        pages = list(read_pages(str(case_file), MAX_SIZE))
        assert [p for p in pages if isinstance(p, WarcProblem)] == problems
        for page in pages:
            if isinstance(page, Skipped):
                assert page.offset in whole_offsets
                assert page.reason == f"body longer than {MAX_SIZE} bytes decompressed" or (
                    page.reason.startswith("archived cut short, WARC-Truncated: ")
                )
            elif not isinstance(page, WarcProblem | Revisit):
                assert page.warc.offset in whole_offsets
                assert len(page.page.body) <= MAX_SIZE

    case()


def _read_in_ranges(path: Path) -> list[object]:
    """read_pages over each range record_ranges cuts (one record each, the most cuts), stopped
    at the first problem as `archiver extract` stops a file."""
    items: list[object] = []
    for start, stop in record_ranges(str(path), most_records=1):
        for item in read_pages(str(path), MAX_SIZE, start, stop):
            items.append(item)
            if isinstance(item, WarcProblem):
                return items
    return items


@pytest.mark.timeout(300)
def test_fuzz_a_file_read_in_ranges_reads_as_it_does_whole(seed: Seed, case_file: Path) -> None:
    cuts = 0

    @settings(FUZZ, max_examples=600)
    @given(data=damaged_warcs(seed))
    def case(data: bytes) -> None:
        nonlocal cuts
        case_file.write_bytes(data)
        cuts += len(list(record_ranges(str(case_file), most_records=1))) - 1
        assert _read_in_ranges(case_file) == list(read_pages(str(case_file), MAX_SIZE))

    case()
    assert cuts > 600, "most damaged files are still cut into ranges before their damage"


@pytest.mark.timeout(300)
def test_fuzz_the_validator_never_raises_and_fails_what_the_reader_finds_damaged(
    seed: Seed, case_file: Path
) -> None:
    @settings(FUZZ, max_examples=600)
    @given(data=damaged_warcs(seed))
    def case(data: bytes) -> None:
        case_file.write_bytes(data)
        (check,) = validate_warcs([str(case_file)])
        assert check.path == str(case_file)
        assert all(0 <= problem.offset <= len(data) for problem in check.problems)
        damaged = any(isinstance(i, WarcProblem) for i in _reader_items(case_file))
        if damaged:
            assert not check.ok, "the reader found damage the validator did not"

    case()
