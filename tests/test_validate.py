"""`archiver validate`: fixity and conformance of WARCs, ours, wget's, and damaged copies of ours.

Each damaged file is made from a real crawl's WARC by changing one thing in one record (its
gzip member decompressed, edited and compressed again), so each test fails without the one check
it is named for.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import shutil
import subprocess
import uuid
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver.demo.server import DemoServer
from archiver.warc.validate import FileCheck, validate_warcs
from tests.conftest import CrawlRun, crawl, run_archiver


def _members(data: bytes) -> list[tuple[int, bytes]]:
    """The gzip members of a file as (offset, compressed bytes): one per record in a good WARC."""
    members, offset = [], 0
    while offset < len(data):
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        decompressor.decompress(data[offset:])
        size = len(data) - offset - len(decompressor.unused_data)
        members.append((offset, data[offset : offset + size]))
        offset += size
    return members


def _edited(member: bytes, edit: Callable[[bytes], bytes]) -> bytes:
    return gzip.compress(edit(gzip.decompress(member)))


def _header_edit(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def edit(record: bytes) -> bytes:
        end = record.index(b"\r\n\r\n") + 2  # the WARC headers, each line with its CRLF
        assert old in record[:end], (old, record[:end])
        return record[:end].replace(old, new, 1) + record[end:]

    return edit


def _article_member_index(run: CrawlRun, members: list[tuple[int, bytes]]) -> int:
    """Index of the response record of the first article (its request is the member after)."""
    record = run.records()[0]
    return [offset for offset, _ in members].index(record["warc"]["offset"])


def _source(run: CrawlRun) -> Path:
    return run.output / run.records()[0]["warc"]["filename"]


def _write(path: Path, members: list[bytes]) -> str:
    path.write_bytes(b"".join(members))
    return str(path)


def _check(path: str) -> FileCheck:
    (check,) = validate_warcs([path])
    return check


def _wget_warc(server: DemoServer, folder: Path) -> Path:
    wget = shutil.which("wget")
    if wget is None:
        pytest.fail("wget is needed for this test (.ci/run installs it)")
    subprocess.run(
        [
            wget,
            "--recursive",
            "--level=2",
            "--no-verbose",
            "--directory-prefix",
            str(folder / "mirror"),
            "--warc-file",
            str(folder / "wget"),
            "--no-warc-keep-log",
            f"{server.origin}/",
        ],
        capture_output=True,
        timeout=120,
    )
    return folder / "wget.warc.gz"


def test_our_crawl_validates_ok_with_one_line_per_file_and_a_summary(demo_crawl: CrawlRun) -> None:
    warcs = sorted((demo_crawl.output / "warc").glob("*.warc.gz"))
    done = run_archiver("validate", str(demo_crawl.output / "warc"))
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(" (")[0] for line in lines[:-1]] == [f"OK {p}" for p in warcs]
    assert lines[-1].startswith(f"{len(warcs)} files, ")
    assert lines[-1].endswith(f"{len(warcs)} OK, 0 failed")
    assert done.stderr == ""


def test_a_wget_warc_validates_ok(demo_server: DemoServer, tmp_path: Path) -> None:
    warc = _wget_warc(demo_server, tmp_path)
    check = _check(str(warc))
    assert check.ok, check.line()
    assert check.records > 10


def test_a_recrawl_with_revisit_records_validates_ok(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    for _ in range(2):
        assert crawl(demo_server, tmp_path).returncode == 0
    checks = validate_warcs([str(tmp_path / "warc")])
    assert len(checks) == 2
    assert all(check.ok for check in checks), [check.line() for check in checks]
    revisits = (tmp_path / "warc").glob("*.warc.gz")
    assert any(b"WARC-Type: revisit" in gzip.decompress(p.read_bytes()) for p in revisits)


def test_a_flipped_byte_in_a_body_fails_the_digest_check(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    members = _members(_source(demo_crawl).read_bytes())
    article = _article_member_index(demo_crawl, members)

    def flip(record: bytes) -> bytes:
        damaged = bytearray(record)
        damaged[-20] ^= 0x01  # in the body, well before the two blank lines that end the record
        return bytes(damaged)

    parts = [m for _, m in members]
    parts[article] = _edited(parts[article], flip)
    check = _check(_write(tmp_path / "flipped.warc.gz", parts))
    offset = members[article][0]
    assert not check.ok
    block_digest = _header(members[article][1], "WARC-Block-Digest")
    payload_digest = _header(members[article][1], "WARC-Payload-Digest")
    assert [str(p) for p in check.problems] == [
        f"block digest failed: {block_digest} at offset {offset}",
        f"payload digest failed {payload_digest} at offset {offset}",
    ]


def _header(member: bytes, name: str) -> str:
    for line in gzip.decompress(member).split(b"\r\n\r\n")[0].decode().split("\r\n"):
        key, _, value = line.partition(": ")
        if key == name:
            return value
    raise KeyError(name)


@pytest.mark.parametrize("change", [-9, +9])
def test_a_content_length_that_lies_fails(
    demo_crawl: CrawlRun, tmp_path: Path, change: int
) -> None:
    members = _members(_source(demo_crawl).read_bytes())
    article = _article_member_index(demo_crawl, members)
    length = int(_header(members[article][1], "Content-Length"))
    parts = [m for _, m in members]
    edit = _header_edit(
        f"Content-Length: {length}\r\n".encode(), f"Content-Length: {length + change}\r\n".encode()
    )
    parts[article] = _edited(parts[article], edit)
    check = _check(_write(tmp_path / "lying.warc.gz", parts))
    assert len(check.problems) == 1, check.line()
    assert check.problems[0].offset == members[article][0]
    assert check.problems[0].message.startswith(f"Content-Length {length + change} ")


def test_a_response_without_its_request_fails(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    members = _members(_source(demo_crawl).read_bytes())
    article = _article_member_index(demo_crawl, members)
    assert b"WARC-Type: request" in gzip.decompress(members[article + 1][1])
    parts = [m for i, (_, m) in enumerate(members) if i != article + 1]
    check = _check(_write(tmp_path / "no-request.warc.gz", parts))
    url = demo_crawl.records()[0]["url"]
    assert [str(p) for p in check.problems] == [
        f"response for {url} has no request linked by WARC-Concurrent-To "
        f"at offset {members[article][0]}"
    ]


def test_a_record_id_used_again_in_another_file_fails(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    members = _members(_source(demo_crawl).read_bytes())
    # A file of its own holding copies of the first three records (warcinfo, one exchange).
    copy = _write(tmp_path / "copy.warc.gz", [m for _, m in members[:3]])
    first, second = validate_warcs([str(_source(demo_crawl)), copy])
    assert first.ok, first.line()
    warcinfo_id = _header(members[0][1], "WARC-Record-ID")
    assert str(second.problems[0]) == (
        f"WARC-Record-ID {warcinfo_id} already used (offset 0 of {_source(demo_crawl)}) at offset 0"
    )
    assert len(second.problems) == 3  # every record of the copy


def test_two_records_in_one_gzip_member_fail(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    members = _members(_source(demo_crawl).read_bytes())
    article = _article_member_index(demo_crawl, members)
    response, request = members[article][1], members[article + 1][1]
    joined = gzip.compress(gzip.decompress(response) + gzip.decompress(request))
    parts = [m for _, m in members[:article]] + [joined] + [m for _, m in members[article + 2 :]]
    check = _check(_write(tmp_path / "joined.warc.gz", parts))
    assert [str(p) for p in check.problems] == [
        "more than one record in one gzip member (a record must be a member of its own) "
        f"at offset {members[article][0]}"
    ]


@pytest.mark.parametrize("where", [0.02, 0.5, 0.98])
def test_a_truncated_file_fails_at_the_offset_of_the_cut_record(
    demo_crawl: CrawlRun, tmp_path: Path, where: float
) -> None:
    data = _source(demo_crawl).read_bytes()
    members = _members(data)
    article = _article_member_index(demo_crawl, members)
    # In the gzip header, in the middle, or in the trailer of the article's member.
    cut = members[article][0] + max(1, int(len(members[article][1]) * where))
    done = run_archiver("validate", _write(tmp_path / "cut.warc.gz", [data[:cut]]))
    assert done.returncode == 1
    assert done.stdout.startswith(f"FAIL {tmp_path / 'cut.warc.gz'}: ")
    assert "cut short" in done.stdout
    assert f"at offset {members[article][0]}" in done.stdout
    assert "Traceback" not in done.stderr


def test_a_text_file_named_warc_gz_fails_without_a_traceback(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    fake = tmp_path / "notes.warc.gz"
    fake.write_text("Meeting notes, not an archive.\n" * 40)
    done = run_archiver("validate", str(fake), str(_source(demo_crawl)), str(tmp_path / "gone"))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"FAIL {tmp_path / 'gone'}: no such file or folder at offset 0",
        f"FAIL {fake}: not a WARC file (no WARC/ header at its start) at offset 0",
        f"OK {_source(demo_crawl)} ({len(_members(_source(demo_crawl).read_bytes()))} records)",
        done.stdout.splitlines()[-1],
    ]
    assert done.stdout.splitlines()[-1].endswith("1 OK, 2 failed")
    assert done.stderr == ""


def test_a_warc_whose_first_record_is_not_warcinfo_fails(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    members = _members(_source(demo_crawl).read_bytes())
    check = _check(_write(tmp_path / "headless.warc.gz", [m for _, m in members[1:]]))
    assert [str(p) for p in check.problems] == [
        f"the first record is a {_header(members[1][1], 'WARC-Type')} record, not warcinfo "
        f"at offset 0"
    ]


@pytest.mark.parametrize(
    ("header", "value", "problem"),
    [
        ("WARC-Date", None, "missing WARC-Date"),
        ("WARC-Record-ID", None, "missing WARC-Record-ID"),
        ("Content-Length", None, "missing Content-Length"),
        ("WARC-Date", "2024-05-01T12:00:00.5Z", None),
        ("WARC-Date", "2024-05-01T12:00:00+01:00", "is not a UTC date"),
        ("WARC-Date", "2024-13-01T12:00:00Z", "is not a UTC date"),
        ("WARC-Date", "1 May 2024", "is not a UTC date"),
    ],
)
def test_mandatory_headers_and_the_warc_date_format_are_checked(
    demo_crawl: CrawlRun, tmp_path: Path, header: str, value: str | None, problem: str | None
) -> None:
    members = _members(_source(demo_crawl).read_bytes())
    article = _article_member_index(demo_crawl, members)
    old = f"{header}: {_header(members[article][1], header)}\r\n".encode()
    new = f"{header}: {value}\r\n".encode() if value else b""
    parts = [m for _, m in members]
    parts[article] = _edited(parts[article], _header_edit(old, new))
    check = _check(_write(tmp_path / "headers.warc.gz", parts))
    if problem is None:
        assert check.ok, check.line()
    else:
        assert [p.offset for p in check.problems] == [members[article][0]], check.line()
        assert problem in check.problems[0].message


def _small_warc(*records: bytes) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record("small.warc.gz", {"software": "test"}))
    return buffer.getvalue() + b"".join(records)


def _revisit(*, names: tuple[str, ...]) -> bytes:
    """A revisit record naming its original by the headers in `names` only."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    record = writer.create_revisit_record(
        "http://127.0.0.1/page",
        digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        refers_to_uri="http://127.0.0.1/page",
        refers_to_date="2024-05-01T12:00:00Z",
        http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1"),
    )
    record.rec_headers.add_header("WARC-Refers-To", "<urn:uuid:2a3ad0b4-2d1d-4a52-8d6b-1e1d3e0e>")
    for name in ("WARC-Refers-To", "WARC-Refers-To-Target-URI", "WARC-Refers-To-Date"):
        if name not in names:
            record.rec_headers.remove_header(name)
    writer.write_record(record)
    return buffer.getvalue()


def test_a_revisit_must_name_its_original(tmp_path: Path) -> None:
    by_uri_and_date = _revisit(names=("WARC-Refers-To-Target-URI", "WARC-Refers-To-Date"))
    by_id = _revisit(names=("WARC-Refers-To",))
    by_uri_only = _revisit(names=("WARC-Refers-To-Target-URI",))
    good = _write(tmp_path / "good.warc.gz", [_small_warc(by_uri_and_date, by_id)])
    bad = _write(tmp_path / "bad.warc.gz", [_small_warc(by_uri_only)])
    assert _check(good).ok, _check(good).line()
    assert [p.message for p in _check(bad).problems] == [
        "revisit record names no original (WARC-Refers-To, or "
        "WARC-Refers-To-Target-URI and WARC-Refers-To-Date)"
    ]


@pytest.mark.parametrize("encoding", ["hex", "base32"])
def test_sha256_digests_in_hex_or_base32_are_checked(tmp_path: Path, encoding: str) -> None:
    block = b"Statement of the strike committee, 1 May.\n"

    def labelled(data: bytes) -> str:
        digest = hashlib.sha256(data).digest()
        text = digest.hex() if encoding == "hex" else base64.b32encode(digest).decode()
        return f"sha256:{text}"

    def resource(declared_block: bytes) -> bytes:
        head = (
            "WARC/1.1\r\n"
            "WARC-Type: resource\r\n"
            f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
            "WARC-Date: 2024-05-01T12:00:00Z\r\n"
            "WARC-Target-URI: urn:statement\r\n"
            "Content-Type: text/plain\r\n"
            f"WARC-Block-Digest: {labelled(declared_block)}\r\n"
            f"WARC-Payload-Digest: {labelled(declared_block)}\r\n"
            f"Content-Length: {len(block)}\r\n\r\n"
        )
        return gzip.compress(head.encode() + block + b"\r\n\r\n")

    right = _write(tmp_path / "right.warc.gz", [_small_warc(resource(block))])
    wrong = _write(tmp_path / "wrong.warc.gz", [_small_warc(resource(block + b"!"))])
    assert _check(right).ok, _check(right).line()
    assert [p.message.split(":")[0] for p in _check(wrong).problems] == [
        "block digest failed",
        "payload digest failed sha256",
    ]
