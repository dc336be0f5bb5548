import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archiver.warc.writer import RotatingWarcWriter

REQUEST = b"GET /a HTTP/1.1\r\nHost: example.org\r\nuser-agent: test\r\n\r\n"


def _response(body: bytes) -> bytes:
    head = "HTTP/1.1 200 Fine Thanks\r\ncontent-type: text/html\r\n"
    return f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body


def _writer(tmp_path: Path, max_size: int = 10_000_000) -> RotatingWarcWriter:
    return RotatingWarcWriter(
        tmp_path / "warc",
        prefix="test",
        max_size=max_size,
        warcinfo={"software": "test", "format": "WARC File Format 1.1"},
        root=tmp_path,
    )


def _write(writer: RotatingWarcWriter, n: int, body: bytes = b"<p>hello</p>") -> list:
    return [
        writer.write_exchange(
            url=f"http://example.org/{i}",
            sent_at=datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
            request_block=REQUEST,
            response_block=_response(body),
        )
        for i in range(n)
    ]


def test_file_is_open_while_writing_and_renamed_when_closed(tmp_path: Path) -> None:
    writer = _writer(tmp_path)
    _write(writer, 1)
    assert [p.suffix for p in (tmp_path / "warc").iterdir()] == [".open"]
    writer.close()
    names = [p.name for p in (tmp_path / "warc").iterdir()]
    assert len(names) == 1 and names[0].endswith(".warc.gz")
    assert names[0].startswith("test-20")


def test_blocks_are_written_byte_for_byte_with_reason_phrase_and_header_case(
    tmp_path: Path,
) -> None:
    writer = _writer(tmp_path)
    pointer = _write(writer, 1)[0]
    writer.close()
    with open(tmp_path / pointer.filename, "rb") as stream:
        stream.seek(pointer.offset)
        record = next(iter(ArchiveIterator(stream)))
        block = record.http_headers.to_bytes() + record.raw_stream.read()
    assert record.rec_type == "response"
    assert record.rec_headers.get_header("WARC-Record-ID") == pointer.record_id
    assert record.rec_headers.get_header("WARC-Date") == "2026-01-02T03:04:05.678901Z"
    assert block == _response(b"<p>hello</p>")
    assert b"200 Fine Thanks" in block and b"content-type: text/html" in block


def test_records_come_in_pairs_after_a_warcinfo(tmp_path: Path) -> None:
    writer = _writer(tmp_path)
    _write(writer, 2)
    writer.close()
    (path,) = (tmp_path / "warc").iterdir()
    with open(path, "rb") as stream:
        records = [
            (
                r.rec_type,
                r.rec_headers.get_header("WARC-Record-ID"),
                r.rec_headers.get_header("WARC-Concurrent-To"),
            )
            for r in ArchiveIterator(stream)
        ]
    assert [t for t, _, _ in records] == ["warcinfo", "response", "request", "response", "request"]
    for response, request in (records[1:3], records[3:5]):
        assert response[2] == request[1] and request[2] == response[1]


def test_files_roll_over_at_the_size_limit_and_warcio_checks_them(tmp_path: Path) -> None:
    writer = _writer(tmp_path, max_size=3000)
    pointers = _write(writer, 12, body=b"x" * 2000)
    writer.close()
    files = sorted((tmp_path / "warc").glob("*.warc.gz"))
    assert len(files) > 1
    assert {p.filename for p in pointers} == {f.relative_to(tmp_path).as_posix() for f in files}
    serials = [f.name.split("-")[2] for f in files]
    assert serials == sorted(serials) and len(set(serials)) == len(files)
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", *map(str, files)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_existing_files_are_never_overwritten(tmp_path: Path) -> None:
    first = _writer(tmp_path)
    _write(first, 1)
    first.close()
    before = {p: p.read_bytes() for p in (tmp_path / "warc").iterdir()}
    second = _writer(tmp_path)
    _write(second, 1)
    second.close()
    after = list((tmp_path / "warc").iterdir())
    assert len(after) == 2
    for path, data in before.items():
        assert path.read_bytes() == data
