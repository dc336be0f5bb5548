"""`archiver extract` over WARC files: ours, wget's, and damaged ones."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver.demo.server import DemoServer
from archiver.warc.reader import WarcProblem, read_pages
from tests.conftest import CrawlRun, run_archiver


def _records(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _biggest_warc(run: CrawlRun) -> Path:
    return max((run.output / "warc").glob("*.warc.gz"), key=lambda p: p.stat().st_size)


def _member_offsets(path: Path) -> list[int]:
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(stream)
        return [iterator.get_record_offset() for _ in iterator]


def test_truncated_warc_is_reported_by_file_and_offset_and_readable_records_kept(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    source = _biggest_warc(demo_crawl)
    in_source = sorted(
        (r for r in demo_crawl.records() if r["warc"]["filename"].endswith(source.name)),
        key=lambda r: r["warc"]["offset"],
    )
    # Cut the file inside the response record of the middle article.
    cut_record = in_source[len(in_source) // 2]
    cut = cut_record["warc"]["offset"] + 100
    damaged = tmp_path / "damaged.warc.gz"
    damaged.write_bytes(source.read_bytes()[:cut])
    intact = tmp_path / "intact.warc.gz"
    intact.write_bytes(source.read_bytes())
    out = tmp_path / "out.jsonl"

    done = run_archiver("extract", str(damaged), str(intact), "--output", str(out))

    assert done.returncode != 0
    assert f"{damaged}: at byte offset {cut_record['warc']['offset']}:" in done.stderr
    assert "Traceback" not in done.stderr
    from_damaged = [r for r in _records(out) if r["warc"]["filename"] == str(damaged)]
    from_intact = [r for r in _records(out) if r["warc"]["filename"] == str(intact)]
    # The readable part's records are kept; the intact copy, read after the damage, adds the rest
    # (the ones already taken from the damaged copy are not written twice).
    assert [r["url"] for r in from_damaged] == [r["url"] for r in in_source[: len(in_source) // 2]]
    assert len(from_damaged) + len(from_intact) == len(in_source)
    assert f"({len(from_damaged)} already there)" in done.stdout


def test_a_cut_anywhere_inside_a_record_is_detected(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    source = _biggest_warc(demo_crawl)
    data = source.read_bytes()
    boundaries = set(_member_offsets(source)) | {len(data)}
    cuts = [c for c in range(1, len(data), max(1, len(data) // 60)) if c not in boundaries]
    for cut in cuts:
        damaged = tmp_path / "cut.warc.gz"
        damaged.write_bytes(data[:cut])
        problems = [i for i in read_pages(str(damaged)) if isinstance(i, WarcProblem)]
        assert len(problems) == 1, cut
        assert problems[0].offset <= cut


def test_a_file_that_is_not_a_warc_is_reported_and_the_others_still_read(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    fake = tmp_path / "notes.warc.gz"
    fake.write_text("These are my notes, not an archive.\n" * 20)
    out = tmp_path / "out.jsonl"
    done = run_archiver("extract", str(fake), str(demo_crawl.output / "warc"), "--output", str(out))
    assert done.returncode != 0
    assert f"{fake}: at byte offset 0: not a WARC file" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(_records(out)) == len(demo_crawl.records())


def test_an_empty_folder_is_an_error_not_an_empty_success(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run_archiver("extract", str(empty), "--output", str(tmp_path / "out.jsonl"))
    assert done.returncode != 0
    assert "no WARC files" in done.stderr and "Traceback" not in done.stderr


def test_a_missing_path_is_reported(tmp_path: Path) -> None:
    done = run_archiver(
        "extract", str(tmp_path / "nope.warc.gz"), "--output", str(tmp_path / "o.jsonl")
    )
    assert done.returncode != 0 and "no such file" in done.stderr


def test_extract_twice_into_the_same_file_adds_no_duplicates(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    for _ in range(2):
        done = run_archiver("extract", str(demo_crawl.output / "warc"), "--output", str(out))
        assert done.returncode == 0, done.stderr
    assert len(_records(out)) == len(demo_crawl.records())
    assert "already there" in done.stdout


def test_revisit_records_add_no_record_and_are_counted(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    record = demo_crawl.records()[0]
    with open(demo_crawl.output / record["warc"]["filename"], "rb") as stream:
        stream.seek(record["warc"]["offset"])
        original = next(iter(ArchiveIterator(stream)))
        original_date = original.rec_headers.get_header("WARC-Date")
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    revisit = writer.create_revisit_record(
        record["url"],
        digest=record["warc"]["payload_digest"],
        refers_to_uri=record["url"],
        refers_to_date=original_date,
        http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1"),
    )
    writer.write_record(revisit)
    path = tmp_path / "revisits.warc.gz"
    path.write_bytes(buffer.getvalue())
    out = tmp_path / "out.jsonl"
    done = run_archiver("extract", str(path), "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert _records(out) == []
    assert "1 revisits" in done.stdout


def test_warcs_written_by_wget_give_the_linked_articles(
    demo_server: DemoServer, demo_expected: dict[str, Any], tmp_path: Path
) -> None:
    wget = shutil.which("wget")
    if wget is None:
        pytest.fail("wget is needed for this test (.ci/run installs it)")
    subprocess.run(
        [
            wget,
            "--recursive",
            "--level=4",
            "--no-verbose",
            "--directory-prefix",
            str(tmp_path / "m"),
            "--warc-file",
            str(tmp_path / "wget"),
            "--no-warc-keep-log",
            f"{demo_server.origin}/",
        ],
        capture_output=True,
        timeout=120,
    )
    warc = tmp_path / "wget.warc.gz"
    assert warc.exists()
    out = tmp_path / "out.jsonl"
    done = run_archiver("extract", str(warc), "--output", str(out))
    assert done.returncode == 0, done.stderr
    found = {urlsplit(r["url"]).path for r in _records(out)}
    linked = (
        set(demo_expected["articles"])
        - set(demo_expected["sitemap_only"])
        - set(demo_expected["feed_only"])
    )
    assert found == linked
    for record in _records(out):
        expected = demo_expected["articles"][urlsplit(record["url"]).path]
        assert record["headline"] == expected["headline"]
        assert record["warc"]["filename"] == str(warc)
