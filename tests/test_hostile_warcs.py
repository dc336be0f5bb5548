"""`archiver extract` and `archiver validate` over damaged and hostile WARC files.

Each file is a real crawl's WARC (the session's `demo_crawl`) with one kind of damage at the
response record of one of its articles: the file cut there, a byte of the record's gzip member
flipped, its Content-Length short, long or claiming 10 GB, its gzip member cut in two; an
uncompressed copy cut there; and two made to exhaust a reader: a record whose header line
inflates from 1 MB to 1 GiB, and a whole, well-formed record of 1 GiB. A plain text file named
.warc.gz joins them. `archiver extract` reads them all at once, and the intact WARC after them;
`archiver validate` each alone; their memory is sampled. Each damaged file must be named in one
line with the offset of its damage, the records before it kept, the other files read, the exit
code 1: no traceback, no hang, under 1 GB.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from archiver.settings import ARCHIVER_MAX_DECOMPRESSED
from tests.conftest import CrawlRun
from tests.test_hostile_crawl import MEMORY_LIMIT, Run, run_sampled

MIB = 1 << 20


@dataclass(frozen=True)
class Spot:
    """Where a file is damaged: the response record of an article, in the intact file."""

    data: bytes
    """The intact file."""
    index: int
    """The record's place among the file's records."""
    at: int
    member: bytes
    plain: list[bytes]
    """The file's records decompressed."""

    @property
    def before(self) -> bytes:
        return self.data[: self.at]

    @property
    def after(self) -> bytes:
        return self.data[self.at + len(self.member) :]


def _members(data: bytes) -> list[tuple[int, bytes]]:
    members, offset = [], 0
    while offset < len(data):
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        decompressor.decompress(data[offset:])
        size = len(data) - offset - len(decompressor.unused_data)
        members.append((offset, data[offset : offset + size]))
        offset += size
    return members


def _with_content_length(spot: Spot, length: Callable[[int], int]) -> bytes:
    record = gzip.decompress(spot.member)
    found = re.search(rb"Content-Length: (\d+)", record[: record.index(b"\r\n\r\n")])
    assert found is not None
    edited = b"Content-Length: %d" % length(int(found.group(1)))
    record = record[: found.start()] + edited + record[found.end() :]
    return spot.before + gzip.compress(record, mtime=0) + spot.after


def _flipped(spot: Spot) -> bytes:
    member = bytearray(spot.member)
    member[len(member) // 2] ^= 0xFF
    return spot.before + bytes(member) + spot.after


def _header_bomb(path: Path, mib: int) -> None:
    """Appends a gzip member of about 1 KB per MiB holding a WARC record whose first header
    line is `mib` MiB long: warcio reads a line whole, however long."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    with open(path, "ab") as out:
        out.write(compressor.compress(b"WARC/1.1\r\nWARC-Target-URI: http://127.0.0.1/"))
        line = b"a" * MIB
        for _ in range(mib):
            out.write(compressor.compress(line))
        out.write(compressor.compress(b"\r\nContent-Length: 0\r\n\r\n\r\n\r\n"))
        out.write(compressor.flush())


def _giant_record(path: Path, mib: int) -> None:
    """Appends a whole, well-formed HTML response record of `mib` MiB (spaces, about 1 KB per
    MiB compressed): every byte of it is to be read, none held."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    head = (
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-"
        "000000000001>\r\nWARC-Date: 2024-05-01T12:00:00Z\r\n"
        "WARC-Target-URI: http://127.0.0.1/giant\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http) + mib * MIB}\r\n\r\n"
    ).encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    with open(path, "ab") as out:
        out.write(compressor.compress(head + http))
        spaces = b" " * MIB
        for _ in range(mib):
            out.write(compressor.compress(spaces))
        out.write(compressor.compress(b"\r\n\r\n"))
        out.write(compressor.flush())


def _plain_cut(spot: Spot) -> tuple[bytes, int]:
    at = sum(len(record) for record in spot.plain[: spot.index])
    return b"".join(spot.plain)[: at + len(spot.plain[spot.index]) // 2], at


# Each kind of damage: the damaged file's bytes, and the offset of its damage (None: no damage).
DAMAGE: dict[str, Callable[[Spot], tuple[bytes, int | None]]] = {
    "truncated": lambda spot: (spot.before + spot.member[:200], spot.at),
    "flipped byte": lambda spot: (_flipped(spot), spot.at),
    "content length short": lambda spot: (_with_content_length(spot, lambda n: n - 9), spot.at),
    "content length long": lambda spot: (_with_content_length(spot, lambda n: n + 9), spot.at),
    "claims 10 GB": lambda spot: (_with_content_length(spot, lambda n: 10**10), spot.at),
    "gzip member cut in two": (
        lambda spot: (spot.before + spot.member[: len(spot.member) // 2] + spot.after, spot.at)
    ),
    "uncompressed and cut": _plain_cut,
    "header bomb": lambda spot: (spot.before, spot.at),
    "giant record": lambda spot: (spot.before, None),
}
APPENDED = {"header bomb": _header_bomb, "giant record": _giant_record}
NOT_A_WARC = "not a warc"


@dataclass(frozen=True)
class Damaged:
    path: Path
    at: int
    """Offset of the record the damage was done at."""
    offset: int | None
    """Where the damage is: the offset of the first record that is not whole (None: none)."""
    kept: list[str]
    """URLs of the articles before the damage, whose records must be kept."""


@dataclass(frozen=True)
class Collection:
    intact: Path
    articles: list[str]
    """URLs of the articles in the intact file."""
    files: dict[str, Damaged]
    """In the order of the article each file is damaged at."""


@pytest.fixture(scope="module")
def damaged(demo_crawl: CrawlRun, tmp_path_factory: pytest.TempPathFactory) -> Collection:
    """The damaged files: the first damaged at the second article, the next at the third, and
    so on, so that `archiver extract`, which writes each record once, reading them in this
    order takes from each file just the one article more that it holds before its damage."""
    intact = max((demo_crawl.output / "warc").glob("*.warc.gz"), key=lambda p: p.stat().st_size)
    data = intact.read_bytes()
    members = _members(data)
    articles = sorted(
        (r for r in demo_crawl.records() if r["warc"]["filename"].endswith(intact.name)),
        key=lambda r: r["warc"]["offset"],
    )
    assert len(articles) > len(DAMAGE) + 1
    plain = [gzip.decompress(member) for _, member in members]
    offsets = [offset for offset, _ in members]
    folder = tmp_path_factory.mktemp("damaged")
    files: dict[str, Damaged] = {}
    for number, (name, damage) in enumerate(DAMAGE.items(), start=1):
        index = offsets.index(articles[number]["warc"]["offset"])
        at, member = members[index]
        content, offset = damage(Spot(data, index, at, member, plain))
        path = folder / f"{name.replace(' ', '-')}.warc.gz"
        path.write_bytes(content)
        if name in APPENDED:
            APPENDED[name](path, 1024)
        files[name] = Damaged(path, at, offset, [a["url"] for a in articles[:number]])
    notes = folder / "notes.warc.gz"
    notes.write_text("Minutes of the branch meeting, not an archive.\n" * 50)
    files[NOT_A_WARC] = Damaged(notes, 0, 0, [])
    return Collection(intact, [a["url"] for a in articles], files)


@dataclass(frozen=True)
class Commands:
    extract: Run
    records: list[dict[str, Any]]
    validate: dict[str, Run]
    """`archiver validate` of each damaged file alone (together, copies of the same records
    would also fail each other for their record IDs)."""


@pytest.fixture(scope="module")
def commands(damaged: Collection, tmp_path_factory: pytest.TempPathFactory) -> Commands:
    paths = [str(d.path) for d in damaged.files.values()] + [str(damaged.intact)]
    output = tmp_path_factory.mktemp("extracted") / "records.jsonl"
    extract = run_sampled("extract", *paths, "--output", str(output), timeout=240)
    lines = output.read_text(encoding="utf-8").splitlines() if output.exists() else []
    validate = {
        name: run_sampled("validate", str(file.path), timeout=120)
        for name, file in damaged.files.items()
    }
    return Commands(extract, [json.loads(line) for line in lines], validate)


DAMAGED = [name for name, damage in DAMAGE.items() if name != "giant record"] + [NOT_A_WARC]


def test_extract_exits_1_without_a_traceback_within_1_gb(commands: Commands) -> None:
    run = commands.extract
    assert run.returncode == 1, run.stdout[-2000:] + run.stderr[-2000:]
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert 0 < run.peak_rss < MEMORY_LIMIT, run.peak_rss


@pytest.mark.parametrize("name", DAMAGED)
def test_extract_names_the_file_and_the_offset_of_the_damage(
    damaged: Collection, commands: Commands, name: str
) -> None:
    file = damaged.files[name]
    problems = [
        line
        for line in commands.extract.stderr.splitlines()
        if line.startswith(f"archiver: error: {file.path}: ")
    ]
    assert len(problems) == 1, commands.extract.stderr[-3000:]
    assert problems[0].startswith(f"archiver: error: {file.path}: at byte offset {file.offset}: ")


@pytest.mark.parametrize("name", [*DAMAGE, NOT_A_WARC])
def test_extract_keeps_the_records_before_the_damage(
    damaged: Collection, commands: Commands, name: str
) -> None:
    file = damaged.files[name]
    earlier = {
        url for other in damaged.files.values() if other.kept < file.kept for url in other.kept
    }
    from_file = [r["url"] for r in commands.records if r["warc"]["filename"] == str(file.path)]
    assert from_file == [url for url in file.kept if url not in earlier]


def test_extract_reads_the_intact_file_after_the_damaged_ones(
    damaged: Collection, commands: Commands
) -> None:
    urls = [r["url"] for r in commands.records]
    assert sorted(urls) == sorted(damaged.articles), "each article once, none lost"
    assert [r for r in commands.records if r["warc"]["filename"] == str(damaged.intact)]


def test_extract_skips_a_giant_record_with_one_line(
    damaged: Collection, commands: Commands
) -> None:
    lines = commands.extract.stderr.splitlines()
    assert not [line for line in lines if str(damaged.files["giant record"].path) in line]
    assert (
        "archiver: warning: http://127.0.0.1/giant: not extracted "
        f"(body longer than {ARCHIVER_MAX_DECOMPRESSED} bytes decompressed)"
    ) in lines


@pytest.mark.parametrize("name", [*DAMAGE, NOT_A_WARC])
def test_validate_answers_without_a_traceback_within_1_gb(commands: Commands, name: str) -> None:
    run = commands.validate[name]
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr[-3000:]
    assert 0 < run.peak_rss < MEMORY_LIMIT, run.peak_rss


@pytest.mark.parametrize("name", DAMAGED)
def test_validate_fails_the_file_at_the_offset_of_the_damage(
    damaged: Collection, commands: Commands, name: str
) -> None:
    file = damaged.files[name]
    line = commands.validate[name].stdout.splitlines()[0]
    assert line.startswith(f"FAIL {file.path}: ")
    assert f" at offset {file.offset}" in line


def test_validate_reads_a_giant_record_to_its_end(damaged: Collection, commands: Commands) -> None:
    file = damaged.files["giant record"]
    # Whole and well framed: only what the hand-made record lacks, a request, is reported.
    assert commands.validate["giant record"].stdout.splitlines()[0] == (
        f"FAIL {file.path}: response for http://127.0.0.1/giant has no request linked by "
        f"WARC-Concurrent-To at offset {file.at}"
    )
