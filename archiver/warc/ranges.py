"""Where a WARC file can be cut into ranges of whole records, for workers to read side by side.

`archiver extract` hands its workers ranges of a file, not pages: reading the records (inflating
them, parsing their headers, de-chunking and decoding the bodies) then runs on every core too,
and the main process only writes the records that come back. Reading a file costs about a tenth
of extracting its pages; done in one process it would cap how far the workers can go.

A gzipped WARC is a series of gzip members, one record each, and only inflating a member tells
where it ends. That is all this pass does, in C, without parsing a record: a range starts only
where a member's first bytes are "WARC/", so a range is whole records. At the first member that
does not inflate, the ranges stop and the rest of the file is one range: its reader finds the
damage and reports it where it is. An uncompressed file, or one that is not a gzipped WARC
(an ARC file, a single-member gzip), is read whole as one range.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import BinaryIO

RANGE_BYTES = 1 << 20
"""A range is cut once it holds this many compressed bytes, or RANGE_RECORDS records: a few
dozen pages, a fraction of a second of a worker's time, so that ranges keep every worker busy
and one range stays far below the time limit of a single page."""
RANGE_RECORDS = 48
_GZIP = 16 + zlib.MAX_WBITS
_BLOCK = 1 << 16
_STEP = 1 << 20
"""At most this much is inflated in one call: a compression bomb costs time, not memory."""
_RECORD_START = b"WARC/"


def record_ranges(
    path: str, most_bytes: int = RANGE_BYTES, most_records: int = RANGE_RECORDS
) -> Iterator[tuple[int, int | None]]:
    """(start, stop) byte ranges of whole records covering the file, in order; the last one's
    stop is None (the end of the file)."""
    begin = records = 0
    with open(path, "rb") as handle:
        gzipped = handle.read(2) == b"\x1f\x8b"
        handle.seek(0)
        for offset in _record_members(handle) if gzipped else ():
            if offset > begin and (records >= most_records or offset - begin >= most_bytes):
                yield begin, offset
                begin, records = offset, 0
            records += 1
    yield begin, None


def _record_members(handle: BinaryIO) -> Iterator[int]:
    """Offsets where the gzip members of WARC records begin, until the file ends or a member does
    not inflate; empty members before one count as its start, as warcio counts them. A file whose
    first member starts no record yields none."""
    start = fed = 0  # where the current member starts; its bytes inflated so far
    empty_from: int | None = None  # where the empty members before the current one begin
    inflate = zlib.decompressobj(_GZIP)
    head = b""
    told = False  # whether the current member's start was judged yet
    data = b""
    while True:
        if not data:
            data = handle.read(_BLOCK)
            if not data:
                return
        try:
            out = inflate.decompress(data, _STEP)
        except zlib.error:
            return
        if not told:
            head += out[: len(_RECORD_START) - len(head)]
            if len(head) == len(_RECORD_START) or inflate.eof:
                told = True
                if head == _RECORD_START:
                    yield start if empty_from is None else empty_from
                elif start == 0:
                    return
                if head:
                    empty_from = None
                elif empty_from is None:
                    empty_from = start
        if inflate.eof:
            rest = inflate.unused_data
            start += fed + len(data) - len(rest)
            fed, data = 0, rest
            inflate, head, told = zlib.decompressobj(_GZIP), b"", False
        else:
            tail = inflate.unconsumed_tail
            fed += len(data) - len(tail)
            data = tail
