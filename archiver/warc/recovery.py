"""Closing the WARC files a killed crawl left open.

A file still named `*.warc.gz.open` was being written when its crawl died. Every record in it
up to the last whole one is good (each record is one gzip member, flushed as written); what
follows is a torn record. Recovery cuts the file after its last whole record and gives it its
final name, so the archive holds only readable WARCs and nothing whole is lost.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from warcio.recordloader import ArcWarcRecord

from archiver.warc.reader import WholeRecord, iter_whole_records
from archiver.warc.writer import OPEN_SUFFIX

logger = logging.getLogger(__name__)
INCOMPLETE_SUFFIX = ".incomplete"


def _ignore(record: ArcWarcRecord) -> None:
    return None


def recover_open_files(folder: Path) -> list[Path]:
    """Cuts and renames every `*.open` file in `folder`; returns the files recovered."""
    recovered = []
    for path in sorted(folder.glob(f"*{OPEN_SUFFIX}")):
        end = 0
        for item in iter_whole_records(str(path), _ignore):
            if isinstance(item, WholeRecord):
                end = item.end
        size = path.stat().st_size
        final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
        if end == 0:
            # Not one whole record: keep the bytes aside, out of the way of WARC readers.
            os.replace(path, final.with_name(final.name + INCOMPLETE_SUFFIX))
            logger.warning(
                "%s held no whole record; kept as %s", path, final.name + INCOMPLETE_SUFFIX
            )
            continue
        with open(path, "r+b") as handle:
            handle.truncate(end)
        os.replace(path, final)
        recovered.append(final)
        logger.warning(
            "Recovered %s left open by an interrupted crawl: %d whole records' bytes kept, "
            "%d bytes of a torn record cut",
            final.name,
            end,
            size - end,
        )
    return recovered
