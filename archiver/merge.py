"""`archiver merge DIR... --output DIR`: the output folders of a shared crawl's workers, made one
collection.

Each worker of a crawl shared through a frontier (`archiver crawl --frontier ...`) writes its own
folder, and its revisit records and article records may cite WARCs another worker wrote (a
payload is stored once per crawl). Merging brings every WARC into `OUTPUT/warc/` (hard-linked
where the filesystem allows, else copied; the sources are left as they are), so that every
reference resolves there, and writes:

- `OUTPUT/articles.jsonl`: the sources' records, each `warc.filename` rewritten to the WARC's
  place in OUTPUT, de-duplicated as a crawl de-duplicates: one record per article id and content
  (a page fetched twice, by a worker killed mid-page and by the one that took its requests
  over, gives one record; an article that changed between two captures keeps both, and
  `archiver export` picks the newest);
- `OUTPUT/crawl-stats.json`: every source's runs;
- `OUTPUT/indexes/index.cdxj`: one CDXJ index over all the WARCs (`archiver index`).

WARC file names carry host and process id, so the workers' files never clash; two different
files of one name are refused rather than renamed. WARCs a killed worker left open are closed
first (`recovery.py`), and a folder a crawl is still writing to is refused (its lock).
Merging again, or merging more folders into OUTPUT later, adds only what is new.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from archiver.crawl import collection_lock
from archiver.crawl.records_pipeline import ARTICLES_FILE
from archiver.crawl.stats_file import STATS_FILE, read_runs
from archiver.errors import UsageError
from archiver.export.jsonl import collection_records, read_records, write_records
from archiver.records import content_key
from archiver.warc.cdxj import ARCHIVE_FOLDER, IndexSummary, index_collection
from archiver.warc.recovery import recover_open_files


@dataclass(frozen=True, slots=True)
class MergeSummary:
    output: Path
    warc_files: int
    """WARC files brought into OUTPUT/warc/ by this merge."""
    records_written: int
    duplicates: int
    """Records left out: the same article saying the same thing as one already kept."""
    index: IndexSummary


def _check_folders(sources: Sequence[Path], output: Path) -> None:
    if not sources:
        raise UsageError("give the output folders of the workers to merge")
    resolved_output = output.resolve()
    for source in sources:
        if not source.is_dir():
            raise UsageError(f"{source} is not a folder (give a crawl's output folder)")
        resolved = source.resolve()
        if resolved == resolved_output:
            raise UsageError(f"--output {output} is one of the folders to merge")
        if resolved_output.is_relative_to(resolved) or resolved.is_relative_to(resolved_output):
            raise UsageError(f"{source} and --output {output} lie one inside the other")


def _warcs(source: Path) -> Iterator[Path]:
    archive = source / ARCHIVE_FOLDER
    if archive.is_dir():
        yield from sorted(
            p for p in archive.rglob("*") if p.is_file() and p.name.endswith((".warc", ".warc.gz"))
        )


def _bring(warc: Path, target: Path) -> bool:
    """Links (else copies) `warc` to `target`; False if the very same file is already there."""
    if target.exists():
        if target.samefile(warc) or filecmp.cmp(target, warc, shallow=False):
            return False
        raise UsageError(
            f"two different WARC files are named {warc.name}: {warc} and {target}; rename one"
        )
    try:
        os.link(warc, target)
    except OSError:
        partial = target.with_name(f".{target.name}.partial")
        shutil.copyfile(warc, partial)
        os.replace(partial, target)
    return True


def _repointed(record: dict[str, Any], places: dict[str, str]) -> dict[str, Any]:
    warc = record.get("warc")
    if isinstance(warc, dict) and isinstance(warc.get("filename"), str):
        place = places.get(PurePosixPath(warc["filename"]).name)
        if place is not None:
            return {**record, "warc": {**warc, "filename": place}}
    return record


def _bring_warcs(sources: Sequence[Path], output: Path) -> tuple[int, dict[str, str]]:
    """Every source's WARCs into OUTPUT/warc/: how many were new there, and where each file
    (by name) now is, relative to OUTPUT."""
    archive = output / ARCHIVE_FOLDER
    archive.mkdir(parents=True, exist_ok=True)
    places: dict[str, str] = {}
    brought = 0
    for source in sources:
        recover_open_files(source / ARCHIVE_FOLDER)
        for warc in _warcs(source):
            brought += _bring(warc, archive / warc.name)
            places[warc.name] = f"{ARCHIVE_FOLDER}/{warc.name}"
    return brought, places


def _merge_records(
    sources: Sequence[Path], output: Path, places: dict[str, str]
) -> tuple[int, int]:
    """Appends the sources' records OUTPUT lacks to OUTPUT/articles.jsonl (written whole under
    another name, then renamed); returns how many were written and how many left out."""
    known = {content_key(r) for r in collection_records(output) if "id" in r}
    new: list[dict[str, Any]] = []
    duplicates = 0
    for source in sources:
        for record in collection_records(source):
            if "id" not in record:
                continue
            key = content_key(record)
            if key in known:
                duplicates += 1
                continue
            known.add(key)
            new.append(_repointed(record, places))
    if new:
        articles = output / ARTICLES_FILE
        kept = list(read_records(articles)) if articles.exists() else []
        partial = output / f".{ARTICLES_FILE}.partial"
        write_records([*kept, *new], partial)
        os.replace(partial, articles)
    return len(new), duplicates


def _merge_runs(sources: Sequence[Path], output: Path) -> None:
    runs = read_runs(output)
    runs += [run for source in sources for run in read_runs(source) if run not in runs]
    partial = output / f".{STATS_FILE}.partial"
    partial.write_text(json.dumps(runs, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(partial, output / STATS_FILE)


def merge_collections(sources: Sequence[Path], output: Path) -> MergeSummary:
    _check_folders(sources, output)
    held: list[Path] = []
    try:
        for folder in [*sources, output]:
            collection_lock.acquire(folder)
            held.append(folder)
        brought, places = _bring_warcs(sources, output)
        written, duplicates = _merge_records(sources, output, places)
        _merge_runs(sources, output)
        index = index_collection(output)
    finally:
        for folder in held:
            collection_lock.release(folder)
    return MergeSummary(output, brought, written, duplicates, index)
