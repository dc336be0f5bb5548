"""CSV files of records: the same flat columns as Parquet, for spreadsheets and R's read.csv.

A cell holds text only, so: lists of names or tags are joined with "; " (split them again with
`str.split("; ")`; where a name itself held "; ", the Parquet file keeps the list as it was),
lists of objects and anything else the schema leaves open are JSON text, a missing value is an
empty cell, booleans are `true`/`false`. UTF-8 without a byte-order mark (R's read.csv would take
it into the first column's name), quoted where needed: the body's blank lines stay inside one
quoted cell.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from archiver.export.columns import Column, SchemaNode

LIST_SEPARATOR = "; "


def write_csv(records: Sequence[dict[str, Any]], path: Path, columns: Sequence[Column]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([column.name for column in columns])
        for record in records:
            writer.writerow([csv_cell(column.schema, column.value(record)) for column in columns])


def csv_cell(node: SchemaNode, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and node.items.kind in ("string", "integer", "number"):
        return LIST_SEPARATOR.join(str(item) for item in value if item is not None)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
