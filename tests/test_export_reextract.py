"""Re-extraction with a newer archiver, then export: one record per article, the newer one; and
every record's WARC pointer leads to the response it was extracted from."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
from packaging.version import Version
from warcio.archiveiterator import ArchiveIterator

from archiver import __version__
from archiver.export.collection import export_collection
from tests.conftest import TESTS, CrawlRun


def _newer_archiver(folder: Path) -> tuple[Path, str]:
    """A copy of this archiver that calls itself the next minor release, and its version: a
    later archiver, installed where PYTHONPATH finds it first (extraction's worker processes
    included)."""
    current = Version(__version__)
    newer = f"{current.major}.{current.minor + 1}.0"
    shutil.copytree(
        TESTS.parent / "archiver", folder / "archiver", ignore=shutil.ignore_patterns("__pycache__")
    )
    init = folder / "archiver" / "__init__.py"
    declared = f'__version__ = "{__version__}"'
    assert declared in init.read_text(encoding="utf-8")
    init.write_text(
        init.read_text(encoding="utf-8").replace(declared, f'__version__ = "{newer}"'),
        encoding="utf-8",
    )
    return folder, newer


def _extract_with(archiver: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "archiver.cli", "extract", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=archiver,  # not the repository, whose archiver would come first on the path
        env={**os.environ, "PYTHONPATH": str(archiver)},
    )


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_reextraction_with_a_newer_archiver_then_export_keeps_one_newer_record_per_id(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    collection = tmp_path / "collection"
    shutil.copytree(demo_crawl.output, collection)
    archiver, newer = _newer_archiver(tmp_path / "newer")
    reextracted = collection / f"reextracted-{newer}.jsonl"

    done = _extract_with(archiver, str(collection / "warc"), "--output", str(reextracted))
    assert done.returncode == 0, done.stderr

    original = {r["id"]: r for r in demo_crawl.records()}
    again = _lines(reextracted)
    assert {r["extractor"]["version"] for r in again} == {newer}
    assert sorted(r["id"] for r in again) == sorted(original)  # same pages, same ids

    out = tmp_path / "latest.parquet"
    summary = export_collection(collection, out)
    table = pd.read_parquet(out)
    assert summary.lines_read == len(original) + len(again)
    assert table["id"].is_unique and set(table["id"]) == set(original)
    assert set(table["extractor_version"]) == {newer}
    for row in table.itertuples():  # the same capture, extracted again
        assert row.warc_record_id == original[row.id]["warc"]["record_id"]


def _response_at(path: Path, offset: int) -> Any:
    with open(path, "rb") as stream:
        stream.seek(offset)
        found = next(iter(ArchiveIterator(stream)))
        status = found.http_headers.get_statuscode() if found.http_headers else None
        return found.rec_type, found.rec_headers, status, found.content_stream().read()


def test_every_record_warc_pointer_resolves_to_the_response_of_its_url(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    collection = tmp_path / "collection"
    shutil.copytree(demo_crawl.output, collection)
    reextracted = tmp_path / "reextracted.jsonl"
    archiver, _ = _newer_archiver(tmp_path / "newer")
    done = _extract_with(archiver, str(collection / "warc"), "--output", str(reextracted))
    assert done.returncode == 0, done.stderr
    records = demo_crawl.records() + _lines(reextracted)
    assert records

    for record in records:
        pointer = record["warc"]
        # A crawl's pointers are relative to the collection folder; `extract`'s are as given.
        path = Path(pointer["filename"])
        path = path if path.is_absolute() else collection / path
        kind, headers, status, body = _response_at(path, pointer["offset"])
        assert kind == "response", pointer
        assert headers.get_header("WARC-Target-URI") == record["url"]
        assert headers.get_header("WARC-Record-ID") == pointer["record_id"]
        assert headers.get_header("WARC-Payload-Digest") == pointer["payload_digest"]
        assert status == "200" and b"</html>" in body.lower()
