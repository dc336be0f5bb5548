"""`archiver index`: the CDXJ index of a collection, as pywb and ReplayWeb.page read it."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from archiver.demo.server import DemoServer
from archiver.warc.cdxj import index_collection
from tests.conftest import CrawlRun, crawl, run_archiver


def _lines(collection: Path) -> list[str]:
    return (collection / "indexes" / "index.cdxj").read_text(encoding="utf-8").splitlines()


def _entries(collection: Path) -> list[tuple[str, str, dict[str, Any]]]:
    entries = []
    for line in _lines(collection):
        key, timestamp, fields = line.split(" ", 2)
        entries.append((key, timestamp, json.loads(fields)))
    return entries


def _record_types(collection: Path) -> list[str]:
    types = []
    for path in sorted((collection / "warc").glob("*.warc.gz")):
        with open(path, "rb") as stream:
            types.extend(record.rec_type for record in ArchiveIterator(stream))
    return types


@pytest.fixture(scope="module")
def indexed(demo_crawl: CrawlRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo crawl's folder (the shared one stays as the crawl left it), indexed."""
    collection = tmp_path_factory.mktemp("indexed") / "demo"
    shutil.copytree(demo_crawl.output, collection)
    done = run_archiver("index", str(collection))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Indexed 1 WARC files: ")
    return collection


def test_index_has_one_line_per_response_record_and_none_for_requests(indexed: Path) -> None:
    types = _record_types(indexed)
    assert types.count("request") == types.count("response") > 0
    entries = _entries(indexed)
    assert len(entries) == types.count("response")
    assert all(fields.get("mime") != "warc/revisit" for _, _, fields in entries)


def test_each_line_reads_back_its_record_by_offset_and_length(indexed: Path) -> None:
    for _, timestamp, fields in _entries(indexed):
        warc = indexed / "warc" / fields["filename"]
        with open(warc, "rb") as stream:
            stream.seek(int(fields["offset"]))
            chunk = stream.read(int(fields["length"]))
        # Exactly the record's bytes: one whole record, nothing of the next.
        (record,) = list(ArchiveIterator(io.BytesIO(chunk)))
        headers = record.rec_headers
        assert headers.get_header("WARC-Target-URI") == fields["url"]
        assert headers.get_header("WARC-Payload-Digest") == fields["digest"]
        assert record.http_headers.get_statuscode() == fields["status"]
        assert "".join(c for c in headers.get_header("WARC-Date") if c.isdigit())[:14] == timestamp


def test_index_is_sorted_and_names_files_relative_to_the_archive_folder(indexed: Path) -> None:
    lines = _lines(indexed)
    assert lines == sorted(lines)
    names = {fields["filename"] for _, _, fields in _entries(indexed)}
    assert names == {p.name for p in (indexed / "warc").glob("*.warc.gz")}


def test_every_article_of_the_records_is_in_the_index(demo_crawl: CrawlRun, indexed: Path) -> None:
    indexed_urls = {fields["url"] for _, _, fields in _entries(indexed)}
    assert {record["url"] for record in demo_crawl.records()} <= indexed_urls


def test_reindexing_replaces_the_index_whole_and_leaves_no_temporary_file(
    indexed: Path,
) -> None:
    index = indexed / "indexes" / "index.cdxj"
    before = index.read_bytes()
    with open(index, "rb") as reader_of_the_old_index:
        index_collection(indexed)
        # Renamed over, not rewritten in place: a reader that had the old index keeps it whole.
        assert reader_of_the_old_index.read() == before
    assert index.read_bytes() == before
    assert os.listdir(indexed / "indexes") == ["index.cdxj"]


def test_a_damaged_warc_is_named_and_the_old_index_is_kept(indexed: Path, tmp_path: Path) -> None:
    collection = tmp_path / "collection"
    shutil.copytree(indexed, collection)
    before = _lines(collection)
    (collection / "warc" / "notes.warc.gz").write_text("Not an archive.\n" * 20)
    done = run_archiver("index", str(collection))
    assert done.returncode == 1
    assert done.stderr.startswith("archiver: error: cannot index notes.warc.gz: ")
    assert "Traceback" not in done.stderr
    assert _lines(collection) == before
    assert os.listdir(collection / "indexes") == ["index.cdxj"]


def test_a_folder_without_warcs_is_an_error(tmp_path: Path) -> None:
    done = run_archiver("index", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr == f"archiver: error: no WARC files in {tmp_path / 'warc'}\n"


def test_revisits_of_a_recrawl_are_indexed(demo_server: DemoServer, tmp_path: Path) -> None:
    for _ in range(2):
        assert crawl(demo_server, tmp_path).returncode == 0
    summary = index_collection(tmp_path)
    types = _record_types(tmp_path)
    assert types.count("revisit") > 0
    assert summary.warc_files == 2
    assert summary.lines == types.count("response") + types.count("revisit")
    mimes = [fields.get("mime") for _, _, fields in _entries(tmp_path)]
    assert mimes.count("warc/revisit") == types.count("revisit")
