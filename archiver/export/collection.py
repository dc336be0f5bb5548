"""`archiver export`: a collection's records as one table, in the format a researcher loads.

The last step of the one-way flow (fetch -> WARC -> extract -> record -> export): the records of
every `.jsonl` file under the collection folder, one per article (latest.py), sorted, written as
Parquet, CSV or JSON Lines. The file is written beside its final name and renamed when whole, so
an interrupted export never leaves half a table under the name a script reads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from archiver.errors import UsageError
from archiver.export.columns import record_columns
from archiver.export.csv import write_csv
from archiver.export.jsonl import write_records
from archiver.export.latest import latest_records
from archiver.export.parquet import write_parquet
from archiver.records import SCHEMA_VERSION, record_schema

FORMATS = ("parquet", "csv", "jsonl")


@dataclass(frozen=True, slots=True)
class ExportSummary:
    path: Path
    format: str
    records: int
    lines_read: int


def format_of(output: Path) -> str:
    """The format a file name asks for: its suffix, when it is one of FORMATS."""
    suffix = output.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UsageError(
            f"cannot tell the format from {output.name}: give --format ({', '.join(FORMATS)})"
        )
    return suffix


def export_collection(collection: Path, output: Path, fmt: str | None = None) -> ExportSummary:
    """Writes one record per article of the collection to `output`."""
    fmt = fmt or format_of(output)
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    if collection.is_dir() and output.resolve() in {
        p.resolve() for p in collection.rglob("*.jsonl")
    }:
        raise UsageError(f"{output} holds the collection's records: export to another file")
    latest = latest_records(collection)
    schema = record_schema()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    try:
        if fmt == "parquet":
            write_parquet(latest.records, partial, record_columns(schema), schema, SCHEMA_VERSION)
        elif fmt == "csv":
            write_csv(latest.records, partial, record_columns(schema))
        else:
            write_records(latest.records, partial)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return ExportSummary(output, fmt, len(latest.records), latest.lines_read)
