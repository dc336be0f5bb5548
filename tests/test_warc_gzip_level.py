"""The WARC writer's gzip level (ARCHIVER_WARC_GZIP_LEVEL): chosen freely, one member per record,
and files that warcio and archiver read alike at every level."""

import json
import subprocess
import sys
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from archiver.errors import UsageError
from archiver.warc.archive_middleware import WarcArchiveMiddleware
from archiver.warc.reader import WholeRecord, iter_whole_records
from archiver.warc.validate import validate_warcs
from archiver.warc.writer import (
    RotatingWarcWriter,
    WarcPointer,
    http_body_offset,
    payload_digest_of,
)

REQUEST = b"GET /a HTTP/1.1\r\nHost: example.org\r\nuser-agent: test\r\n\r\n"
BODY = b"<html><body>" + b"<p>A paragraph of news, repeated.</p>\n\n" * 200 + b"</body></html>"
# The gzip header's XFL byte, as zlib sets it: 2 for level 9, 4 for level 1, 0 in between.
XFL = {1: 4, 6: 0, 9: 2}


def _response(body: bytes = BODY) -> bytes:
    head = "HTTP/1.1 200 Fine Thanks\r\ncontent-type: text/html\r\n"
    return f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body


def _write_file(folder: Path, level: int, exchanges: int = 3) -> tuple[Path, list[WarcPointer]]:
    writer = RotatingWarcWriter(
        folder / "warc",
        prefix="test",
        max_size=10_000_000,
        warcinfo={"software": "test", "format": "WARC File Format 1.1"},
        root=folder,
        gzip_level=level,
    )
    pointers = [
        writer.write_exchange(
            url=f"http://example.org/{i}",
            sent_at=datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
            request_block=REQUEST,
            response_block=_response(),
        )
        for i in range(exchanges)
    ]
    writer.close()
    (path,) = (folder / "warc").glob("*.warc.gz")
    return path, pointers


def _gzip_members(data: bytes) -> list[tuple[int, bytes]]:
    """Each gzip member of a file: its offset and its decompressed bytes."""
    members = []
    offset = 0
    while offset < len(data):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        content = inflater.decompress(data[offset:])
        assert inflater.eof
        members.append((offset, content))
        offset = len(data) - len(inflater.unused_data)
    return members


@pytest.mark.parametrize("level", [1, 6, 9])
def test_each_record_is_a_gzip_member_of_its_own_at_the_chosen_level(
    tmp_path: Path, level: int
) -> None:
    path, pointers = _write_file(tmp_path, level)
    members = _gzip_members(path.read_bytes())
    # warcinfo, then a response and a request for each exchange.
    assert len(members) == 1 + 2 * len(pointers)
    assert all(content.startswith(b"WARC/1.1\r\n") for _, content in members)
    assert [member[0] for member in members[1::2]] == [p.offset for p in pointers]
    assert {path.read_bytes()[offset + 8] for offset, _ in members} == {XFL[level]}


def test_the_level_changes_the_size_and_not_the_records(tmp_path: Path) -> None:
    def records(path: Path) -> list[tuple[str, str | None, str | None, bytes]]:
        with open(path, "rb") as stream:
            return [
                (
                    r.rec_type,
                    r.rec_headers.get_header("WARC-Block-Digest"),
                    r.rec_headers.get_header("WARC-Payload-Digest"),
                    r.content_stream().read(),
                )
                for r in ArchiveIterator(stream)
                if r.rec_type != "warcinfo"
            ]

    fast, _ = _write_file(tmp_path / "fast", 1)
    small, _ = _write_file(tmp_path / "small", 9)
    assert records(fast) == records(small)
    assert fast.stat().st_size > small.stat().st_size


def test_files_at_a_low_level_pass_warcio_check_and_index_and_archiver_validate(
    tmp_path: Path,
) -> None:
    path, pointers = _write_file(tmp_path, 1)
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", str(path)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    index = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "index", "-f", "warc-type,offset", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [json.loads(line) for line in index.stdout.splitlines()]
    responses = [int(line["offset"]) for line in lines if line["warc-type"] == "response"]
    assert responses == [p.offset for p in pointers]
    (verdict,) = validate_warcs([str(path)])
    assert verdict.ok and verdict.records == 1 + 2 * len(pointers), verdict.line()
    whole = [item for item in iter_whole_records(str(path), lambda _: None)]
    assert all(isinstance(item, WholeRecord) for item in whole) and len(whole) == 7


@pytest.mark.parametrize(
    ("block", "offset"),
    [
        (b"HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody\n\nmore", 25),
        (b"HTTP/1.1 200 OK\nA: b\n\nbody\r\n\r\nmore", 22),
        (b"HTTP/1.1 200 OK\r\nA: b\r\n\n\nbody", 24),
        (b"HTTP/1.1 200 OK\r\n\r\n", 19),
        (b"HTTP/1.1 200 OK\r\nA: b", 21),
    ],
)
def test_the_body_starts_after_the_first_empty_line_of_either_kind(
    block: bytes, offset: int
) -> None:
    assert http_body_offset(block) == offset
    assert payload_digest_of(block) == payload_digest_of(block, offset)


def test_a_gzip_level_outside_0_to_9_is_refused(tmp_path: Path) -> None:
    crawler = get_crawler(
        settings_dict={"ARCHIVER_OUTPUT": str(tmp_path), "ARCHIVER_WARC_GZIP_LEVEL": 12}
    )
    with pytest.raises(UsageError, match="ARCHIVER_WARC_GZIP_LEVEL"):
        WarcArchiveMiddleware.from_crawler(crawler)
