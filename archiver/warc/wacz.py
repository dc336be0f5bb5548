"""A collection folder packed as one WACZ 1.1.1 file, for ReplayWeb.page and for hand-over.

The end of the archive side of the flow: the WARCs of `DIR/warc/`, byte for byte, with their
CDXJ index, the article pages (from `DIR`'s records) as the entry points of the collection, and
a `datapackage.json` giving the SHA-256 and size of every file, itself hashed in
`datapackage-digest.json`. The spec: https://specs.webrecorder.net/wacz/1.1.1/

py-wacz (`wacz create`) can only be driven as a command line and indexes and detects pages its
own way, so the ZIP is written here; `wacz validate` is what the tests judge it with.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from archiver import __version__
from archiver.errors import UsageError
from archiver.export.jsonl import collection_records
from archiver.warc.cdxj import ARCHIVE_FOLDER, collection_warcs, write_cdxj

WACZ_VERSION = "1.1.1"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Articles"}


@dataclass(frozen=True, slots=True)
class PackageSummary:
    path: Path
    warc_files: int
    pages: int
    records_not_in_package: int


class _Package:
    """A WACZ being written: every member added is listed as a datapackage resource."""

    def __init__(self, zip_file: zipfile.ZipFile) -> None:
        self._zip = zip_file
        self.resources: list[dict[str, Any]] = []

    def add(self, path: str, source: Path | bytes, *, stored: bool) -> None:
        info = zipfile.ZipInfo(path, time.localtime()[:6])
        # Gzipped members (WARCs, index blocks) are stored, as the spec requires, so a reader
        # can seek into them with HTTP range requests.
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        # Known before writing, so that ZIP64 is used exactly when a member needs it.
        info.file_size = source.stat().st_size if isinstance(source, Path) else len(source)
        digest = hashlib.sha256()
        data = open(source, "rb") if isinstance(source, Path) else io.BytesIO(source)  # noqa: SIM115
        with data, self._zip.open(info, "w") as member:
            while chunk := data.read(1 << 20):
                digest.update(chunk)
                member.write(chunk)
        # Frictionless Data resource names: lower case letters, digits and -._/ only.
        name = re.sub(r"[^-a-z0-9._/]", "-", path.lower())
        self.resources.append(
            {
                "name": name,
                "path": path,
                "hash": f"sha256:{digest.hexdigest()}",
                "bytes": info.file_size,
            }
        )


def _capture_date(warc: Path, offset: int) -> str:
    with open(warc, "rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        return record.rec_headers.get_header("WARC-Date") or ""


def _pages(
    collection: Path, records: Iterable[dict[str, Any]], in_package: set[Path]
) -> tuple[list[dict[str, str]], int]:
    """One page per captured article: its URL, capture time (the WARC-Date of the response
    record it was extracted from, which replay looks the capture up by) and headline.

    A record whose WARC is not in the package (made by `extract` from other files) is counted,
    not listed: its page could not be replayed from this package.
    """
    pages: dict[str, dict[str, str]] = {}
    outside = 0
    for record in records:
        pointer = record.get("warc") or {}
        warc = (collection / str(pointer.get("filename", ""))).resolve()
        if warc not in in_package:
            outside += 1
            continue
        # Keyed by the capture: a capture extracted twice (a newer archiver) is one page, and
        # the later record, the newer extraction, wins.
        capture = str(pointer["record_id"]).strip("<>")
        pages[capture] = {
            "id": capture,
            "url": record["url"],
            "ts": _capture_date(warc, int(pointer["offset"])),
            "title": record["headline"],
        }
    return sorted(pages.values(), key=lambda p: (p["ts"], p["url"])), outside


def _json_lines(rows: Iterable[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


def package_collection(collection: Path, output: Path) -> PackageSummary:
    """Writes the collection folder `collection` as the WACZ file `output`.

    Written under a temporary name beside `output` and renamed when complete, so `output` is
    always a whole package (an earlier one, or the new one).
    """
    if output.suffix != ".wacz":
        raise UsageError(f"a WACZ file's name must end in .wacz, got {output}")
    warcs = collection_warcs(collection)
    archive_root = collection / ARCHIVE_FOLDER
    pages, outside = _pages(
        collection, collection_records(collection), {w.resolve() for w in warcs}
    )

    output.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed or removed below
        dir=output.parent, prefix=f".{output.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle, zipfile.ZipFile(handle, "w") as zip_file:
            package = _Package(zip_file)
            for warc in warcs:
                package.add(
                    f"archive/{warc.relative_to(archive_root).as_posix()}", warc, stored=True
                )
            blocks, block_index = io.BytesIO(), io.StringIO()
            write_cdxj(warcs, archive_root, block_index, blocks=blocks)
            package.add("indexes/index.cdx.gz", blocks.getvalue(), stored=True)
            package.add("indexes/index.idx", block_index.getvalue().encode(), stored=False)
            package.add("pages/pages.jsonl", _json_lines([PAGES_HEADER, *pages]), stored=False)
            datapackage = {
                "profile": "data-package",
                "wacz_version": WACZ_VERSION,
                "title": collection.resolve().name,
                "description": f"Web archive of {len(pages)} article pages made by archiver.",
                "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "software": f"archiver {__version__}",
                "resources": package.resources,
            }
            manifest = json.dumps(datapackage, indent=2).encode("utf-8")
            zip_file.writestr("datapackage.json", manifest, zipfile.ZIP_DEFLATED)
            digest = {
                "path": "datapackage.json",
                "hash": f"sha256:{hashlib.sha256(manifest).hexdigest()}",
            }
            zip_file.writestr(
                "datapackage-digest.json", json.dumps(digest, indent=2), zipfile.ZIP_DEFLATED
            )
        os.chmod(handle.name, 0o644)  # temporary files are private; a package is for sharing
        os.replace(handle.name, output)
    except BaseException:
        os.unlink(handle.name)
        raise
    return PackageSummary(output, len(warcs), len(pages), outside)
