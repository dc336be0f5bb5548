"""`archiver package`: a crawl's folder as a WACZ 1.1.1 file, judged by webrecorder's validator.

`wacz validate` (py-wacz, in the `test` extra: its requirements sit beside archiver's without a
clash) runs as a subprocess from the venv's bin folder, as a librarian would run it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from archiver.demo.server import DemoServer
from archiver.warc.cdxj import index_collection
from tests.conftest import CrawlRun, crawl, run_archiver


def _wacz_validate(path: Path) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).parent / "wacz"
    if not tool.exists():
        pytest.fail("py-wacz's `wacz` is needed: pip install -e '.[test]'")
    return subprocess.run(
        [str(tool), "validate", "-f", str(path)], capture_output=True, text=True, timeout=120
    )


def _package(collection: Path, output: Path) -> Path:
    done = run_archiver("package", str(collection), "--output", str(output))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Packed ")
    return output


def _pages(wacz: Path) -> list[dict[str, Any]]:
    with zipfile.ZipFile(wacz) as package:
        text = package.read("pages/pages.jsonl").decode("utf-8")
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def wacz(demo_crawl: CrawlRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _package(demo_crawl.output, tmp_path_factory.mktemp("package") / "demo.wacz")


def test_the_package_passes_wacz_validate(wacz: Path) -> None:
    done = _wacz_validate(wacz)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Version detected as 1.1.1" in done.stdout
    assert "Validation succeeded, the passed WACZ is valid" in done.stdout


def test_pages_list_every_article_with_its_headline_and_capture_time(
    demo_crawl: CrawlRun, wacz: Path
) -> None:
    header, *pages = _pages(wacz)
    assert header == {"format": "json-pages-1.0", "id": "pages", "title": "Articles"}
    records = demo_crawl.records()
    assert sorted((p["url"], p["title"]) for p in pages) == sorted(
        (r["url"], r["headline"]) for r in records
    )
    for record in records:
        (page,) = [p for p in pages if p["url"] == record["url"]]
        with open(demo_crawl.output / record["warc"]["filename"], "rb") as stream:
            stream.seek(record["warc"]["offset"])
            response = next(iter(ArchiveIterator(stream)))
        assert page["ts"] == response.rec_headers.get_header("WARC-Date")
        assert page["id"] == record["warc"]["record_id"].strip("<>")


def test_the_warcs_are_in_the_package_byte_for_byte_and_stored(
    demo_crawl: CrawlRun, wacz: Path
) -> None:
    warcs = sorted((demo_crawl.output / "warc").glob("*.warc.gz"))
    with zipfile.ZipFile(wacz) as package:
        archived = sorted(n for n in package.namelist() if n.startswith("archive/"))
        assert archived == [f"archive/{p.name}" for p in warcs]
        for path in warcs:
            info = package.getinfo(f"archive/{path.name}")
            assert info.compress_type == zipfile.ZIP_STORED
            assert package.read(info) == path.read_bytes()
        assert package.getinfo("indexes/index.cdx.gz").compress_type == zipfile.ZIP_STORED


def test_the_packaged_index_holds_the_lines_of_the_collection_index(
    demo_crawl: CrawlRun, wacz: Path, tmp_path: Path
) -> None:
    collection = tmp_path / "demo"
    shutil.copytree(demo_crawl.output, collection)
    index_collection(collection)
    with zipfile.ZipFile(wacz) as package:
        blocks = gzip.decompress(package.read("indexes/index.cdx.gz")).decode("utf-8")
        block_index = package.read("indexes/index.idx").decode("utf-8").splitlines()
    expected = (collection / "indexes" / "index.cdxj").read_text(encoding="utf-8")
    assert blocks == expected
    assert block_index[0].startswith('!meta 0 {"format": "cdxj-gzip-1.0"')


def test_datapackage_lists_every_file_with_its_sha256_and_size(wacz: Path) -> None:
    with zipfile.ZipFile(wacz) as package:
        manifest = package.read("datapackage.json")
        datapackage = json.loads(manifest)
        digest = json.loads(package.read("datapackage-digest.json"))
        members = set(package.namelist()) - {"datapackage.json", "datapackage-digest.json"}
        assert {r["path"] for r in datapackage["resources"]} == members
        for resource in datapackage["resources"]:
            data = package.read(resource["path"])
            assert resource["bytes"] == len(data)
            assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"
    assert datapackage["wacz_version"] == "1.1.1"
    assert datapackage["profile"] == "data-package"
    assert digest == {
        "path": "datapackage.json",
        "hash": f"sha256:{hashlib.sha256(manifest).hexdigest()}",
    }


def test_a_recrawl_with_revisits_packages_each_article_once_and_validates(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    collection = tmp_path / "collection"
    runs = [crawl(demo_server, collection) for _ in range(2)]
    assert [run.returncode for run in runs] == [0, 0]
    wacz = _package(collection, tmp_path / "recrawl.wacz")
    done = _wacz_validate(wacz)
    assert done.returncode == 0, done.stdout + done.stderr
    _, *pages = _pages(wacz)
    assert sorted(p["url"] for p in pages) == sorted({r["url"] for r in runs[-1].records()})


def test_packaging_replaces_an_earlier_package_whole(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    output = tmp_path / "demo.wacz"
    output.write_bytes(b"an older package")
    _package(demo_crawl.output, output)
    assert zipfile.is_zipfile(output)
    assert [p.name for p in tmp_path.iterdir()] == ["demo.wacz"]


def test_an_output_not_named_wacz_is_refused(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    done = run_archiver("package", str(demo_crawl.output), "-o", str(tmp_path / "demo.zip"))
    assert done.returncode == 2
    assert done.stderr == (
        f"archiver: error: a WACZ file's name must end in .wacz, got {tmp_path / 'demo.zip'}\n"
    )
    assert not (tmp_path / "demo.zip").exists()
