"""The CDXJ index of a collection's WARCs: what pywb and ReplayWeb.page look URLs up in.

Sits after the archive in the flow: it reads finished WARCs and writes `DIR/indexes/index.cdxj`,
one `SURT 14-digit-timestamp {json}` line per replayable record, sorted. The lines are written by
webrecorder's cdxj-indexer (the indexer of pywb's `wb-manager` and of py-wacz), so they are
exactly what replay tools expect; this module only chooses its options and where files go.

- Records indexed: cdxj-indexer's default, i.e. `response`, `revisit` (mime `warc/revisit`),
  `resource` and `metadata` records; not `request` records (replay never looks them up) nor
  `warcinfo`. POST and PUT requests get their body appended to the URL key (`post_append`), as
  pywb and py-wacz do, so such captures can be told apart.
- `filename` is relative to the collection's archive folder `DIR/warc/`, which is where pywb's
  `archive_paths` and a WACZ's `archive/` folder hold the same files.
"""

from __future__ import annotations

import os
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from cdxj_indexer.main import CDXJIndexer
from warcio.exceptions import ArchiveLoadFailed

from archiver.errors import UsageError, WarcReadError

ARCHIVE_FOLDER = "warc"
INDEX_PATH = Path("indexes") / "index.cdxj"
# Lines per gzip block of a compressed index: py-wacz's (and ArchiveWeb.page's) choice.
BLOCK_LINES = 1024


@dataclass(frozen=True, slots=True)
class IndexSummary:
    path: Path
    warc_files: int
    lines: int


def collection_warcs(collection: Path) -> list[Path]:
    """The finished WARC files of a collection folder, in a stable order.

    Files still named `*.open` are being written (or were left by a killed crawl) and are not
    part of the collection until they are complete.
    """
    archive = collection / ARCHIVE_FOLDER
    warcs = sorted(
        p for p in archive.rglob("*") if p.is_file() and p.name.endswith((".warc", ".warc.gz"))
    )
    if not warcs:
        raise UsageError(f"no WARC files in {archive}")
    return warcs


def write_cdxj(
    warcs: Sequence[Path], archive_root: Path, out: TextIO, *, blocks: BinaryIO | None = None
) -> None:
    """Writes the sorted CDXJ lines of `warcs` to `out`, filenames relative to `archive_root`.

    With `blocks`, the lines go there instead, gzipped in blocks of BLOCK_LINES, and `out` gets
    the small secondary index of those blocks (a WACZ's `index.cdx.gz` and `index.idx`), which
    lets ReplayWeb.page fetch only the block it needs.
    """
    indexer = CDXJIndexer(
        out,
        [str(p) for p in warcs],
        sort=True,
        post_append=True,
        dir_root=str(archive_root),
        compress=blocks,
        data_out_name="index.cdx.gz",
        lines=BLOCK_LINES,
    )
    try:
        indexer.process_all()
    except (ArchiveLoadFailed, zlib.error, EOFError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise WarcReadError(
            f"cannot index {indexer.curr_filename}: {reason} (`archiver validate` says more)"
        ) from exc


def index_collection(collection: Path) -> IndexSummary:
    """Writes `DIR/indexes/index.cdxj` for every WARC of the collection `DIR`.

    The index is written under a temporary name and renamed over the old one, so a reader (a
    running pywb) sees the old index or the new one, never half of one, and a failure leaves
    the old index as it was.
    """
    warcs = collection_warcs(collection)
    target = collection / INDEX_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed or removed below
        "w", encoding="utf-8", dir=target.parent, prefix=".index.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            write_cdxj(warcs, collection / ARCHIVE_FOLDER, handle)
        # Temporary files are private (0600); the index is for replay tools run by others too.
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, target)
    except BaseException:
        os.unlink(handle.name)
        raise
    with open(target, encoding="utf-8") as written:
        lines = sum(1 for _ in written)
    return IndexSummary(target, len(warcs), lines)
