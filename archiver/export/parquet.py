"""Parquet files of records, written with pyarrow: typed columns a researcher loads in one line.

Column types come from the record's JSON Schema (columns.py): strings, int64, float64, booleans,
list columns for lists (`authors` is list<string>), structs for objects inside lists. Dates stay
ISO 8601 strings, as in the records: `date` is a day on some pages and a moment with its offset on
others, and a timestamp column would invent the precision the page did not give.

The file says what it holds: its key-value metadata carries the record schema version, the JSON
Schema itself and the archiver version, and each column the schema's description of its field.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from archiver import __version__
from archiver.errors import ExportError
from archiver.export.columns import Column, SchemaNode

SCHEMA_VERSION_KEY = b"archiver.schema_version"
SCHEMA_KEY = b"archiver.schema"
VERSION_KEY = b"archiver.version"
_SCALAR_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "json": pa.string(),
}


def arrow_type(node: SchemaNode) -> pa.DataType:
    kind = node.kind
    if kind == "list":
        return pa.list_(arrow_type(node.items))
    if kind == "object":
        return pa.struct([(name, arrow_type(child)) for name, child in node.properties.items()])
    return _SCALAR_TYPES[kind]


def arrow_schema(
    columns: Sequence[Column], schema: dict[str, Any], schema_version: str
) -> pa.Schema:
    fields = [
        pa.field(column.name, arrow_type(column.schema), metadata=_field_metadata(column))
        for column in columns
    ]
    metadata = {
        SCHEMA_VERSION_KEY: schema_version.encode(),
        SCHEMA_KEY: json.dumps(schema, ensure_ascii=False).encode(),
        VERSION_KEY: __version__.encode(),
    }
    return pa.schema(fields, metadata=metadata)


def _field_metadata(column: Column) -> dict[bytes, bytes]:
    metadata = {b"json_path": ".".join(column.path).encode()}
    if column.schema.description:
        metadata[b"description"] = column.schema.description.encode()
    return metadata


def write_parquet(
    records: Sequence[dict[str, Any]],
    path: Path,
    columns: Sequence[Column],
    schema: dict[str, Any],
    schema_version: str,
) -> None:
    table_schema = arrow_schema(columns, schema, schema_version)
    arrays = []
    for column, field in zip(columns, table_schema, strict=True):
        values = [_arrow_value(column.schema, column.value(r)) for r in records]
        try:
            arrays.append(pa.array(values, type=field.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise ExportError(f"column {column.name}: a value is not {field.type} ({exc})") from exc
    table = pa.Table.from_arrays(arrays, schema=table_schema)
    # zstd: article text compresses about twice as well as with snappy, and pandas, DuckDB, R's
    # arrow and Spark all read it.
    pq.write_table(table, path, compression="zstd")


def _arrow_value(node: SchemaNode, value: Any) -> Any:
    """The value as pyarrow takes it: what the schema leaves open becomes JSON text."""
    if value is None:
        return None
    kind = node.kind
    if kind == "json":
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if kind == "list" and isinstance(value, list):
        return [_arrow_value(node.items, item) for item in value]
    if kind == "object" and isinstance(value, dict):
        properties = node.properties.items()
        return {name: _arrow_value(child, value.get(name)) for name, child in properties}
    return value
